"""The running tallies added up again from the dossiers' stored points, by the database.

Each dossier keeps its points in `Dossier.tally` (tallies.py, quality_tallies.py): its key
``k`` (receiving, competent, department, procedure) and lists of points, ``p`` (Biểu 06:
[column, ISO day]), ``q`` (quality: [column, day, n]), ``l`` (late online: [day received,
late from]), ``o`` (officers: [user, agency, column, day, n]) and ``ol`` (links: [user,
column, first day, last day, n]). One ``SELECT … GROUP BY`` per table unfolds those lists
with the database's JSON functions (PostgreSQL's ``jsonb_array_elements``, SQLite's
``json_each``) and groups them into the table (on PostgreSQL through a temporary table, see
_Fill); the month tables are then summed from the day tables. Nothing is carried through
Python, so the memory of the process stays flat and the time is the database's: ten million
dossiers in 6 min 23 s on PostgreSQL on two cores (docs/indicators.md). Rows whose sums are
all zero are not written, as the rebuild writes none.

The statements are built from the column lists of the models (facts.COLUMNS,
quality_points.*_COLUMNS), never from input.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection

from . import facts as fx
from . import quality_points as qp

KEY = ("receiving", "competent", "department", "procedure")


def q(name: str) -> str:
    return connection.ops.quote_name(name)


# SQLite merges a subquery into the query around it ("flattening"), and would then parse each
# dossier's whole tally again for every point unfolded from it, for every key read (2.5 times
# slower at 200,000 dossiers). A LIMIT keeps the subquery a stream of its own, read once per
# dossier (https://sqlite.org/optoverview.html#flattening, condition 14: the outer query
# is a join).
NOT_FLATTENED = " LIMIT -1"


class _Json:
    """The JSON functions of the database in use."""

    def __init__(self, vendor: str) -> None:
        self.postgres = vendor == "postgresql"

    def points(self, table: str, name: str) -> str:
        """FROM clause: the dossiers with a key, their key, and one row `e` per element of
        their list `name` (the element in `e.value`)."""
        if self.postgres:
            keys = ", ".join(f"(d.tally->'k'->>{i})::integer AS k{i}" for i in range(4))
            return (
                f"(SELECT {keys}, d.tally->'{name}' AS l FROM {table} AS d "
                f"WHERE d.tally ? 'k' AND jsonb_typeof(d.tally->'{name}') = 'array') AS t "
                "CROSS JOIN LATERAL jsonb_array_elements(t.l) AS e(value)"
            )
        keys = ", ".join(f"json_extract(d.tally, '$.k[{i}]') AS k{i}" for i in range(4))
        return (
            f"(SELECT {keys}, json_extract(d.tally, '$.{name}') AS l FROM {table} AS d "
            f"WHERE json_type(d.tally, '$.{name}') = 'array' "
            f"AND json_type(d.tally, '$.k') IS NOT NULL{NOT_FLATTENED}) AS t, json_each(t.l) AS e"
        )

    def pair(self, table: str, name: str) -> str:
        """FROM clause: the dossiers with a key and a pair `name`, as `t.a` and `t.b`."""
        if self.postgres:
            keys = ", ".join(f"(d.tally->'k'->>{i})::integer AS k{i}" for i in range(4))
            return (
                f"(SELECT {keys}, (d.tally->'{name}'->>0)::date AS a, "
                f"(d.tally->'{name}'->>1)::date AS b FROM {table} AS d "
                f"WHERE d.tally ? 'k' AND jsonb_typeof(d.tally->'{name}') = 'array') AS t"
            )
        keys = ", ".join(f"json_extract(d.tally, '$.k[{i}]') AS k{i}" for i in range(4))
        return (
            f"(SELECT {keys}, json_extract(d.tally, '$.{name}[0]') AS a, "
            f"json_extract(d.tally, '$.{name}[1]') AS b FROM {table} AS d "
            f"WHERE json_type(d.tally, '$.{name}') = 'array' "
            f"AND json_type(d.tally, '$.k') IS NOT NULL{NOT_FLATTENED}) AS t"
        )

    def item(self, index: int, kind: str = "text") -> str:
        """Element `index` of the unfolded element, as text, integer or date."""
        if self.postgres:
            text = f"(e.value->>{index})"
            return {"text": text, "integer": f"{text}::integer", "date": f"{text}::date"}[kind]
        return f"json_extract(e.value, '$[{index}]')"

    def month(self, day: str) -> str:
        if self.postgres:
            return f"CAST(date_trunc('month', {day}) AS date)"
        return f"(substr({day}, 1, 8) || '01')"


@dataclass(frozen=True)
class _Fill:
    """Rows for `table`'s columns `names`, from `select`."""

    table: str
    names: tuple[str, ...]
    select: str

    def sql(self, postgres: bool) -> list[str]:
        columns = ", ".join(q(n) for n in self.names)
        if not postgres:
            return [f"INSERT INTO {self.table} ({columns}) {self.select}"]
        # PostgreSQL plans no parallel workers for an INSERT's SELECT, but does for a
        # CREATE TABLE AS: the sums are made into a temporary table first (22 s -> 14 s for
        # the day tally at a million dossiers on two cores), then copied.
        return [
            f"CREATE TEMPORARY TABLE {STAGING} ({columns}) AS {self.select}",
            f"INSERT INTO {self.table} ({columns}) SELECT {columns} FROM {STAGING}",
            f"DROP TABLE {STAGING}",
        ]


STAGING = "motcua_sums_staging"


def _insert(
    model, period: tuple[str, str], keys: Sequence[tuple[str, str]], sums, source: str
) -> _Fill:
    """The model's table (period, keys, columns) filled with the grouped sums, keeping only
    rows with a sum other than zero. `keys`: [(column, expression)]; `sums`: [(column,
    expression)]."""
    names = (period[0], *(k for k, _ in keys), *(c for c, _ in sums))
    groups = [period[1], *(e for _, e in keys)]
    nonzero = " OR ".join(f"{e} <> 0" for _, e in sums)
    return _Fill(
        q(model._meta.db_table),
        names,
        f"SELECT {', '.join(groups)}, {', '.join(e for _, e in sums)} FROM {source} "
        f"GROUP BY {', '.join(groups)} HAVING {nonzero}",
    )


def _pivot(
    model,
    period: tuple[str, str],
    keys: Sequence[tuple[str, str]],
    columns: Sequence[str],
    name: str,
    amount: str,
    source: str,
) -> _Fill:
    """Points unfolded from `source` added up per period, key and name (the element's
    column), then turned into one row per period and key with a sum per column: the name is
    read once per point, not once per column."""
    inner_keys = [(f"g{i}", e) for i, (_, e) in enumerate(keys)]
    inner = (
        f"(SELECT {period[1]} AS p, "
        + "".join(f"{e} AS {alias}, " for alias, e in inner_keys)
        + f"{name} AS n, SUM({amount}) AS a FROM {source} "
        f"GROUP BY {', '.join([period[1], *(e for _, e in inner_keys), name])}) AS points"
    )
    return _insert(
        model,
        (period[0], "p"),
        [(column, alias) for (column, _), (alias, _) in zip(keys, inner_keys, strict=True)],
        [(c, f"SUM(CASE WHEN n = '{c}' THEN a ELSE 0 END)") for c in columns],
        inner,
    )


def _month_rows(day_model, month_model, keys: Sequence[str], columns: Sequence[str], j) -> _Fill:
    """The month table summed from the day table."""
    source = q(day_model._meta.db_table)
    return _insert(
        month_model,
        ("month", j.month(q("day"))),
        [(k, q(k)) for k in keys],
        [(c, f"SUM({q(c)})") for c in columns],
        source,
    )


def statements(dossier_table: str, models, vendor: str) -> list[list[str]]:
    """The statements that fill the empty tallies from the stored points, table by table
    in order. `models`: the Biểu 06 models (DayTally, MonthTally), and the quality ones if
    their tables exist."""
    j = _Json(vendor)
    return [fill.sql(j.postgres) for fill in _fills(dossier_table, models, j)]


def _fills(dossier_table: str, models, j: _Json) -> list[_Fill]:
    table = q(dossier_table)
    key = [(k, f"t.k{i}") for i, k in enumerate(KEY)]
    out = [
        _pivot(
            models.DayTally,
            ("day", j.item(1, "date")),
            key,
            fx.COLUMNS,
            j.item(0),
            "1",
            j.points(table, "p"),
        ),
        _month_rows(models.DayTally, models.MonthTally, KEY, fx.COLUMNS, j),
    ]
    if getattr(models, "QualityDay", None) is None:
        return out
    out += [
        _pivot(
            models.QualityDay,
            ("day", j.item(1, "date")),
            key,
            qp.KEY_COLUMNS,
            j.item(0),
            j.item(2, "integer"),
            j.points(table, "q"),
        ),
        _month_rows(models.QualityDay, models.QualityMonth, KEY, qp.KEY_COLUMNS, j),
        _insert(
            models.OnlineLate,
            ("received", "t.a"),
            [*key, ("late_from", "t.b")],
            [("n", "COUNT(*)")],
            j.pair(table, "l"),
        ),
        _pivot(
            models.OfficerDay,
            ("day", j.item(3, "date")),
            [("user", j.item(0, "integer")), ("agency", j.item(1, "integer")), *key],
            qp.OFFICER_COLUMNS,
            j.item(2),
            j.item(4, "integer"),
            j.points(table, "o"),
        ),
        _month_rows(
            models.OfficerDay,
            models.OfficerMonth,
            ("user", "agency", *KEY),
            qp.OFFICER_COLUMNS,
            j,
        ),
        _pivot(
            models.OfficerLink,
            ("start", j.item(2, "date")),
            [("end", j.item(3, "date")), ("user", j.item(0, "integer")), *key],
            qp.LINK_COLUMNS,
            j.item(1),
            j.item(4, "integer"),
            j.points(table, "ol"),
        ),
    ]
    return out
