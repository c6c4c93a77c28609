"""Biểu 06 at provincial scale: the report from the running tallies, next to the plain GROUP BY
over the dossier table (report.build(method="naive"), the definition as database filters).

For each size, on a database of its own (on SQLite a file built once and kept in var/bench/,
named after what it is built from, bench/scratch.py `kept_database`: the reports only read;
on PostgreSQL with DATABASE_URL, e.g. `scripts/with-postgres make bench`, a new database
each run): the demo province with its 69 communes, N synthetic dossiers from 2022-01-01 to
2026-06-30 (motcua.synthetic, fixed seed: the same data every run), the statistics rebuilt;
then Biểu 06 for several quarters and six scopes (the province; one department; one commune;
one field; one procedure; the province grouped by resolving agency), timed with each method:
median and p95 in ms, and the ratio.

Sizes: 100k and 1M dossiers; on PostgreSQL also 10M with BENCH_REPORTS_10M=1;
BENCH_REPORTS_SIZES="100000,1000000" chooses others. The direct count reads every row of the
scope and grows with the history (minutes per report on SQLite at 1M), so it is timed once
per scope on fewer quarters than the tallies; the ratio compares medians over the same
quarters. Run alone: `python -m bench reports`.
"""

import os
import statistics
import time
from collections.abc import Callable
from datetime import date
from io import StringIO

from django.core.management import call_command
from django.db import connection

from motcua.catalogue.models import Procedure
from motcua.organisations.models import Agency
from motcua.reports import report
from motcua.reports.scope import GroupBy, Scope, quarter
from motcua.synthetic.generator import Options, generate
from motcua.synthetic.progress import duration

from .scratch import kept_database, source_key

FIRST, LAST = date(2022, 1, 1), date(2026, 6, 30)
SEED = 20260701
COMMUNES = 69  # Hà Tĩnh after the 2025 reform
QUARTERS = [quarter(2022, 3), quarter(2024, 1), quarter(2025, 4), quarter(2026, 2)]
TALLY_RUNS = 5  # per quarter and scope
NAIVE_QUARTERS = {100_000: 2}
# What a database is built from (with the constants above): kept in var/bench/ on SQLite.
SOURCES = ["motcua/synthetic", "motcua/demo"]  # by size; larger sizes: 1 (the latest quarter)


def run() -> None:
    for size in _sizes():
        _run_size(size)


def _run_size(size: int) -> None:
    built: list[str] = []
    key = source_key(SOURCES, size, SEED, FIRST, LAST, COMMUNES)
    with kept_database(f"reports-{size}-{key}", lambda: built.append(_build(size))) as where:
        _bench(size, where, built[0] if built else "built by an earlier run")


def _sizes() -> list[int]:
    chosen = os.environ.get("BENCH_REPORTS_SIZES")
    if chosen:
        return [int(n) for n in chosen.replace("_", "").split(",") if n.strip()]
    sizes = [100_000, 1_000_000]
    if connection.vendor == "postgresql" and os.environ.get("BENCH_REPORTS_10M") == "1":
        sizes.append(10_000_000)
    return sizes


def _build(size: int) -> str:
    """The demo province and `size` synthetic dossiers, the statistics rebuilt; how long."""
    call_command("seed_demo", stdout=StringIO())
    options = Options(size, FIRST, LAST, seed=SEED, communes=COMMUNES)
    summary = generate(options, quiet=True)
    rebuilt = summary.rebuild_seconds
    return (
        f"generated in {duration(summary.generate_seconds)} ({summary.rate:,.0f} dossiers/s), "
        + (f"statistics rebuilt in {duration(rebuilt)}" if rebuilt is not None else "")
    )


def _bench(size: int, where: str, built: str) -> None:
    print(
        f"   {where}, {size:,} dossiers ({FIRST:%Y-%m-%d}..{LAST:%Y-%m-%d}): {built}",
        flush=True,
    )
    naive_quarters = QUARTERS[-NAIVE_QUARTERS.get(size, 1) :]
    print(
        f"   {len(QUARTERS)} quarters x {TALLY_RUNS} runs with the tallies; "
        f"the direct count once on {len(naive_quarters)} quarter(s)"
    )
    print(f"     {'':<22} {'tallies (ms)':^21}   {'direct count (ms)':^25}")
    print(
        f"     {'scope':<22} {'median':>10} {'p95':>10}   {'median':>12} {'p95':>12}   {'ratio':>9}"
    )
    for label, scope, group_by in _scopes():
        fast = _timings(QUARTERS, TALLY_RUNS, scope, group_by, "tallies")
        slow = _timings(naive_quarters, 1, scope, group_by, "naive")
        same = [t for q, t in fast if q in naive_quarters]
        print(_line(label, [t for _, t in fast], [t for _, t in slow], same), flush=True)


def _scopes() -> list[tuple[str, Scope, str]]:
    def agency(code: str) -> Scope:
        return Scope(frozenset([Agency.objects.get(code=code).pk]))

    birth = Procedure.objects.get(code="1.001193")
    return [
        ("province", Scope(), ""),
        ("department H42.12", agency("H42.12"), ""),
        ("commune H42.50.01", agency("H42.50.01"), ""),
        ("field (civil status)", Scope(field_id=birth.field_id), ""),
        ("procedure 1.001193", Scope(procedure_id=birth.pk), ""),
        ("grouped by agency", Scope(), GroupBy.AGENCY),
    ]


def _timings(quarters, runs: int, scope: Scope, group_by: str, method: str):
    samples = []
    for period in quarters:
        for _ in range(runs):
            samples.append(
                (period, _time(lambda p=period: report.build(p, scope, group_by, method=method)))
            )
    return samples


def _time(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, -(-len(ordered) * 95 // 100) - 1)]


def _line(label: str, fast: list[float], slow: list[float], same: list[float]) -> str:
    ratio = statistics.median(slow) / statistics.median(same)
    fast_ms, slow_ms = statistics.median(fast) * 1000, statistics.median(slow) * 1000
    return (
        f"     {label:<22} {fast_ms:10.1f} {_p95(fast) * 1000:10.1f}   "
        f"{slow_ms:12,.0f} {_p95(slow) * 1000:12,.0f}   {ratio:8,.0f}x"
    )
