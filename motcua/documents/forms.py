"""Context builders for the Circular 01/2018 forms: one function per form, each returning plain
JSON-ready data (strings already worded and dated as the form prints them) for its Typst
template. Call them with Vietnamese active (pdf.py does): the forms are legal documents.

Field lists follow real templates citing the circular (domain.md §4).
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from motcua.catalogue.models import ApplicantType, Channel
from motcua.catalogue.text import describe_time_limit
from motcua.dossiers.models import Dossier, DossierEvent, SupplementRequest
from motcua.dossiers.status import Action
from motcua.organisations.models import Agency

from . import dates, hops
from .errors import DocumentError
from .hops import person as person_name
from .qr import qr_svg, tracking_url

Context = dict[str, Any]
# Lines other apps add to Mẫu 01's notes, each given the dossier (payments: what is owed and
# how to pay it). Registered in their AppConfig.ready: this app imports none of them.
ReceiptNotes = Callable[[Dossier], list[str]]
_receipt_notes: list[ReceiptNotes] = []


def add_receipt_notes(provider: ReceiptNotes) -> None:
    if provider not in _receipt_notes:
        _receipt_notes.append(provider)


# Prefixes of administrative unit names dropped in "<place>, ngày ... tháng ... năm ...".
UNIT_PREFIXES = ("Thành phố ", "Tỉnh ", "Phường ", "Xã ", "Đặc khu ", "Thị trấn ", "Thị xã ")
ONE_STOP_KINDS = {Agency.Kind.PROVINCIAL_SERVICE_CENTRE, Agency.Kind.COMMUNE_SERVICE_CENTRE}
ID_LABELS = {
    ApplicantType.CITIZEN: "Số định danh cá nhân",
    ApplicantType.FOREIGNER: "Số hộ chiếu",
}


def place_name(agency: Agency) -> str:
    name = agency.unit.name if agency.unit_id else ""
    for prefix in UNIT_PREFIXES:
        if name.startswith(prefix):
            return name.removeprefix(prefix)
    return name


def header(agency: Agency, moment: datetime | None) -> Context:
    place_date = ""
    if moment is not None:
        place = place_name(agency)
        place_date = f"{place}, {dates.long_date(moment)}" if place else dates.long_date(moment)
    parent = agency.parent.name.upper() if agency.parent_id else ""
    return {"parent": parent, "agency": agency.name.upper(), "place_date": place_date}


def one_stop_unit(dossier: Dossier) -> str:
    """The section that received the dossier, as the forms name it."""
    if dossier.reception_point_id:
        return dossier.reception_point.name
    agency = dossier.receiving_agency
    if agency.kind in ONE_STOP_KINDS:
        return agency.name
    return f"Bộ phận Một cửa {agency.name}"


def collect_at(dossier: Dossier) -> str:
    """Where the result is returned: the reception point, else the receiving agency."""
    place = dossier.reception_point or dossier.receiving_agency
    return ", ".join(part for part in (place.name, place.address) if part)


def applicant(dossier: Dossier) -> Context:
    """The applicant in full: the forms are handed to the applicant."""
    return {
        "name": dossier.applicant_name,
        "id_label": ID_LABELS.get(dossier.applicant_type, "Mã số thuế/Mã số doanh nghiệp"),
        "id_number": dossier.applicant_id_number,
        "address": dossier.applicant_address,
        "phone": dossier.applicant_phone,
        "email": dossier.applicant_email,
    }


def _count(value: int) -> str:
    return str(value) if value else ""


def components(dossier: Dossier) -> list[Context]:
    return [
        {
            "no": str(number),
            "name": item.name,
            "originals": _count(item.originals),
            "certified_copies": _count(item.certified_copies),
            "copies": _count(item.copies),
        }
        for number, item in enumerate(dossier.components.all(), start=1)
    ]


def time_limit(dossier: Dossier) -> str:
    version = dossier.procedure_version
    if version.time_limit_value is not None and version.time_limit_unit:
        return describe_time_limit(version.time_limit_value, version.time_limit_unit)
    return version.time_limit_text


def book_entry(dossier: Dossier) -> Context:
    """Tracking book volume (one per year, Circular 01/2018 art. 10.2) and entry number (the
    dossier's sequence of the day, from its code)."""
    moment = dossier.received_at or dossier.created_at
    sequence = dossier.code.rsplit("-", 1)[-1]
    number = str(int(sequence)) if sequence.isdigit() else sequence
    return {"volume": str(dates.as_local(moment).year), "number": number}


def code_block(dossier: Dossier) -> Context:
    url = tracking_url(dossier.code)
    return {"code": dossier.code, "tracking_url": url, "qr": qr_svg(url)}


def _events(dossier: Dossier, action: Action):
    """The dossier's events of one kind, latest first."""
    return (
        dossier.events.filter(action=action).select_related("actor").order_by("-created_at", "-id")
    )


def _latest_event(dossier: Dossier, action: Action) -> DossierEvent:
    event = _events(dossier, action).first()
    if event is None:
        raise DocumentError("no_event", _("This dossier has no record for this form."))
    return event


def receipt_context(dossier: Dossier) -> Context:
    """Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả."""
    if dossier.received_at is None:
        raise DocumentError("not_received", _("This dossier has not been received."))
    return {
        **code_block(dossier),
        "header": header(dossier.receiving_agency, dossier.received_at),
        "reception_unit": one_stop_unit(dossier),
        "applicant": applicant(dossier),
        "channel": str(Channel(dossier.channel).label),
        "subject": dossier.subject,
        "components": components(dossier),
        "sets": f"{dossier.sets:02d}",
        "time_limit": time_limit(dossier),
        "received": dates.long_moment(dossier.received_at),
        "appointment": dates.long_moment(dossier.due_at),
        "collect_at": collect_at(dossier),
        "book": book_entry(dossier),
        "officer": person_name(dossier.received_by),
        "notes": [line for provider in _receipt_notes for line in provider(dossier)],
    }


def _items_from_request(request: SupplementRequest) -> list[Context]:
    items = []
    for item in request.items or []:
        if isinstance(item, dict):
            name = str(item.get("name") or item.get("document") or "")
            items.append({"name": name, "reason": str(item.get("reason") or "")})
        else:
            items.append({"name": str(item), "reason": ""})
    return items


def _numbered(items: list[Context]) -> list[Context]:
    return [{"no": str(n), **item} for n, item in enumerate(items, start=1)]


def _latest_request(dossier: Dossier) -> SupplementRequest | None:
    return dossier.supplements.order_by("-requested_at", "-id").first()


def _supplement_source(
    dossier: Dossier, request: SupplementRequest | None
) -> SupplementRequest | DossierEvent:
    """The given request, else the latest request after appraisal or at reception."""
    if request is not None:
        return request
    latest = _latest_request(dossier)
    at_reception = _events(dossier, Action.REQUEST_SUPPLEMENT_AT_RECEPTION).first()
    if latest is None and at_reception is None:
        raise DocumentError("no_supplement", _("No supplement was requested for this dossier."))
    if latest is None or (at_reception and at_reception.created_at > latest.requested_at):
        return at_reception
    return latest


def _clock_note(request: SupplementRequest) -> str:
    if request.clock == SupplementRequest.Clock.PAUSE:
        return "Thời gian chờ Ông/Bà bổ sung hồ sơ không tính vào thời hạn giải quyết."
    return (
        "Thời hạn giải quyết được tính lại từ khi nhận đủ hồ sơ bổ sung "
        "(khoản 4 Điều 19 Nghị định 61/2018/NĐ-CP)."
    )


def _supplement_at_reception(dossier: Dossier, event: DossierEvent) -> Context:
    items = [
        {"name": str(m.get("name", "")), "reason": str(m.get("reason", ""))}
        for m in event.data.get("missing", [])
    ]
    return {
        "header": header(dossier.receiving_agency, event.created_at),
        "items": _numbered(items),
        "reason": "",
        "officer": person_name(event.actor),
        "phone": dossier.receiving_agency.phone,
        "clock_note": "",
        "unit": one_stop_unit(dossier),
    }


def _supplement_after_appraisal(dossier: Dossier, request: SupplementRequest) -> Context:
    agency = request.step.agency if request.step_id else dossier.competent_agency
    return {
        "header": header(agency, request.requested_at),
        "items": _numbered(_items_from_request(request)),
        "reason": request.reason,
        "officer": person_name(request.requested_by),
        "phone": agency.phone,
        "clock_note": _clock_note(request),
        "unit": agency.name,
    }


def supplement_context(dossier: Dossier, request: SupplementRequest | None = None) -> Context:
    """Mẫu 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ, at reception (items from the event)
    or after appraisal (Decree 61/2018 art. 19.4; items and reason of the request)."""
    source = _supplement_source(dossier, request)
    if isinstance(source, DossierEvent):
        specific = _supplement_at_reception(dossier, source)
    else:
        specific = _supplement_after_appraisal(dossier, source)
    return {
        **code_block(dossier),
        **specific,
        "applicant": applicant(dossier),
        "subject": dossier.subject,
    }


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def refusal_context(dossier: Dossier) -> Context:
    """Mẫu 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ (Decree 61/2018 art. 17.1.b)."""
    event = _latest_event(dossier, Action.REFUSE_AT_RECEPTION)
    return {
        **code_block(dossier),
        "header": header(dossier.receiving_agency, event.created_at),
        "unit": one_stop_unit(dossier),
        "applicant": applicant(dossier),
        "subject": dossier.subject,
        "reasons": _paragraphs(event.note),
        "officer": person_name(event.actor),
    }


def apology_context(dossier: Dossier) -> Context:
    """Mẫu 04: Phiếu xin lỗi và hẹn lại ngày trả kết quả (Decree 61/2018 art. 19.9)."""
    apology = getattr(dossier, "apology", None)
    if apology is None:
        raise DocumentError("no_apology", _("No apology was issued for this dossier."))
    agency = apology.responsible_agency or dossier.competent_agency
    return {
        "code": dossier.code,
        "header": header(agency, apology.created_at),
        "agency": agency.name,
        "applicant": applicant(dossier),
        "subject": dossier.subject,
        "received": dates.long_date(dossier.received_at).capitalize(),
        "previous_due": dates.long_moment(apology.previous_due_at),
        "reason": _paragraphs(apology.reason),
        "new_due": dates.long_moment(apology.new_due_at),
        "collect_at": collect_at(dossier),
    }


def control_context(dossier: Dossier) -> Context:
    """Mẫu 05: Phiếu kiểm soát quá trình giải quyết hồ sơ, with one row per hand-over."""
    if dossier.received_at is None:
        raise DocumentError("not_received", _("This dossier has not been received."))
    return {
        **code_block(dossier),
        "header": header(dossier.receiving_agency, dossier.received_at),
        "competent": dossier.competent_agency.name,
        "coordinating": hops.coordinating_agencies(dossier),
        "applicant": applicant(dossier),
        "subject": dossier.subject,
        "received": dates.short_moment(dossier.received_at),
        "time_limit": time_limit(dossier),
        "appointment": dates.short_moment(dossier.due_at),
        "hops": hops.hop_rows(dossier, one_stop_unit(dossier)),
    }
