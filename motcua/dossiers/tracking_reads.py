"""The database reads of public tracking (tracking.py), compiled to SQL once per process.

Tracking is the busiest public door: every citizen with a receipt, every kiosk, every
portal that polls. Building a Django query costs far more than running it (about 0.8 ms
against 0.1 ms for these), so each query here is written with the ORM, which stays the
source of column and table names, compiled once per database vendor with placeholder
values, and then run with the real ones. The results are plain tuples; datetimes are made
aware as the ORM would (SQLite returns them naive, in UTC).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from .models import Apology, Dossier, DossierEvent, DossierStep

# Placeholder values, replaced by the real ones when a compiled query runs.
CODE_PLACEHOLDER = "\x00tracking-code\x00"
ID_PLACEHOLDER = -7_340_019


@dataclass(frozen=True)
class DossierRow:
    id: int
    code: str
    status: int
    received_at: datetime | None
    due_at: datetime | None
    apology_count: int
    applicant_name: str
    applicant_phone: str
    applicant_id_number: str
    procedure_code: str
    procedure_name: str
    receiving_agency: str
    receiving_address: str
    competent_agency: str
    reception_point: str | None
    reception_address: str | None


DOSSIER_COLUMNS = (
    "id", "code", "status", "received_at", "due_at", "apology_count", "applicant_name",
    "applicant_phone", "applicant_id_number", "procedure__code", "procedure_version__name",
    "receiving_agency__name", "receiving_agency__address", "competent_agency__name",
    "reception_point__name", "reception_point__address",
)  # fmt: skip


@dataclass(frozen=True)
class StepRow:
    state: str
    name: str
    agency: str
    department: str | None


def _dossier_query(_: tuple[str, ...]) -> QuerySet:
    query = Dossier.objects.filter(code=CODE_PLACEHOLDER).order_by()
    return query.values_list(*DOSSIER_COLUMNS)[:1]


def _steps_query(_: tuple[str, ...]) -> QuerySet:
    query = DossierStep.objects.filter(dossier_id=ID_PLACEHOLDER).order_by("order", "id")
    return query.values_list("state", "name", "agency__name", "department__name")


def _events_query(actions: tuple[str, ...]) -> QuerySet:
    query = DossierEvent.objects.filter(dossier_id=ID_PLACEHOLDER, action__in=actions)
    return query.order_by("created_at", "id").values_list("action", "created_at")


def _apology_query(_: tuple[str, ...]) -> QuerySet:
    query = Apology.objects.filter(dossier_id=ID_PLACEHOLDER).order_by()
    return query.values_list("created_at", "previous_due_at", "new_due_at")[:1]


@cache
def _compiled(
    build: Callable[[tuple[str, ...]], QuerySet], actions: tuple[str, ...], vendor: str
) -> tuple[str, tuple[Any, ...]]:
    return build(actions).query.sql_with_params()


def _rows(
    build: Callable[[tuple[str, ...]], QuerySet], value: Any, actions: tuple[str, ...] = ()
) -> list[tuple]:
    sql, params = _compiled(build, actions, connection.vendor)
    values = [value if p in (CODE_PLACEHOLDER, ID_PLACEHOLDER) else p for p in params]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        return [tuple(_aware(v) for v in row) for row in cursor.fetchall()]


def _aware(value: Any) -> Any:
    if isinstance(value, datetime) and timezone.is_naive(value):
        return value.replace(tzinfo=UTC)
    return value


def find_dossier(code: str) -> DossierRow | None:
    found = _rows(_dossier_query, code)
    return DossierRow(*found[0]) if found else None


def steps_of(dossier_id: int) -> list[StepRow]:
    return [StepRow(*row) for row in _rows(_steps_query, dossier_id)]


def events_of(dossier_id: int, actions: tuple[str, ...]) -> list[tuple[str, datetime]]:
    """(action, created_at) of the dossier's events with one of `actions`, oldest first."""
    return [(action, at) for action, at in _rows(_events_query, dossier_id, actions)]


def apology_of(dossier_id: int) -> tuple[datetime, datetime, datetime] | None:
    """(issued, previous appointment, new appointment) of the dossier's apology."""
    found = _rows(_apology_query, dossier_id)
    return found[0] if found else None
