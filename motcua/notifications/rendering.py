"""A notice's words: the variables of one dossier event (docs/notifications.md lists them)
and its template rendered for a channel. Plain text: nothing is HTML-escaped."""

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.template import Context, Engine
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from motcua.dossiers.models import DossierEvent

from .models import NoticeTemplate

_engine = Engine(autoescape=False)


def _moment(value: Any) -> str:
    if isinstance(value, str):
        value = parse_datetime(value)
    if not isinstance(value, datetime):
        return ""
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y")


def _items(values: Any) -> str:
    names = [v.get("name", "") if isinstance(v, dict) else str(v) for v in values or []]
    return "; ".join(n for n in names if n)


def unaccent(text: str) -> str:
    """Vietnamese without its diacritics (đ as d): 160 characters to an SMS instead of 70,
    and what brandname gateways usually require."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def variables(event: DossierEvent, status: str = "") -> dict[str, str]:
    """What a template may say about `event` (read when the notice is sent: the dossier's
    code is final then; the times are the event's own)."""
    dossier = event.dossier
    data = event.data or {}
    public = settings.MOTCUA_PUBLIC_URL.rstrip("/")
    return {
        "code": dossier.code,
        "status": status,
        "name": dossier.applicant_name,
        "procedure": dossier.procedure.name,
        "agency": dossier.receiving_agency.name,
        "competent_agency": dossier.competent_agency.name,
        "at": _moment(event.created_at),
        "due": _moment(data.get("due_at") or data.get("new_due_at") or dossier.due_at),
        "previous_due": _moment(data.get("previous_due_at")),
        "reason": event.note,
        "items": _items(data.get("items") or data.get("missing")),
        "link": f"{public}/tra-cuu/?{urlencode({'ma': dossier.code})}",
    }


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    sms: str
    zalo_template_id: str
    zalo_data: dict[str, str]


def render(template: NoticeTemplate, values: dict[str, str]) -> Rendered:
    context = Context(values)

    def text(source: str) -> str:
        return _engine.from_string(source).render(context).strip()

    return Rendered(
        subject=" ".join(text(template.subject).split()),
        body=text(template.body),
        sms=" ".join(text(template.sms).split()),
        zalo_template_id=template.zalo_template_id,
        zalo_data={
            param: str(values.get(variable, ""))[:200]
            for param, variable in (template.zalo_params or {}).items()
        },
    )


def template_for(notice: str, language: str) -> NoticeTemplate | None:
    """The active template of `notice` in `language`, else in Vietnamese."""
    found = {
        t.language: t
        for t in NoticeTemplate.objects.filter(
            event=notice, language__in={language, "vi"}, active=True
        )
    }
    return found.get(language) or found.get("vi")
