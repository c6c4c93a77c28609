"""The running tallies give exactly the figures computed directly from the dossier rows.

Random histories are built through the lifecycle services (receipt at the counter, by post
and online, refusal at reception, supplement requests answered or not, apologies, results
early, on time or late, some just after the appointment's hour, late in the evening of its
day or just past its midnight; refusals, withdrawals, stops, returns in person and by
post), with reports asked in between (which makes monthly snapshots that later changes must
keep right). Then,
for random periods and every kind of scope and grouping, `tallies.counts` must equal
`naive.counts`; and every dossier's stored points must equal the points recomputed now.
Runs on SQLite and PostgreSQL like the rest of the suite.
"""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.catalogue.models import Channel
from motcua.dossiers.closing import stop, withdraw
from motcua.dossiers.delays import apologise
from motcua.dossiers.intake import (
    HandedIn,
    Intake,
    receive_dossier,
    receive_submitted,
    refuse_at_reception,
    submit_online,
)
from motcua.dossiers.models import Dossier
from motcua.dossiers.processing import approve, complete_step, hand_over
from motcua.dossiers.results import mark_result_ready, refuse_after_appraisal, return_result
from motcua.dossiers.supplements import receive_supplement, request_supplement
from motcua.dossiers.tests.conftest import CITIZEN, at, vn
from motcua.reports import facts, naive, tallies, tally_reads
from motcua.reports import figures as f
from motcua.reports.scope import GroupBy, Level, Period, Scope
from motcua.reports.tasks import make_month_snapshots
from motcua.workdays.loader import get_calendar

START = date(2026, 1, 5)

plans = st.fixed_dictionaries(
    {
        "start": st.integers(0, 90),
        "clock": st.sampled_from([time(8, 0), time(14, 0), time(16, 30)]),
        "channel": st.sampled_from(list(Channel.values)),
        "ending": st.sampled_from(
            ["open", "granted", "refused", "withdrawn", "stopped", "not_received"]
        ),
        "duration": st.integers(0, 14),
        "supplement": st.sampled_from([None, "answered", "pending"]),
        "apology": st.booleans(),
        "returned": st.sampled_from([None, Channel.IN_PERSON, Channel.POSTAL]),
        "report_after": st.booleans(),
        # the end placed at the appointment's day boundary: after its hour (17:30), late in
        # the evening (23:30 local, 16:30 UTC), or just past midnight (00:05 the next day)
        "boundary": st.sampled_from([None, (0, time(17, 30)), (0, time(23, 30)), (1, time(0, 5))]),
    }
)
periods = st.tuples(st.integers(0, 200), st.integers(0, 120)).map(
    lambda t: Period(
        date(2026, 1, 1) + timedelta(days=t[0]), date(2026, 1, 1) + timedelta(days=t[0] + t[1])
    )
)


class Life:
    """Drives one dossier through the services, each change at its own moment."""

    def __init__(self, people, procedure, centre):
        self.people, self.procedure, self.centre = people, procedure, centre
        self.calendar = get_calendar()

    def moment(self, day: date, clock: time):
        return vn(day.year, day.month, day.day, clock.hour, clock.minute)

    def later(self, moment, days: int, clock: time = time(10, 0)):
        day = self.calendar.nth_working_day_after(self.calendar.local(moment).date(), days)
        return max(self.moment(day, clock), moment + timedelta(minutes=5))

    def intake(self, channel):
        version = self.procedure.current_version
        return Intake(
            procedure=self.procedure,
            agency=self.centre,
            applicant=CITIZEN,
            channel=channel,
            handed_in=[HandedIn(c.pk, originals=1) for c in version.components.all()],
        )

    def run(self, plan) -> None:
        p = self.people
        first = self.calendar.nth_working_day_after(START, plan["start"])
        now = self.moment(first, plan["clock"])
        online = plan["channel"] == Channel.ONLINE
        with at(now):
            if plan["ending"] == "not_received":
                refuse_at_reception(
                    self.intake(plan["channel"]), actor=p["clerk"], reasons="Không thuộc thẩm quyền"
                )
                return
            if online:
                dossier = receive_submitted(
                    submit_online(self.intake(Channel.ONLINE)), actor=p["clerk"]
                )
            else:
                dossier = receive_dossier(self.intake(plan["channel"]), actor=p["clerk"])
            dossier = hand_over(dossier, actor=p["clerk"])
        now = self.supplement(dossier, plan, now)
        if plan["apology"]:
            now = self.later(now, 2, time(9, 0))
            dossier = Dossier.objects.get(pk=dossier.pk)
            new_due = self.calendar.close_of(
                self.calendar.nth_working_day_after(
                    self.calendar.local(max(dossier.due_at, now)).date(), 3
                )
            )
            with at(now):
                apologise(dossier, actor=p["leader"], reason="Chờ xác minh", new_due_at=new_due)
        dossier = Dossier.objects.get(pk=dossier.pk)
        end = self.later(now, plan["duration"])
        if plan["boundary"] and dossier.due_at is not None:
            days, clock = plan["boundary"]
            judged = dossier.apology.previous_due_at if plan["apology"] else dossier.due_at
            day = self.calendar.local(judged).date() + timedelta(days=days)
            end = max(self.moment(day, clock), now + timedelta(minutes=5))
        self.end(dossier, plan, end)

    def supplement(self, dossier, plan, now):
        pending = plan["supplement"] == "pending" and plan["ending"] in {
            "open",
            "withdrawn",
            "stopped",
        }
        if plan["supplement"] is None or (plan["supplement"] == "pending" and not pending):
            return now
        now = self.later(now, 1)
        with at(now):
            request_supplement(
                dossier, actor=self.people["specialist"], reason="Thiếu bản sao", items=["Tờ khai"]
            )
        if not pending:
            now = self.later(now, 1, time(15, 0))
            with at(now):
                receive_supplement(Dossier.objects.get(pk=dossier.pk), actor=self.people["clerk"])
        return now

    def end(self, dossier, plan, now) -> None:
        p, ending = self.people, plan["ending"]
        with at(now):
            if ending == "withdrawn":
                withdraw(dossier, actor=p["clerk"], reason="Công dân xin rút")
            elif ending == "stopped":
                stop(dossier, actor=p["leader"], reason="Dừng theo yêu cầu")
            elif ending == "refused":
                refuse_after_appraisal(dossier, actor=p["leader"], reasons="Không đủ điều kiện")
            elif ending == "granted":
                for who in ("specialist", "department_head", "commune_specialist"):
                    complete_step(dossier, actor=p[who])
                approve(dossier, actor=p["leader"])
                mark_result_ready(dossier, actor=p["clerk"])
        if ending in {"refused", "granted"} and plan["returned"]:
            with at(now + timedelta(hours=1)):
                return_result(
                    Dossier.objects.get(pk=dossier.pk),
                    actor=p["clerk"],
                    method=plan["returned"],
                    collected_by_name="Trần Thị Bình",
                    collected_by_id_number="042090005678",
                )


@pytest.fixture
def life(
    criminal_record,
    centre,
    centre_clerk,
    specialist,
    department_head,
    commune_specialist,
    leader,
):
    people = {
        "clerk": centre_clerk,
        "specialist": specialist,
        "department_head": department_head,
        "commune_specialist": commune_specialist,
        "leader": leader,
    }
    return Life(people, criminal_record, centre)


def scopes(centre, justice_department, commune_agency, registry_division, criminal_record):
    return [
        Scope(),
        Scope(frozenset([centre.pk])),
        Scope(frozenset([justice_department.pk])),
        Scope(frozenset([commune_agency.pk])),
        Scope(department_id=registry_division.pk),
        Scope(procedure_id=criminal_record.pk),
        Scope(field_id=criminal_record.field_id),
        Scope(level=Level.PROVINCE),
        Scope(level=Level.COMMUNE),
    ]


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    histories=st.lists(plans, min_size=1, max_size=4),
    asked=st.lists(periods, min_size=2, max_size=3),
    group_by=st.sampled_from(list(GroupBy.values)),
)
def test_tallies_equal_the_direct_count(
    life,
    histories,
    asked,
    group_by,
    centre,
    justice_department,
    commune_agency,
    registry_division,
    criminal_record,
):
    for plan in histories:
        life.run(plan)
        if plan["report_after"]:
            make_month_snapshots.call()  # snapshots that later points must move
    every = scopes(centre, justice_department, commune_agency, registry_division, criminal_record)
    with at(vn(2026, 7, 1, 9, 0)):
        for period in asked:
            for scope in every:
                fast = tally_reads.counts(period, scope, group_by)
                assert fast == naive.counts(period, scope, group_by), (period, scope, group_by)
        expected = {period: naive.counts(period, Scope(), group_by) for period in asked}
        tallies.rebuild()
        for period in asked:
            assert tally_reads.counts(period, Scope(), group_by) == expected[period]
    tz = timezone.get_default_timezone()
    for dossier in Dossier.objects.all():
        biểu_06 = {k: v for k, v in dossier.tally.items() if k in ("k", "p")}
        assert biểu_06 == facts.compute(tallies.facts_of(dossier), tz), dossier.code


@pytest.mark.parametrize(
    ("boundary", "figure"),
    [
        ((0, time(17, 30)), f.ON_TIME),  # after the appointment's hour, on its day
        ((0, time(23, 30)), f.ON_TIME),  # 23:30 local, 16:30 UTC the same day
        ((1, time(0, 5)), f.LATE),  # 00:05 the next day
    ],
)
def test_a_live_result_at_the_day_boundary(life, boundary, figure):
    plan = {
        "start": 10,
        "clock": time(8, 0),
        "channel": Channel.POSTAL,
        "ending": "granted",
        "duration": 0,
        "supplement": None,
        "apology": False,
        "returned": Channel.POSTAL,
        "report_after": False,
        "boundary": boundary,
    }
    life.run(plan)
    dossier = Dossier.objects.get()
    assert timezone.localtime(dossier.due_at).time() == time(17, 0)
    period = Period(date(2026, 1, 1), date(2026, 3, 31))
    with at(vn(2026, 7, 1, 9, 0)):
        counted = naive.counts(period, Scope())[None]
        assert tally_reads.counts(period, Scope())[None] == counted
    resolved = {name: counted[name] for name in (f.EARLY, f.ON_TIME, f.LATE)}
    assert resolved == {f.EARLY: 0, f.ON_TIME: 0, f.LATE: 0, figure: 1}
    assert (counted[f.RECEIVED_BY_POST], counted[f.RETURNED_BY_POST]) == (1, 1)
