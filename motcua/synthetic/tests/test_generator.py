"""The synthetic history generator on the demo province: well-formed codes, statuses that
agree with their timestamps, real appointments, realistic shares, determinism, and the
running tallies equal to the direct count on the generated data.

The demo (seed_demo) and 2,000 dossiers are made once for the module inside a transaction
rolled back at its end; each test runs in a savepoint of it.
"""

import random
import re
import statistics
from collections import Counter
from datetime import date, datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import F

from motcua.catalogue.models import Channel, Procedure
from motcua.demo.organisations import COMMUNES as DEMO_COMMUNES
from motcua.dossiers.codes import next_dossier_code
from motcua.dossiers.models import Apology, DailySequence, Dossier, DossierStep, SupplementRequest
from motcua.dossiers.status import FINAL, OPEN, Status
from motcua.organisations.models import Agency
from motcua.reports import report
from motcua.reports.scope import GroupBy, Period, Scope, quarter
from motcua.synthetic.clock import Clock
from motcua.synthetic.generator import Options, generate
from motcua.synthetic.story import Teller
from motcua.synthetic.volume import daily_counts, tet_holidays
from motcua.synthetic.world import ensure_communes, load_world
from motcua.synthetic.writer import Writer
from motcua.workdays.calendar import WorkCalendar
from motcua.workdays.loader import get_calendar
from motcua.workdays.public_holidays import package_year_days

COUNT = 2_000
FIRST, LAST = date(2024, 1, 1), date(2025, 12, 31)
CODE = re.compile(r"^(?P<agency>[A-Z0-9.]+)-(?P<day>\d{6})-(?P<seq>\d{4,})$")


# The module's 2,000 dossiers are made once: on one pytest-xdist worker, not on each.
pytestmark = pytest.mark.xdist_group("synthetic-history")


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                call_command("seed_demo", stdout=StringIO())
                options = Options(COUNT, FIRST, LAST, seed=11, communes=6, batch=700)
                yield generate(options, quiet=True)
                raise _Rollback
        except _Rollback:
            pass


pytestmark = pytest.mark.django_db


def local(moment: datetime) -> datetime:
    return get_calendar().local(moment)


def test_generator_writes_the_requested_number_with_supplements_and_apologies(generated):
    assert generated.written["dossiers"] == COUNT == Dossier.objects.count()
    assert generated.written["supplements"] == SupplementRequest.objects.count() > 0
    assert generated.written["apologies"] == Apology.objects.count() > 0
    assert Agency.objects.filter(kind="commune_committee").count() == 6
    assert generated.communes_created == 6 - len(DEMO_COMMUNES)
    assert not DossierStep.objects.exists()


def test_codes_are_unique_and_follow_agency_day_sequence(generated):
    rows = Dossier.objects.values_list(
        "code", "receiving_agency__code", "submitted_at", "received_at", "finished_at"
    )
    codes = [row[0] for row in rows]
    assert len(set(codes)) == len(codes)
    for code, agency, submitted, received, finished in rows:
        match = CODE.match(code)
        assert match and match["agency"] == agency
        # Online: coded on submission; at the counter on receipt or refusal.
        moment = submitted or received or finished
        assert match["day"] == f"{local(moment):%y%m%d}"
    highest = Counter()
    for code in codes:
        agency, day, seq = code.rsplit("-", 2)
        highest[(agency, day)] = max(highest[(agency, day)], int(seq))
    counters = {
        (agency, f"{day:%y%m%d}"): value
        for agency, day, value in DailySequence.objects.values_list(
            "agency__code", "day", "last_value"
        )
    }
    assert all(counters[key] >= value for key, value in highest.items())


def test_live_intake_after_generation_continues_the_day_sequence(generated):
    paper = Dossier.objects.filter(received_at__isnull=False).exclude(channel=Channel.ONLINE)
    dossier = paper.order_by("pk")[COUNT // 3]
    agency, day = dossier.receiving_agency, local(dossier.received_at).date()
    prefix = f"{agency.code}-{day:%y%m%d}-"
    codes = Dossier.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    highest = max(int(code.removeprefix(prefix)) for code in codes)
    with transaction.atomic():
        code = next_dossier_code(agency, get_calendar().at(day, time(9)))
    assert code == f"{prefix}{highest + 1:04d}"


def test_statuses_agree_with_timestamps(generated):
    for d in Dossier.objects.all():
        if d.status == Status.NOT_RECEIVED:
            assert d.received_at is None and d.finished_at is not None
            continue
        assert d.received_at is not None and d.clock_start_at >= d.received_at
        assert d.due_at is None or d.due_at >= d.received_at
        assert d.due_at is None or d.due_at >= d.original_due_at
        if d.status in OPEN:
            assert d.finished_at is None and d.returned_at is None and not d.outcome
        else:
            assert d.status in FINAL | {Status.RESOLVED}
            assert d.finished_at >= d.received_at
        assert (d.status in (Status.RESOLVED, Status.RETURNED)) == bool(d.outcome)
        if d.status == Status.RETURNED:
            assert d.returned_at >= d.finished_at and d.returned_method
        else:
            assert d.returned_at is None and not d.returned_method
        assert local(d.received_at).date() <= LAST


def test_intake_on_working_days_and_a_few_saturdays_never_on_sundays_or_holidays(generated):
    calendar = get_calendar()
    days = Counter(
        local(moment).date()
        for moment in Dossier.objects.filter(received_at__isnull=False).values_list(
            "received_at", flat=True
        )
    )
    off = [d for d in days if not calendar.is_working_day(d)]
    assert all(d.weekday() == 5 for d in off)  # Saturdays only
    assert 0 < sum(days[d] for d in off) < COUNT * 0.03
    mondays = sum(n for d, n in days.items() if d.weekday() == 0)
    fridays = sum(n for d, n in days.items() if d.weekday() == 4)
    assert mondays > fridays


def test_supplements_and_apologies_agree_with_their_dossiers(generated):
    requests = {r.dossier_id: r for r in SupplementRequest.objects.all()}
    apologies = {a.dossier_id: a for a in Apology.objects.all()}
    for d in Dossier.objects.filter(received_at__isnull=False):
        request, apology = requests.get(d.pk), apologies.get(d.pk)
        assert d.supplement_count == (request is not None)
        assert d.apology_count == (apology is not None)
        if request is not None:
            assert request.requested_at >= d.received_at
            waiting = request.answered_at is None
            assert (d.status == Status.SUPPLEMENT) == (waiting and d.status in OPEN)
            assert waiting or request.answered_at > request.requested_at
        if apology is not None:
            assert apology.new_due_at == d.due_at > apology.previous_due_at
            assert apology.created_at >= d.received_at


def test_appointments_are_the_calendars(generated):
    """Without supplement or apology the appointment is intake's: the procedure's time limit
    from receipt, paper after the cut-off counted from the next working day."""
    calendar = get_calendar()
    plain = Dossier.objects.filter(
        received_at__isnull=False, supplement_count=0, apology_count=0
    ).select_related("procedure_version")
    checked = 0
    for d in plain[:400]:
        version = d.procedure_version
        if version.time_limit_value is None:
            assert d.due_at is None
            continue
        paper = d.channel != Channel.ONLINE
        expected = calendar.due_moment(
            d.received_at, version.time_limit_value, version.time_limit_unit, apply_cutoff=paper
        )
        assert d.due_at == expected == d.original_due_at
        checked += 1
    assert checked > 300


def test_shares_look_like_a_province(generated):
    received = Dossier.objects.filter(received_at__isnull=False)
    total = received.count()
    online = {
        year: received.filter(received_at__year=year, channel=Channel.ONLINE).count()
        / received.filter(received_at__year=year).count()
        for year in (2024, 2025)
    }
    assert 0.15 < online[2024] < online[2025] < 0.7
    closed = received.filter(finished_at__isnull=False).exclude(status__in=[7, 8])
    late = closed.filter(finished_at__gt=F("original_due_at")).count() / closed.count()
    assert 0.005 < late < 0.12
    assert received.filter(status=Status.WITHDRAWN).count() / total < 0.04
    assert 0.002 < Dossier.objects.filter(status=Status.NOT_RECEIVED).count() / COUNT < 0.03
    inter_agency = received.exclude(receiving_agency=F("competent_agency")).count()
    assert 0.05 < inter_agency / total < 0.5
    commune = received.filter(competent_agency__kind="commune_committee").count() / total
    assert 0.45 < commune < 0.8
    by_procedure = Counter(received.values_list("procedure_id", flat=True)).most_common()
    assert sum(n for _, n in by_procedure[:10]) > total / 2  # a few carry most


def test_same_seed_tells_the_same_stories(generated):
    def stories(seed: int) -> list[tuple]:
        rng = random.Random(seed)
        world = load_world(rng)
        clock = Clock(get_calendar(), FIRST, LAST)
        teller = Teller(world, clock, rng, FIRST, LAST)
        days = daily_counts(300, FIRST, LAST, clock.is_working)
        return [
            (s.code, s.status, s.channel, s.received_at, s.due_at, s.finished_at)
            for day, n in days
            for s in teller.day(day, n)
        ]

    assert stories(5) == stories(5)
    assert stories(5) != stories(6)


@pytest.mark.parametrize(
    "period", [quarter(2024, 2), quarter(2025, 4), Period(date(2025, 1, 15), date(2025, 3, 10))]
)
def test_tallies_equal_the_direct_count_on_generated_data(generated, period):
    birth = Procedure.objects.get(code="1.001193")
    scopes = [
        (Scope(), ""),
        (Scope(frozenset([Agency.objects.get(code="H42.12").pk])), ""),
        (Scope(frozenset([Agency.objects.get(code="H42.50.01").pk])), ""),
        (Scope(field_id=birth.field_id), ""),
        (Scope(procedure_id=birth.pk), ""),
        (Scope(), GroupBy.AGENCY),
        (Scope(), GroupBy.DEPARTMENT),
    ]
    for scope, group_by in scopes:
        fast = report.build(period, scope, group_by, method="tallies")
        slow = report.build(period, scope, group_by, method="naive")
        assert [(r.key, r.figures) for r in fast.rows] == [(r.key, r.figures) for r in slow.rows]
        assert fast.total.figures == slow.total.figures


def test_communes_option_adds_commune_committees_that_carry_out_commune_procedures(generated):
    communes = Agency.objects.filter(kind="commune_committee")
    before = communes.count()
    assert ensure_communes(12) == 12 - before and communes.count() == 12
    birth = Procedure.objects.get(code="1.001193").current_version
    assert set(communes) <= set(birth.implementing_agencies.all())
    model = Agency.objects.get(code="H42.50.01").departments.count()
    assert all(c.departments.count() == model for c in communes)
    assert ensure_communes(12) == 0


def test_steps_are_written_on_request_with_states_matching_the_dossier(generated):
    options = Options(150, date(2025, 11, 1), date(2025, 12, 31), seed=3, steps=True)
    summary = generate(options, quiet=True, rebuild=False)
    steps = DossierStep.objects.select_related("dossier")
    assert summary.written["steps"] == steps.count() > 0
    for step in steps:
        dossier = step.dossier
        if dossier.status == Status.RETURNED:
            assert step.state == DossierStep.State.DONE and step.finished_at
        if step.state == DossierStep.State.ACTIVE:
            assert dossier.status in OPEN and step.finished_at is None
    assert steps.filter(assignee__isnull=False).exists()


def test_a_large_load_builds_the_indexes_again_and_a_later_run_heals_a_missing_one(generated):
    writer = Writer(connection, get_calendar().tz, FIRST, LAST)
    expected = {name for name, _sql in writer._indexes()}
    options = Options(200, date(2025, 10, 1), date(2025, 12, 31), seed=4, drop_indexes=True)
    generate(options, quiet=True, rebuild=False)
    assert expected <= writer._existing_indexes()
    with connection.cursor() as cursor:  # as if a run had been killed before the end
        cursor.execute(f"DROP INDEX {sorted(expected)[0]}")
    generate(Options(0, FIRST, LAST), quiet=True, rebuild=False)
    assert expected <= writer._existing_indexes()


def test_command_generates_and_refuses_an_end_date_in_the_future(generated):
    before = Dossier.objects.count()
    out = StringIO()
    call_command(
        "generate_dossiers", "120", "--start", "2025-11-01", "--end", "2025-11-30",
        "--no-rebuild", "--seed", "9", stdout=out,
    )  # fmt: skip
    assert Dossier.objects.count() == before + 120
    assert "120" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("generate_dossiers", "10", "--end", "2999-01-01")
    with pytest.raises(CommandError):
        call_command("generate_dossiers", "10", "--start", "2025-02-01", "--end", "2025-01-01")


def test_daily_volume_adds_up_skips_days_off_and_dips_around_tet():
    calendar = WorkCalendar(days=package_year_days)
    working = calendar.is_working_day
    assert tet_holidays(2025, working) == (date(2025, 1, 25), date(2025, 2, 2))
    counts = dict(daily_counts(100_000, date(2025, 1, 1), date(2025, 12, 31), working))
    assert sum(counts.values()) == 100_000
    assert all(working(day) or day.weekday() == 5 for day in counts)
    assert date(2025, 9, 2) not in counts and date(2025, 1, 1) not in counts
    after_tet = counts[date(2025, 2, 4)]  # a Tuesday
    usual = statistics.mean(counts[date(2025, 3, d)] for d in (4, 11, 18, 25))  # Tuesdays
    assert after_tet < usual * 0.7


def test_tet_is_the_longest_break_when_the_window_holds_two():
    # A calendar with an earlier long break in January too (the comparison of a later run
    # with the best so far once mixed a count of days with a timedelta and raised).
    first = {date(2025, 1, 12) + timedelta(days=n) for n in range(5)}
    tet = {date(2025, 1, 25) + timedelta(days=n) for n in range(9)}
    assert tet_holidays(2025, lambda day: day not in first | tet) == (
        date(2025, 1, 25),
        date(2025, 2, 2),
    )
