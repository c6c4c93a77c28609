"""Circular 01/2018 indicator 7 (attitude) with founded complaints: the verdict given with
the answer, counted in the period of the answer, against a hand-computed table; and the
quality page through HTTP (no "not yet measured" mark, numerator and denominator shown).

The dossiers (reports/tests/quality_scenario.py): E resolved early (2 points) and L late
(0 points) in March 2026, both received at the centre and resolved by the Department of
Justice, so both units score each of them."""

from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from conftest import make_user
from motcua.dossiers.tests import conftest as lifecycle
from motcua.feedback import register
from motcua.organisations.roles import Role
from motcua.reports import indicators as quality
from motcua.reports.scope import Period, Scope
from motcua.reports.tests.quality_scenario import MARCH, People, early, late_after_supplement

from .conftest import vn

pytestmark = pytest.mark.django_db
receive, centre_clerk = lifecycle.receive, lifecycle.centre_clerk
criminal_record, commune_specialist = lifecycle.criminal_record, lifecycle.commune_specialist
APRIL = Period(date(2026, 4, 1), date(2026, 4, 30))
D = Decimal


@pytest.fixture
def people(centre_clerk, specialist, department_head, commune_specialist, leader):
    return People(centre_clerk, specialist, department_head, commune_specialist, leader)


@pytest.fixture
def dossiers(receive, people):
    return {"E": early(receive, people), "L": late_after_supplement(receive, people)}


def complaint(
    centre, about, verdict: str, answered: datetime, handling=None, officer=None, back=False
):
    """An item about dossier `about` (or a procedure when None), answered at `answered`
    with `verdict`; `back`: the leader then sends the answer back."""
    subject = "procedure" if about is None else "dossier"
    with time_machine.travel(vn(2026, 3, 20, 8), tick=False):
        item, _new = register.receive_feedback(
            register.Submission(
                source="phone",
                agency=centre,
                sender=register.Sender("Phạm Thị Hoa", "12 Trần Phú", "0903123456"),
                subject=subject,
                title="Thái độ",
                body="Cán bộ hướng dẫn không rõ",
                dossier=about,
            )
        )
        kind = "procedure" if about is None else "staff_behaviour"
        register.classify_feedback(item, actor=None, classification=kind, officer=officer)
        if handling is not None:
            register.forward_feedback(item, actor=None, agency=handling)
    with time_machine.travel(answered, tick=False):
        register.answer_feedback(item, actor=None, answer="Đã kiểm tra", verdict=verdict)
        if back:
            register.send_back(item, actor=None, note="Xem lại")
    return item


def seven(evaluation):
    i = next(i for i in evaluation.indicators if i.number == 7)
    return i.score, i.numerator, i.denominator, (i.counts[2], i.counts[1], i.counts[0])


MAR20, APR2 = vn(2026, 3, 20, 10), vn(2026, 4, 2, 10)
NONE = (D("1.0"), 2, 2, (1, 0, 1))  # E 2, L 0: nothing founded


@pytest.mark.parametrize(
    ("verdicts", "march", "april"),
    [
        ([], NONE, (None, 0, 0, (0, 0, 0))),
        # Founded about E, answered in March: E goes from 2 to 0.
        ([("E", "founded", MAR20)], (D("0.0"), 0, 2, (0, 0, 2)), (None, 0, 0, (0, 0, 0))),
        # Answered in April: March keeps E's 2; April has one dossier at 0.
        ([("E", "founded", APR2)], NONE, (D("0.0"), 0, 1, (0, 0, 1))),
        # Not founded: nothing changes.
        ([("E", "not_founded", MAR20)], NONE, (None, 0, 0, (0, 0, 0))),
        # Partly founded about L, already late (0): still one dossier at 0.
        ([("L", "partly", MAR20)], NONE, (None, 0, 0, (0, 0, 0))),
        # Two founded complaints about E: E is at 0 once.
        (
            [("E", "founded", MAR20), ("E", "partly", vn(2026, 3, 21, 10))],
            (D("0.0"), 0, 2, (0, 0, 2)),
            (None, 0, 0, (0, 0, 0)),
        ),
        # An answer sent back does not count until it is given again.
        ([("E", "founded", MAR20, "back")], NONE, (None, 0, 0, (0, 0, 0))),
    ],
)
def test_founded_complaints_about_dossiers(dossiers, centre, verdicts, march, april):
    for about, verdict, moment, *back in verdicts:
        complaint(centre, dossiers[about], verdict, moment, back=bool(back))
    with time_machine.travel(vn(2026, 5, 4, 9), tick=False):
        in_march, in_april = quality.build(MARCH, Scope()), quality.build(APRIL, Scope())
    assert seven(in_march.whole) == march
    for unit in in_march.units:  # the centre and the department score both dossiers
        assert seven(unit) == march
    assert seven(in_april.whole) == april
    assert [i.not_measured for i in in_march.whole.indicators if i.number == 7] == [()]
    assert "complaints" not in in_march.whole.not_measured


def test_a_founded_complaint_about_a_procedure_counts_for_the_agency_that_handled_it(
    dossiers, centre, justice_department, specialist
):
    before = quality.build(MARCH, Scope())
    complaint(centre, None, "founded", MAR20, handling=justice_department, officer=specialist)
    complaint(centre, None, "not_founded", MAR20, handling=justice_department)
    result = quality.build(MARCH, Scope())
    units = {u.agency_id: u for u in result.units}
    # The department: E 2, L 0 and one more at 0 → 2 ÷ 3 = 0.67 → 0.7.
    assert seven(units[justice_department.pk]) == (D("0.7"), 2, 3, (1, 0, 2))
    assert seven(units[centre.pk]) == NONE  # the centre did not handle it
    assert seven(result.whole) == (D("0.7"), 2, 3, (1, 0, 2))
    # The officer concerned: one more dossier at 0.
    old = next(o for o in before.officers if o.user_id == specialist.pk).indicators[2]
    new = next(o for o in result.officers if o.user_id == specialist.pk).indicators[2]
    assert (new.numerator, new.denominator) == (old.numerator, old.denominator + 1)
    # A scope without the department leaves it out.
    alone = quality.build(MARCH, Scope(agency_ids=frozenset({centre.pk})))
    assert seven(alone.whole) == NONE


def test_the_quality_page_measures_indicator_7(
    client, dossiers, centre, justice_department, provincial_committee
):
    complaint(centre, dossiers["E"], "founded", MAR20)
    supervisor = make_user("province_supervisor", provincial_committee, Role.SUPERVISOR)
    client.force_login(supervisor)
    with time_machine.travel(vn(2026, 4, 1, 9), tick=False):
        response = client.get(
            reverse("backoffice:quality"), {"period": "month", "year": "2026", "month": "3"}
        )
    assert response.status_code == 200
    html = response.content.decode()
    row = html.split("<td>7</td>", 1)[1].split("</tr>", 1)[0]
    assert "badge nm" not in row  # measured
    assert '<td class="num">0</td>' in row and '<td class="num">2</td>' in row  # 0 ÷ 2
    assert "0 / 0 / 2" in row
    assert "trả lời trong kỳ: 1" in row  # the founded complaint that moved E to 0
    assert "Thái độ" in row or "thái độ" in row
