"""Statements compiled once per process, run with as little of Django's cursor machinery as
is safe: for the busiest paths (public tracking, the lifecycle transitions).

Building a Django query costs far more than running it (tens of microseconds to run a small
statement on SQLite, a millisecond to build and compile it), and running a statement through
Django's cursor wrapper costs more than the SQLite work itself (about 25 µs: the
execute-wrapper chain, and on SQLite the rewriting of every placeholder on every call). So:

* `run` / `execute` take SQL with Django's %(name)s placeholders and run it on the DB-API
  cursor of Django's own connection: the same connection and transaction, health checks and
  errors translated as Django does, placeholders already in the driver's style.
* `Query` is a read written with the ORM and compiled once: the ORM stays the source of
  tables, columns, joins and value conversions; only the compilation is not repeated.
* `CompiledSaves` gives a model the same for `save(update_fields=...)` and first inserts.

When Django records queries (DEBUG, assertNumQueries) or a wrapper watches them
(`connection.execute_wrapper`), statements go through Django's cursor instead, so they are
seen and counted like any other.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models
from django.db.models import QuerySet, signals
from django.db.transaction import TransactionManagementError

NAMED = re.compile(r"%\((\w+)\)s")
PLACEHOLDER = re.compile(r"(?<!%)%s")


def run(sql: str, params: Mapping[str, Any], connection=None) -> list[tuple]:
    """The rows of `sql` (with Django's %(name)s placeholders, %% for a percent sign) for
    `params`, on the default database (`connection`, when the caller holds it already);
    [] for a statement that returns none."""
    return _execute(sql, params, connection or connections[DEFAULT_DB_ALIAS], rows=True)


def execute(sql: str, params: Mapping[str, Any], connection=None) -> int:
    """Run `sql` as `run` does; the number of rows it changed."""
    return _execute(sql, params, connection or connections[DEFAULT_DB_ALIAS], rows=False)


def _execute(sql: str, params: Mapping[str, Any], connection, *, rows: bool):
    if connection.queries_logged or connection.execute_wrappers:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            if not rows:
                return cursor.rowcount
            return cursor.fetchall() if cursor.description else []
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    with connection.wrap_database_errors:
        cursor = connection.connection.cursor()
        try:
            cursor.execute(_native(sql, connection.vendor), params)
            if not rows:
                return cursor.rowcount
            return cursor.fetchall() if cursor.description else []
        finally:
            cursor.close()


@lru_cache(maxsize=32)
def _native(sql: str, vendor: str) -> str:
    """SQLite's driver takes :name and a bare %; psycopg takes the statement as it is."""
    return NAMED.sub(r":\1", sql).replace("%%", "%") if vendor == "sqlite" else sql


# --- Reads built with the ORM, compiled once ----------------------------------------------

_SENTINEL_BASE = -1_987_000_000  # ints no real key takes (fits a 32-bit integer column)


class Params:
    """Hands out placeholder values while a query is built; `Query` finds them in the
    compiled parameters and puts the real values there on each run."""

    def __init__(self) -> None:
        self.kinds: dict[str, type] = {}
        self._values: dict[Any, str] = {}

    def _mark(self, name: str, kind: type, value: Any) -> Any:
        self.kinds[name] = kind
        self._values[value] = name
        return value

    def integer(self, name: str) -> int:
        return self._mark(name, int, _SENTINEL_BASE - len(self.kinds))

    def text(self, name: str) -> str:
        return self._mark(name, str, f"\x00{name}\x00")

    def day(self, name: str) -> date:
        day = date(1, 1, 1) + timedelta(days=len(self.kinds))
        self._values[connections[DEFAULT_DB_ALIAS].ops.adapt_datefield_value(day)] = name
        self.kinds[name] = date
        return day

    def name_of(self, value: Any) -> str | None:
        try:
            return self._values.get(value)
        except TypeError:  # unhashable (a list of values): a constant
            return None


def _adapt(kind: type, value: Any, connection) -> Any:
    if kind is date and value is not None:
        return connection.ops.adapt_datefield_value(value)
    return value


@dataclass(frozen=True)
class _Compiled:
    sql: str  # with %(name)s placeholders
    constants: dict[str, Any]
    kinds: dict[str, type]
    converters: list[tuple[int, list, Any]]
    model: Any
    names: tuple[str, ...]
    locks: bool


class Query:
    """A read written with the ORM (`build(p)` returns a `values_list` QuerySet, with
    `p.integer("id")`… where values go), compiled to SQL once per process and database vendor
    and run by `run()`. Rows come back converted as the ORM would (datetimes aware, JSON
    decoded), or, with `convert=False`, as the driver returns them, for a caller that
    converts the few values it uses itself; `instances()` makes model objects of them when
    the columns are the model's own fields (`Model.from_db`, as the ORM does). A
    select_for_update() query must run inside a transaction, as with the ORM."""

    def __init__(self, build: Callable[[Params], QuerySet], *, convert: bool = True) -> None:
        self._build = build
        self._convert = convert
        self._compiled: dict[str, _Compiled] = {}

    def _compile(self, connection) -> _Compiled:
        found = self._compiled.get(connection.vendor)
        if found is None:
            found = self._compiled[connection.vendor] = self._prepare(connection)
        return found

    def _prepare(self, connection) -> _Compiled:
        params = Params()
        queryset = self._build(params)
        compiler = queryset.query.get_compiler(connection=connection)
        sql, values = compiler.as_sql()
        pieces = PLACEHOLDER.split(sql)
        constants: dict[str, Any] = {}
        out = [pieces[0]]
        for n, (value, piece) in enumerate(zip(values, pieces[1:], strict=True)):
            name = params.name_of(value)
            if name is None:
                name = f"_c{n}"
                constants[name] = value
            out.append(f"%({name})s{piece}")
        missing = set(params.kinds) - {params.name_of(v) for v in values}
        if missing:
            raise ImproperlyConfigured(f"Parameters not found in the compiled query: {missing}")
        select = [column for column, _sql, _alias in compiler.select]
        converters = [(i, c, e) for i, (c, e) in compiler.get_converters(select).items()]
        return _Compiled(
            sql="".join(out),
            constants=constants,
            kinds=params.kinds,
            converters=converters,
            model=queryset.model,
            names=tuple(queryset.query.values_select),
            locks=bool(queryset.query.select_for_update),
        )

    def run(self, **values: Any) -> list[list] | list[tuple]:
        connection = connections[DEFAULT_DB_ALIAS]
        compiled = self._compile(connection)
        if values.keys() != compiled.kinds.keys():
            raise TypeError(f"Expected the values {sorted(compiled.kinds)}, got {sorted(values)}")
        if compiled.locks and connection.get_autocommit():
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        named = dict(compiled.constants)
        for name, value in values.items():
            named[name] = _adapt(compiled.kinds[name], value, connection)
        found = run(compiled.sql, named, connection)
        if not self._convert:
            return found
        rows = [list(row) for row in found]
        for row in rows:
            for position, functions, expression in compiled.converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
        return rows

    def instances(self, **values: Any) -> list:
        """The rows as instances of the query's model (the columns must be its fields)."""
        if not self._convert:
            raise ImproperlyConfigured("instances() needs the rows converted (convert=True)")
        compiled = self._compile(connections[DEFAULT_DB_ALIAS])
        model, names = compiled.model, compiled.names
        return [model.from_db(DEFAULT_DB_ALIAS, names, row) for row in self.run(**values)]


def attnames(model, *, exclude: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The model's column attributes in the order `Model.from_db` expects them."""
    return tuple(f.attname for f in model._meta.concrete_fields if f.name not in exclude)


# --- Saves compiled once --------------------------------------------------------------------


def _has_receivers(model) -> bool:
    return any(signal.has_listeners(model) for signal in (signals.pre_save, signals.post_save))


@lru_cache(maxsize=256)
def _update_sql(model, fields: tuple[str, ...], vendor: str) -> str:
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    meta = model._meta
    sets = ", ".join(f"{quote(meta.get_field(f).column)} = %({f})s" for f in fields)
    return f"UPDATE {quote(meta.db_table)} SET {sets} WHERE {quote(meta.pk.column)} = %(pk)s"


@lru_cache(maxsize=64)
def _insert_sql(model, vendor: str) -> tuple[str, tuple]:
    connection = connections[DEFAULT_DB_ALIAS]
    quote = connection.ops.quote_name
    meta = model._meta
    fields = tuple(f for f in meta.concrete_fields if not f.primary_key)
    columns = ", ".join(quote(f.column) for f in fields)
    values = ", ".join(f"%({f.attname})s" for f in fields)
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({values})"
    return f"{sql} RETURNING {quote(meta.pk.column)}", fields


class CompiledSaves(models.Model):
    """`save(update_fields=...)` of an existing row and the first save of a new one run a
    statement compiled once per model (and field list), on the DB-API cursor
    (motcua.precompiled.run): the statement Django would write, values prepared by each
    field as Django does (auto_now included). Django's own save runs instead when the model
    has save signal receivers, when a database other than the default is asked, or for a
    save that is neither of those two."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        plain = (
            not args
            and set(kwargs) <= {"update_fields", "force_insert", "using"}
            and kwargs.get("using") in (None, DEFAULT_DB_ALIAS)
        )
        if not plain or _has_receivers(type(self)):
            return super().save(*args, **kwargs)
        if update_fields is not None and not self._state.adding and self.pk is not None:
            return self._compiled_update(tuple(update_fields))
        if update_fields is None and self._state.adding and self.pk is None:
            return self._compiled_insert()
        return super().save(*args, **kwargs)

    def _compiled_update(self, fields: tuple[str, ...]) -> None:
        if not fields:
            return
        meta = type(self)._meta
        saved = [meta.get_field(name) for name in fields]
        self._prepare_related_fields_for_save(operation_name="save", fields=saved)
        connection = connections[DEFAULT_DB_ALIAS]
        values = {"pk": self.pk}
        for name, field in zip(fields, saved, strict=True):
            values[name] = field.get_db_prep_save(field.pre_save(self, False), connection)
        if not execute(_update_sql(type(self), fields, connection.vendor), values, connection):
            raise DatabaseError("Save with update_fields did not affect any rows.")

    def _compiled_insert(self) -> None:
        self._prepare_related_fields_for_save(operation_name="save")
        connection = connections[DEFAULT_DB_ALIAS]
        sql, fields = _insert_sql(type(self), connection.vendor)
        values = {f.attname: f.get_db_prep_save(f.pre_save(self, True), connection) for f in fields}
        [(pk,)] = run(sql, values, connection)
        setattr(self, type(self)._meta.pk.attname, pk)
        self._state.adding = False
        self._state.db = DEFAULT_DB_ALIAS
