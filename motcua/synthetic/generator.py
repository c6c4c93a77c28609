"""`generate(options)`: the one entry point of the synthetic history (the package's
docstring), called by the `generate_dossiers` command and bench/bench_reports.py."""

import io
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TextIO

from django.db import connection, transaction

from motcua.reports import tallies
from motcua.workdays.loader import get_calendar

from .clock import Clock
from .progress import Progress
from .story import Teller
from .volume import daily_counts
from .world import ensure_communes, load_world
from .writer import Writer, existing_sequences, next_dossier_id

SUBMITTED_BEFORE = timedelta(days=7)


@dataclass(frozen=True)
class Options:
    count: int
    first: date
    last: date
    seed: int = 2026
    communes: int = 0
    batch: int = 20_000
    steps: bool = False
    drop_indexes: bool | None = None  # None: when the load is large (writer.prepare)


@dataclass
class Summary:
    written: dict[str, int] = field(default_factory=dict)
    communes_created: int = 0
    generate_seconds: float = 0.0
    rebuild_seconds: float | None = None

    @property
    def rate(self) -> float:
        return self.written.get("dossiers", 0) / max(self.generate_seconds, 1e-9)


def generate(options: Options, *, quiet: bool = False, rebuild: bool = True) -> Summary:
    """Write `options.count` dossiers received between `first` and `last` (local days) on
    top of the agencies and procedures in the database, then rebuild the statistics."""
    summary = Summary(communes_created=ensure_communes(options.communes))
    calendar = get_calendar()
    clock = Clock(calendar, options.first, options.last)
    teller = _teller(options, clock)
    writer = Writer(connection, calendar.tz, options.first, options.last)
    progress = Progress("dossiers", options.count, stream=_sink(quiet))
    writer.prepare(options.count, options.drop_indexes)
    try:
        _write_all(options, teller, clock, writer, progress)
    finally:
        writer.finish()
    summary.generate_seconds = progress.close()
    summary.written = dict(writer.written)
    if rebuild:
        summary.rebuild_seconds = rebuild_statistics(quiet=quiet)
    return summary


def _teller(options: Options, clock: Clock) -> Teller:
    rng = random.Random(options.seed)
    world = load_world(rng)
    if world.commune is None and world.province is None:
        raise ValueError("no published procedure with an agency to generate dossiers for")
    teller = Teller(world, clock, rng, options.first, options.last)
    teller.with_steps = options.steps
    # Online dossiers are coded on submission, which can be a few days before receipt.
    teller.sequences = existing_sequences(options.first - SUBMITTED_BEFORE, options.last)
    teller.next_id = next_dossier_id()
    return teller


def _write_all(options: Options, teller: Teller, clock: Clock, writer: Writer, progress) -> None:
    batch: list = []
    for day, count in daily_counts(options.count, options.first, options.last, clock.is_working):
        batch.extend(teller.day(day, count))
        if len(batch) >= options.batch:
            _flush(writer, batch, progress)
            batch = []
            clock.forget_before(day)
    _flush(writer, batch, progress)


def _flush(writer: Writer, batch: list, progress: Progress) -> None:
    if batch:
        with transaction.atomic():
            writer.write(batch)
    progress(writer.written["dossiers"])


def rebuild_statistics(*, quiet: bool = False) -> float:
    """reports.tallies.rebuild() with a progress line; the seconds it took."""
    progress = Progress("statistics", stream=_sink(quiet))
    tallies.rebuild(progress=progress, workers=tallies.parallel())
    return progress.close()


def _sink(quiet: bool) -> TextIO | None:
    return io.StringIO() if quiet else None
