"""Printable forms of Circular 01/2018 (art. 9), each as PDF bytes (A5 portrait).

    receipt_pdf           Mẫu 01  Giấy tiếp nhận hồ sơ và hẹn trả kết quả
    supplement_slip_pdf   Mẫu 02  Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ
    refusal_slip_pdf      Mẫu 03  Phiếu từ chối tiếp nhận giải quyết hồ sơ
    apology_pdf           Mẫu 04  Phiếu xin lỗi và hẹn lại ngày trả kết quả
    control_slip_pdf      Mẫu 05  Phiếu kiểm soát quá trình giải quyết hồ sơ

Mẫu 06 (Sổ theo dõi hồ sơ, A4) is in tracking_book.py. They raise DocumentError when the
dossier has nothing to print for that form (e.g. no apology).
"""

from collections.abc import Callable
from typing import Any

from django.utils import translation

from motcua.dossiers.models import Dossier, SupplementRequest
from motcua.dossiers.status import Action

from . import forms
from .rendering import render_pdf

FORM_LANGUAGE = "vi"


def _render(template: str, build: Callable[..., dict[str, Any]], *args: Any) -> bytes:
    with translation.override(FORM_LANGUAGE):
        return render_pdf(template, build(*args))


def receipt_pdf(dossier: Dossier) -> bytes:
    return _render("receipt", forms.receipt_context, dossier)


def supplement_slip_pdf(dossier: Dossier, request: SupplementRequest | None = None) -> bytes:
    """The given request, else the latest one (after appraisal or at reception)."""
    return _render("supplement", forms.supplement_context, dossier, request)


def refusal_slip_pdf(dossier: Dossier) -> bytes:
    return _render("refusal", forms.refusal_context, dossier)


def apology_pdf(dossier: Dossier) -> bytes:
    return _render("apology", forms.apology_context, dossier)


def control_slip_pdf(dossier: Dossier) -> bytes:
    return _render("control", forms.control_context, dossier)


# Each form by its number, and the recorded events that make it exist: a page offers a form
# only once there is something to print (the back office, the applicant's own dossier page).
BY_NUMBER: dict[str, Callable[[Dossier], bytes]] = {
    "01": receipt_pdf,
    "02": supplement_slip_pdf,
    "03": refusal_slip_pdf,
    "04": apology_pdf,
    "05": control_slip_pdf,
}
MADE_AFTER: dict[str, frozenset[Action]] = {
    "01": frozenset({Action.RECEIVE}),
    "02": frozenset({Action.REQUEST_SUPPLEMENT_AT_RECEPTION, Action.REQUEST_SUPPLEMENT}),
    "03": frozenset({Action.REFUSE_AT_RECEPTION}),
    "04": frozenset({Action.APOLOGISE}),
    "05": frozenset({Action.RECEIVE}),
}


# Apps that finish a form before it is handed out register here, in their AppConfig.ready:
# finish(dossier, number, pdf) -> pdf (signing: the agency's seal when MOTCUA_SIGN_FORMS).
_finishers: list[Callable[[Dossier, str, bytes], bytes]] = []


def add_finisher(finish: Callable[[Dossier, str, bytes], bytes]) -> None:
    if finish not in _finishers:
        _finishers.append(finish)


def form_pdf(number: str, dossier: Dossier) -> bytes:
    """Form `number` of `dossier` as the doors hand it out (KeyError for an unknown number;
    DocumentError when there is nothing to print), finished by the registered apps."""
    content = BY_NUMBER[number](dossier)
    for finish in _finishers:
        content = finish(dossier, number, content)
    return content


def printable(happened: set[str]) -> list[str]:
    """The numbers of the forms the recorded actions `happened` make exist."""
    return [number for number, after in MADE_AFTER.items() if after & happened]
