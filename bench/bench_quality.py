"""The quality page (Circular 01/2018's nine indicators per unit and officer, the QĐ 766
groups: reports.indicators.build) from the running tallies, next to the same page computed
from the dossier rows in the same run (the reference kept in the tests,
motcua/reports/tests/quality_rows.py: the dossiers, their steps, components, attachments and
events read and scored one by one, as the page did before decision 0015).

For each size, a database of its own (on SQLite a file built once and kept in var/bench/,
bench/scratch.py `kept_database`; on PostgreSQL a new one each run): the demo province with
its 69 communes and N synthetic dossiers with their steps (officers assigned) from
2022-01-01 to 2026-06-30 (motcua.synthetic, fixed seed), the statistics rebuilt. Then the
page's build for several quarters and scopes with the tallies (median and p95 of
TALLY_RUNS runs each), and once per scope on the latest quarter from the rows; then the
tallies' repair (`rebuild_tallies`) beside their recomputation (`--recompute`).

Sizes: 40k and 200k dossiers (the row-based page takes about a minute at 200k on SQLite);
BENCH_QUALITY_SIZES="40000,1000000" chooses others; BENCH_QUALITY_ROWS=0 skips the row-based
baseline (it grows with the period's dossiers: minutes at a million). Run alone:
`python -m bench quality`.
"""

import gc
import os
import statistics
import time
from datetime import date
from io import StringIO

from django.core.management import call_command

from motcua.catalogue.models import Procedure
from motcua.organisations.models import Agency
from motcua.reports import indicators
from motcua.reports.scope import Period, Scope, quarter
from motcua.synthetic.generator import Options, generate
from motcua.synthetic.progress import duration

from .scratch import kept_database, source_key

FIRST, LAST = date(2022, 1, 1), date(2026, 6, 30)
SEED = 20260701
COMMUNES = 69
QUARTERS = [quarter(2022, 3), quarter(2024, 1), quarter(2025, 4), quarter(2026, 2)]
TALLY_RUNS = 5
SOURCES = ["motcua/synthetic", "motcua/demo"]


def run() -> None:
    for size in _sizes():
        key = source_key(SOURCES, size, SEED, FIRST, LAST, COMMUNES, "steps")
        built: list[str] = []

        def build(size: int = size, built: list[str] = built) -> None:
            built.append(_build(size))

        with kept_database(f"quality-{size}-{key}", build) as at:
            _bench(size, at, built[0] if built else "built by an earlier run")


def _sizes() -> list[int]:
    chosen = os.environ.get("BENCH_QUALITY_SIZES")
    if chosen:
        return [int(n) for n in chosen.replace("_", "").split(",") if n.strip()]
    return [40_000, 200_000]


def _build(size: int) -> str:
    call_command("seed_demo", stdout=StringIO())
    summary = generate(
        Options(size, FIRST, LAST, seed=SEED, communes=COMMUNES, steps=True), quiet=True
    )
    rebuilt = summary.rebuild_seconds
    return (
        f"generated in {duration(summary.generate_seconds)} ({summary.rate:,.0f} dossiers/s), "
        + (f"statistics rebuilt in {duration(rebuilt)}" if rebuilt is not None else "")
    )


def _scopes() -> list[tuple[str, Scope]]:
    def agency(code: str) -> Scope:
        return Scope(frozenset([Agency.objects.get(code=code).pk]))

    birth = Procedure.objects.get(code="1.001193")
    return [
        ("province", Scope()),
        ("department H42.12", agency("H42.12")),
        ("commune H42.50.01", agency("H42.50.01")),
        ("procedure 1.001193", Scope(procedure_id=birth.pk)),
    ]


def _rows_source():
    if os.environ.get("BENCH_QUALITY_ROWS", "1") == "0":
        return None
    from motcua.reports.tests import quality_rows

    return quality_rows


def _bench(size: int, where: str, built: str) -> None:
    # As the production server does once the application is loaded (deploy/gunicorn.conf.py):
    # the garbage collector's passes leave the loaded objects alone.
    gc.collect()
    gc.freeze()
    print(f"   {where}, {size:,} dossiers ({FIRST:%Y-%m-%d}..{LAST:%Y-%m-%d}): {built}", flush=True)
    rows = _rows_source()
    print(
        f"   {len(QUARTERS)} quarters x {TALLY_RUNS} runs from the tallies"
        + (
            f"; from the rows once on {QUARTERS[-1].first:%Y-%m}..{QUARTERS[-1].last:%m}"
            if rows
            else ""
        )
    )
    print(f"     {'scope':<22} {'tallies median':>15} {'p95':>8}   {'rows':>10}   {'ratio':>7}")
    for label, scope in _scopes():
        fast = [_page(period, scope) for period in QUARTERS for _ in range(TALLY_RUNS)]
        line = f"     {label:<22} {_ms(statistics.median(fast)):>12} ms {_ms(_p95(fast)):>5} ms"
        if rows is not None:
            slow = _page(QUARTERS[-1], scope, rows)
            line += f"   {_ms(slow):>7} ms   {slow / statistics.median(fast):6,.0f}x"
        print(line, flush=True)
    _repairs()


def _repairs() -> None:
    """The tallies' repair (rebuild_tallies: the stored points added up again by the
    database) beside their recomputation from the rows (rebuild_tallies --recompute, one
    process per CPU), in the same run."""
    from motcua.reports import tallies

    workers = tallies.parallel()
    timed = {}
    for name, run in (
        ("re-sum", tallies.resum),
        ("recompute", lambda: tallies.rebuild(workers=workers)),
    ):
        started = time.perf_counter()
        run()
        timed[name] = time.perf_counter() - started
    print(
        f"   rebuild_tallies: re-sum {timed['re-sum']:,.1f} s, "
        f"--recompute ({workers} processes) {timed['recompute']:,.1f} s (baseline)",
        flush=True,
    )


def _page(period: Period, scope: Scope, source=None) -> float:
    """Seconds to build the quality page (from the tallies, or from `source`)."""
    started = time.perf_counter()
    indicators.build(period, scope, source=source)
    return time.perf_counter() - started


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f}"


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, -(-len(ordered) * 95 // 100) - 1)]
