"""Bulk writing of synthetic dossiers: PostgreSQL `COPY … FROM STDIN` (psycopg's
`cursor.copy()`), SQLite `executemany` of one prepared INSERT; both far faster than
`bulk_create`, which builds one statement with every value as a parameter.

Dossier ids are given here (from the current maximum), so that supplement requests and
apologies can point at their dossier without reading ids back; the id sequence is moved past
them at the end (PostgreSQL; SQLite's AUTOINCREMENT follows by itself). The generator must
therefore be the only writer while it runs. The daily code counters (DailySequence) are
raised in the same transaction as each batch, so live intake afterwards never collides.
A large load drops the secondary indexes of the dossier and step tables and builds them
again at the end (`prepare`/`finish`); a run that is interrupted has them recreated by the
next run.
Moments arrive naive local (the calendar's zone) and are written as UTC text.
"""

import json
from datetime import UTC, date, datetime, timedelta, tzinfo
from operator import attrgetter

from django.core.management.color import no_style
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

from motcua.dossiers.models import Apology, DailySequence, Dossier, DossierStep, SupplementRequest
from motcua.runtime.maintenance import refresh_planner_statistics

from .story import APOLOGY_REASON, SUPPLEMENT_ITEMS, SUPPLEMENT_REASON, Story

SUPPLEMENT_COLUMNS = [
    "dossier_id", "requested_at", "requested_by_id", "reason", "items", "clock",
    "due_before", "answered_at", "received_by_id", "due_after",
]  # fmt: skip
APOLOGY_COLUMNS = [
    "dossier_id", "created_at", "created_by_id", "reason", "responsible_agency_id",
    "previous_due_at", "new_due_at", "issued_on_time",
]  # fmt: skip
STEP_COLUMNS = [
    "dossier_id", "order", "name", "role", "agency_id", "department_id", "assignee_id",
    "budget_hours", "state", "started_at", "due_at", "finished_at",
]  # fmt: skip
BULK_TABLES = (Dossier, DossierStep)  # their secondary indexes may be dropped during a load
SEQUENCE_UPSERT = (
    "INSERT INTO {table} (agency_id, day, last_value) VALUES (%s, %s, %s) "
    "ON CONFLICT (agency_id, day) DO UPDATE SET last_value = {larger}"
    "({table}.last_value, excluded.last_value)"
)


def _constant(field: models.Field):
    value = field.get_default()
    if isinstance(field, models.JSONField):
        return json.dumps(value)
    return value


class UtcText:
    """Naive local moment -> the database's text for a UTC timestamp."""

    def __init__(self, tz: tzinfo, first: date, last: date, suffix: str):
        self.tz, self.suffix = tz, suffix
        probes = [datetime(y, m, 1) for y in range(first.year, last.year + 3) for m in (1, 7)]
        offsets = {tz.utcoffset(p) for p in probes}
        self.offset: timedelta | None = offsets.pop() if len(offsets) == 1 else None

    def __call__(self, moment: datetime | None) -> str | None:
        if moment is None:
            return None
        if self.offset is not None:
            return (moment - self.offset).isoformat(" ") + self.suffix
        utc = moment.replace(tzinfo=self.tz).astimezone(UTC).replace(tzinfo=None)
        return utc.isoformat(" ") + self.suffix


class Writer:
    def __init__(self, connection: BaseDatabaseWrapper, tz: tzinfo, first: date, last: date):
        self.connection = connection
        self.copy = connection.vendor == "postgresql"
        self.text = UtcText(tz, first, last, "+00" if self.copy else "")
        story_fields = set(Story.__dataclass_fields__)
        fields = list(Dossier._meta.concrete_fields)
        given = [f for f in fields if f.attname in story_fields]
        rest = [f for f in fields if f.attname not in story_fields]
        self.dossier_columns = [f.column for f in given + rest]
        self._values = attrgetter(*(f.attname for f in given))
        self._moments = [i for i, f in enumerate(given) if isinstance(f, models.DateTimeField)]
        self._constants = tuple(_constant(f) for f in rest)
        self.written = {"dossiers": 0, "supplements": 0, "apologies": 0, "steps": 0}
        self.dropped = False

    # Rows ---------------------------------------------------------------------------------

    def dossier_row(self, story: Story) -> tuple:
        values = list(self._values(story))
        text = self.text
        for i in self._moments:
            values[i] = text(values[i])
        values.extend(self._constants)
        return tuple(values)

    def supplement_row(self, story: Story) -> tuple:
        s, text = story.supplement, self.text
        return (
            story.id, text(s.requested_at), s.requested_by_id, SUPPLEMENT_REASON,
            SUPPLEMENT_ITEMS, s.clock, text(s.due_before), text(s.answered_at),
            s.received_by_id, text(s.due_after),
        )  # fmt: skip

    def apology_row(self, story: Story) -> tuple:
        a, text = story.apology, self.text
        return (
            story.id, text(a.created_at), a.created_by_id, APOLOGY_REASON,
            a.responsible_agency_id, text(a.previous_due_at), text(a.new_due_at),
            a.issued_on_time,
        )  # fmt: skip

    def step_rows(self, story: Story) -> list[tuple]:
        text = self.text
        return [
            (
                story.id,
                s.order,
                s.name,
                s.role,
                s.agency_id,
                s.department_id,
                s.assignee_id,
                s.budget_hours,
                s.state,
                text(s.started_at),
                text(s.due_at),
                text(s.finished_at),
            )  # fmt: skip
            for s in story.steps
        ]

    # Writing ------------------------------------------------------------------------------

    def write(self, stories: list[Story]) -> None:
        """One batch; the caller holds the transaction."""
        self._insert(Dossier, self.dossier_columns, [self.dossier_row(s) for s in stories])
        supplements = [self.supplement_row(s) for s in stories if s.supplement is not None]
        apologies = [self.apology_row(s) for s in stories if s.apology is not None]
        steps = [row for s in stories if s.steps for row in self.step_rows(s)]
        self._insert(SupplementRequest, SUPPLEMENT_COLUMNS, supplements)
        self._insert(Apology, APOLOGY_COLUMNS, apologies)
        self._insert(DossierStep, STEP_COLUMNS, steps)
        self._sequences(stories)
        for name, rows in (("supplements", supplements), ("apologies", apologies)):
            self.written[name] += len(rows)
        self.written["dossiers"] += len(stories)
        self.written["steps"] += len(steps)

    def _insert(self, model, columns: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        quote = self.connection.ops.quote_name
        table = quote(model._meta.db_table)
        names = ", ".join(quote(c) for c in columns)
        with self.connection.cursor() as cursor:
            if self.copy:
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                return
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)

    def _sequences(self, stories: list[Story]) -> None:
        last: dict[tuple[int, date], int] = {}
        for story in stories:
            key = (story.receiving_agency_id, story.day)
            if story.sequence > last.get(key, 0):
                last[key] = story.sequence
        table = self.connection.ops.quote_name(DailySequence._meta.db_table)
        larger = "GREATEST" if self.copy else "MAX"
        sql = SEQUENCE_UPSERT.format(table=table, larger=larger)
        rows = [(agency, day, value) for (agency, day), value in sorted(last.items())]
        with self.connection.cursor() as cursor:
            cursor.executemany(sql, rows)

    # Indexes ------------------------------------------------------------------------------

    def _indexes(self) -> list[tuple[str, str]]:
        """(name, CREATE INDEX) of the secondary indexes of the tables loaded in bulk, as
        the migrations made them (the schema editor's statements; unique ones excluded)."""
        editor = self.connection.schema_editor()
        return [
            (str(statement.parts["name"]), str(statement))
            for model in BULK_TABLES
            for statement in editor._model_indexes_sql(model)
        ]

    def _existing_indexes(self) -> set[str]:
        quote, names = self.connection.ops.quote_name, set()
        with self.connection.cursor() as cursor:
            for model in BULK_TABLES:
                table = model._meta.db_table
                names |= set(self.connection.introspection.get_constraints(cursor, table))
        return {quote(name) for name in names}

    def prepare(self, count: int, drop_indexes: bool | None = None) -> None:
        """Recreate any index an interrupted run left out; for a load larger than the table
        (and at least 100,000 rows, unless told), drop the secondary indexes: building them
        once at the end is several times faster than keeping them up to date."""
        self.restore_indexes()
        if drop_indexes is None:
            drop_indexes = count >= 100_000 and count >= Dossier.objects.count()
        if not drop_indexes:
            return
        self.dropped = True
        with self.connection.cursor() as cursor:
            for name, _sql in self._indexes():
                cursor.execute(f"DROP INDEX IF EXISTS {name}")

    def restore_indexes(self) -> None:
        existing = self._existing_indexes()
        with self.connection.cursor() as cursor:
            if self.copy:
                # Deferred foreign-key checks of rows just written in this transaction must
                # run first: PostgreSQL refuses CREATE INDEX while trigger events are pending.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET maintenance_work_mem = '256MB'")
            for name, sql in self._indexes():
                if name not in existing:
                    cursor.execute(sql)

    def finish(self) -> None:
        """Move the dossier id sequence past the ids given here; rebuild dropped indexes;
        fresh planner statistics (PostgreSQL: the bulk-loaded tables; SQLite: every table,
        as the daily job does, runtime/maintenance.py)."""
        statements = self.connection.ops.sequence_reset_sql(no_style(), [Dossier])
        with self.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
        if self.dropped:
            self.restore_indexes()
        if self.connection.vendor == "sqlite":
            refresh_planner_statistics()
        elif self.copy:
            with self.connection.cursor() as cursor:
                for model in (Dossier, SupplementRequest, Apology, DossierStep, DailySequence):
                    cursor.execute(
                        f"ANALYZE {self.connection.ops.quote_name(model._meta.db_table)}"
                    )


def existing_sequences(first: date, last: date) -> dict[tuple[int, date], int]:
    rows = DailySequence.objects.filter(day__gte=first, day__lte=last)
    return {(a, d): v for a, d, v in rows.values_list("agency_id", "day", "last_value")}


def next_dossier_id() -> int:
    return (Dossier.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1
