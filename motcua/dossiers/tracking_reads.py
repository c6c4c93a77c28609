"""The database read of public tracking (tracking.py): one query, compiled to SQL once per
process.

Tracking is the busiest public door: every citizen with a receipt, every kiosk, every
portal that polls. Building a Django query costs far more than running it, and each round
trip to the database, even each row, has its own cost (in a threaded server, every row
fetched from SQLite hands the GIL over), so the dossier (with its procedure, agencies and
apology) is read as one row that carries its steps and its events as two JSON lists. The
ORM stays the source of column and table names: the statement is built with it and
compiled once per database vendor (motcua.precompiled.Query). The few
steps and events are sorted, and the public milestones picked out of the events, here
rather than by the database. The row is used as the driver returns it, without the ORM's
converters: its only values that need one are the five moments and the two lists, and
`_found` converts those itself (SQLite's driver returns moments as naive UTC datetimes, and
as text inside JSON; psycopg as aware datetimes and decoded JSON).
"""

import json
from datetime import UTC, datetime
from typing import NamedTuple

from django.db.models import Aggregate, OuterRef, QuerySet, Subquery, TextField
from django.db.models.functions import JSONArray

from motcua import precompiled

from .models import Dossier, DossierEvent, DossierStep


class DossierRow(NamedTuple):
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
    apology_issued_at: datetime | None
    apology_previous_due_at: datetime | None
    apology_new_due_at: datetime | None


class StepRow(NamedTuple):
    state: str
    name: str
    agency: str
    department: str | None


class Found(NamedTuple):
    """A dossier with its steps in order and its milestones (action, moment), oldest first."""

    dossier: DossierRow
    steps: list[StepRow]
    events: list[tuple[str, datetime]]


DOSSIER_COLUMNS = (
    "id", "code", "status", "received_at", "due_at", "apology_count", "applicant_name",
    "applicant_phone", "applicant_id_number", "procedure__code", "procedure_version__name",
    "receiving_agency__name", "receiving_agency__address", "competent_agency__name",
    "reception_point__name", "reception_point__address", "apology__created_at",
    "apology__previous_due_at", "apology__new_due_at",
)  # fmt: skip
DOSSIER_MOMENTS = (3, 4, 16, 17, 18)  # positions of datetimes in DOSSIER_COLUMNS
# Each list item: the sort keys, then the values.
STEP_ITEMS = ("order", "id", "state", "name", "agency__name", "department__name")
EVENT_ITEMS = ("created_at", "id", "action")


class JSONList(Aggregate):
    """The JSON values of a group as one JSON list (text)."""

    function = "JSON_GROUP_ARRAY"  # SQLite
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


def _listed(query: QuerySet, items: tuple[str, ...]) -> Subquery:
    """The rows of `query` belonging to the dossier, each as a JSON list of `items`."""
    rows = query.filter(dossier=OuterRef("pk")).order_by().values("dossier")
    return Subquery(rows.annotate(items=JSONList(JSONArray(*items))).values("items"))


def _lookup_query(p: precompiled.Params) -> QuerySet:
    query = Dossier.objects.filter(code=p.text("code")).order_by()
    query = query.annotate(
        t_steps=_listed(DossierStep.objects, STEP_ITEMS),
        t_events=_listed(DossierEvent.objects, EVENT_ITEMS),
    )
    return query.values_list(*DOSSIER_COLUMNS, "t_steps", "t_events")


_LOOKUP = precompiled.Query(_lookup_query, convert=False)


def _moment(value: datetime | str | None) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _items(value: str | list | None) -> list[list]:
    """A JSON list column: text on SQLite, maybe already decoded on PostgreSQL; NULL when
    the dossier has none."""
    if value is None:
        return []
    return json.loads(value) if isinstance(value, str) else value


def lookup(code: str, actions: frozenset[str]) -> Found | None:
    """The dossier with `code`, its steps and its events with one of `actions`."""
    rows = _LOOKUP.run(code=code)
    return _found(rows[0], actions) if rows else None


def _found(row: tuple, actions: frozenset[str]) -> Found:
    *values, steps, events = row
    for n in DOSSIER_MOMENTS:
        values[n] = _moment(values[n])
    milestones = sorted(
        (_moment(at), pk, action) for at, pk, action in _items(events) if action in actions
    )
    return Found(
        DossierRow._make(values),
        [StepRow._make(item[2:]) for item in sorted(_items(steps))],
        [(action, at) for at, _pk, action in milestones],
    )
