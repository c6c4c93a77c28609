"""The nine indicators and the QĐ 766 groups for dossiers taken to a result through the
services (quality_scenario.py): an early dossier and a late one with a supplement."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import override_settings

from motcua.dossiers.closing import withdraw
from motcua.dossiers.delays import apologise
from motcua.dossiers.intake import HandedIn, Intake, receive_submitted, submit_online
from motcua.dossiers.processing import hand_over
from motcua.dossiers.tests import conftest as lifecycle
from motcua.dossiers.tests.conftest import CITIZEN, MONDAY, at, vn
from motcua.reports import indicators, scoring, tallies
from motcua.reports.scope import Period, Scope

from .quality_scenario import MARCH, People, early, finish, late_after_supplement

D = Decimal
# The six-step lifecycle fixtures (also in this folder's conftest, stated here for clarity).
centre_clerk, commune_specialist = lifecycle.centre_clerk, lifecycle.commune_specialist
criminal_record, receive = lifecycle.criminal_record, lifecycle.receive


@pytest.fixture
def people(centre_clerk, specialist, department_head, commune_specialist, leader):
    return People(centre_clerk, specialist, department_head, commune_specialist, leader)


@pytest.fixture
def two_dossiers(receive, people):
    return early(receive, people), late_after_supplement(receive, people)


def scores(evaluation) -> dict[int, Decimal | None]:
    return {i.number: i.score for i in evaluation.indicators}


def indicator(evaluation, number):
    return next(i for i in evaluation.indicators if i.number == number)


def test_whole_scope_scores_each_dossier_indicator(two_dossiers):
    result = indicators.build(MARCH, Scope())
    assert result.whole.scored == 2
    assert scores(result.whole) == {
        1: D("1.0"),  # early 2, late 0
        2: D("0.5"),  # steps: none late 1, appraisal late 0
        3: D("1.5"),  # no supplement 2, one 1
        4: D("1.5"),  # no supplement 2, handed in at the one-stop section 1
        5: D("1.0"),  # one procedure, not run wholly at the centre: received and returned 1
        6: D("1.0"),  # published electronically, posting not recorded
        7: D("1.0"),
        8: D("2.0"),  # no complaint register: none received
        9: D("0.0"),  # no dossier filed online
    }
    first = indicator(result.whole, 1)
    assert (first.numerator, first.denominator, first.counts) == (2, 2, {2: 1, 1: 0, 0: 1})
    assert result.whole.total == D("9.5")
    assert result.whole.grade == scoring.UnitGrade.FAIRLY_GOOD


def test_units_are_the_receiving_and_resolving_agencies(two_dossiers, centre, justice_department):
    result = indicators.build(MARCH, Scope())
    assert [u.agency_id for u in result.units] == [justice_department.pk, centre.pk]
    for unit in result.units:
        assert (unit.scored, unit.received, unit.total) == (2, 2, D("9.5"))
        assert indicator(unit, 5).basis == "0/1"  # full cycle: procedures run wholly / all
        assert indicator(unit, 9).basis == "1/1; 0/2; 0"  # online procedures, dossiers, late


def test_inputs_not_yet_measured_are_named(two_dossiers):
    result = indicators.build(MARCH, Scope())
    assert result.whole.not_measured == ["other_agencies", "posting"]
    assert indicator(result.whole, 8).not_measured == ()  # the feedback register
    assert indicator(result.whole, 7).not_measured == ()  # founded complaints: the register
    named = [key for key, _label in result.not_measured]
    assert {"posting", "national_portal"} <= set(named)
    assert "online_payments" not in named  # measured from the payments' records
    assert "ratings" not in named  # measured from the ratings (5.4)


def test_officers_are_scored_on_their_own_steps(two_dossiers, specialist, department_head):
    officers = {o.user_id: o for o in indicators.build(MARCH, Scope()).officers}
    appraiser = officers[specialist.pk]
    assert appraiser.dossiers == 2
    assert [i.score for i in appraiser.indicators] == [D("1.0"), D("1.5"), D("1.0")]
    assert (appraiser.total, appraiser.grade) == (D("3.5"), scoring.StaffGrade.MOST_TASKS)
    assert appraiser.agencies == ["Sở Tư pháp"]
    head = officers[department_head.pk]
    assert [i.score for i in head.indicators] == [D("1.0"), D("2.0"), D("1.0")]
    assert head.grade == scoring.StaffGrade.MOST_TASKS
    assert len(officers) == 4  # appraisal, review, verification, signature


def test_scope_and_period_limit_the_dossiers(two_dossiers, commune_agency, centre):
    # The commune only verified: it neither received nor resolved the dossiers.
    result = indicators.build(MARCH, Scope(frozenset({commune_agency.pk})))
    assert (result.whole.scored, result.units) == (0, [])
    assert result.whole.total is None and result.whole.grade is None
    april = indicators.build(Period(date(2026, 4, 1), date(2026, 4, 30)), Scope())
    assert april.whole.scored == 0
    centre_only = indicators.build(MARCH, Scope(frozenset({centre.pk})))
    assert [u.agency_id for u in centre_only.units] == [centre.pk]


def test_a_result_after_the_first_appointment_is_late_despite_an_apology(receive, people):
    dossier = receive()
    with at(MONDAY):
        hand_over(dossier, actor=people.centre_clerk)
    with at(vn(2026, 3, 12, 9)):
        apologise(
            dossier, actor=people.leader, reason="Chờ xác minh", new_due_at=vn(2026, 3, 20, 17)
        )
    finish(dossier, people, [vn(2026, 3, 18, hour) for hour in (8, 9, 10, 14, 15)])
    result = indicators.build(MARCH, Scope())
    assert indicator(result.whole, 1).counts == {2: 0, 1: 0, 0: 1}
    with override_settings(MOTCUA_APOLOGY_EXTENDS_DEADLINE=True):
        tallies.rebuild()  # a change of the rule needs rebuild_tallies, as for Biểu 06
        result = indicators.build(MARCH, Scope())
    assert indicator(result.whole, 1).counts == {2: 1, 1: 0, 0: 0}


def test_withdrawn_dossiers_have_no_result_to_score(receive, people):
    dossier = receive()
    with at(vn(2026, 3, 10, 9)):
        withdraw(dossier, actor=people.centre_clerk, reason="Người nộp rút")
    result = indicators.build(MARCH, Scope())
    assert result.whole.scored == 0 and result.whole.received == 1
    assert indicator(result.whole, 1).score is None  # N/A, not 0


def figures(result) -> dict:
    return {x.code: x for g in result.groups for x in g.figures}


def test_qd766_figures_carry_their_ratio_and_points(two_dossiers):
    result = indicators.build(MARCH, Scope())
    found = figures(result)
    progress = found["2.1"]  # Biểu 06: one resolved early of two received
    assert (progress.numerator, progress.denominator, progress.value) == (1, 2, D("50.00"))
    assert progress.points == D("10.00")
    satisfaction = found["5.4"]  # 100% - 50% late, no complaint nor dislike
    assert (satisfaction.value, satisfaction.points) == (D("50.00"), D("2.50"))
    assert satisfaction.not_measured == ()
    assert (found["3.1"].numerator, found["3.1"].denominator, found["3.1"].points) == (
        1,
        1,
        D("2.00"),
    )
    assert (found["4.2"].numerator, found["4.2"].denominator) == (0, 2)  # nothing scanned
    assert found["5.1"].value is None and found["5.1"].points is None  # no complaint: N/A
    assert found["3.5"].denominator == 0  # the procedure has no fee
    assert found["2.2"].denominator == 2 and found["2.2"].points is None
    assert found["2.2"].value > 0


def test_qd766_groups_add_their_figures(two_dossiers):
    groups = {g.key: g for g in indicators.build(MARCH, Scope()).groups}
    assert list(groups) == list(scoring.Group.values)
    assert groups["progress"].points == D("10.00")
    assert groups["progress"].maximum == 20
    assert groups["payment"].points == 0  # nothing paid online: no fee here
    assert groups["payment"].not_measured == []


def test_an_online_digitised_dossier_counts_for_the_online_figures(
    criminal_record, centre, centre_clerk
):
    version = criminal_record.current_version
    handed_in = [HandedIn(c.pk, originals=1, is_digitised=True) for c in version.components.all()]
    with at(MONDAY):
        submitted = submit_online(Intake(criminal_record, centre, CITIZEN, handed_in=handed_in))
        receive_submitted(submitted, actor=centre_clerk)
    # Up to Friday 13 March the dossier (due Monday 16) is in time; by 31 March it is late.
    late = indicators.build(MARCH, Scope(frozenset({centre.pk})))
    assert indicator(late.units[0], 9).basis == "1/1; 1/1; 1"
    assert indicator(late.units[0], 9).score == D("0.0")
    result = indicators.build(Period(date(2026, 3, 1), date(2026, 3, 13)), Scope())
    assert indicator(result.units[0], 9).basis == "1/1; 1/1; 0"
    assert indicator(result.units[0], 9).score == D("2.0")  # all online, none late
    found = figures(result)
    assert (found["3.3"].numerator, found["3.3"].denominator, found["3.3"].points) == (
        1,
        1,
        D("6.00"),
    )
    assert (found["4.2"].numerator, found["4.2"].denominator, found["4.2"].points) == (
        1,
        1,
        D("4.00"),
    )
