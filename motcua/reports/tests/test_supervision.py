"""The supervisor's lists (supervision.py) for dossiers built through the services."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from conftest import procedure_values
from motcua.catalogue.models import TimeUnit
from motcua.catalogue.services import create_procedure
from motcua.dossiers.delays import apologise
from motcua.dossiers.processing import assign_step
from motcua.dossiers.supplements import request_supplement
from motcua.dossiers.tests import conftest as lifecycle
from motcua.dossiers.tests.conftest import MONDAY, at, vn
from motcua.organisations.models import ReceptionPoint
from motcua.reports import supervision
from motcua.reports.scope import Period
from motcua.reports.supervision import Reason

from .quality_scenario import MARCH

centre_clerk, commune_specialist = lifecycle.centre_clerk, lifecycle.commune_specialist
criminal_record, receive = lifecycle.criminal_record, lifecycle.receive
processing = lifecycle.processing


def test_units_below_the_monthly_volume_are_listed_per_month(receive, centre, commune_agency):
    ReceptionPoint.objects.create(agency=commune_agency, name="Bộ phận Một cửa phường")
    receive()
    receive(vn(2026, 4, 1, 9))
    period = Period(date(2026, 3, 1), date(2026, 4, 30))
    found = supervision.low_volume(period, None, today=date(2026, 4, 10))
    rows = {(x.agency.pk, x.month): (x.received, x.threshold, x.partial) for x in found}
    assert rows == {
        (centre.pk, date(2026, 3, 1)): (1, 70, False),
        (commune_agency.pk, date(2026, 3, 1)): (0, 70, False),
        # April up to today: 10 of 30 days, so 70 x 10/30 rounded up.
        (centre.pk, date(2026, 4, 1)): (1, 24, True),
        (commune_agency.pk, date(2026, 4, 1)): (0, 24, True),
    }
    # Only the agencies supervised; a period still to come has nothing yet.
    assert {x.agency for x in supervision.low_volume(period, {centre.pk}, date(2026, 5, 1))} == {
        centre
    }
    assert supervision.low_volume(period, None, today=date(2026, 2, 1)) == []


def test_a_unit_at_the_threshold_is_not_listed(receive, centre, monkeypatch):
    monkeypatch.setattr(supervision, "LOW_VOLUME", 2)
    receive()
    receive(vn(2026, 3, 10, 9))
    assert supervision.low_volume(MARCH, {centre.pk}, today=date(2026, 4, 1)) == []


def test_due_soon_names_the_unit_and_the_assigned_officer(
    processing, department_head, specialist, justice_department
):
    with at(MONDAY):
        assign_step(processing, actor=department_head, assignee=specialist)
    # Due Monday 16 March 17:00: within 24 working hours from Thursday 10:00.
    result = supervision.build(MARCH, None, now=vn(2026, 3, 12, 10))
    assert [p.dossier.pk for p in result.due_soon] == [processing.pk]
    pending = result.due_soon[0]
    assert (pending.unit, pending.officer, pending.step.order) == (
        justice_department,
        specialist,
        2,
    )
    assert pending.step_late is True  # appraisal was due on Wednesday
    assert supervision.build(MARCH, None, now=vn(2026, 3, 10, 10)).due_soon == []


def test_overdue_dossiers_name_who_answers_for_them(receive, centre, centre_clerk):
    waiting = receive()  # received, never handed over
    result = supervision.build(MARCH, None, now=vn(2026, 3, 17, 9))
    assert [(p.dossier, p.unit, p.officer, p.step) for p in result.overdue] == [
        (waiting, centre, centre_clerk, None)
    ]


def test_a_dossier_is_overdue_once_its_appointment_day_is_over(receive):
    dossier = receive()
    day = timezone.localtime(dossier.due_at).date()
    after_hour = vn(day.year, day.month, day.day, 17, 30)
    result = supervision.build(MARCH, None, now=after_hour)
    assert ([p.dossier for p in result.due_soon], result.overdue) == ([dossier], [])
    next_day = day + timedelta(days=1)
    result = supervision.build(
        MARCH, None, now=vn(next_day.year, next_day.month, next_day.day, 0, 5)
    )
    assert ([p.dossier for p in result.overdue], result.due_soon) == ([dossier], [])


def test_dossiers_waiting_for_the_applicant_are_left_out(processing, specialist):
    with at(vn(2026, 3, 10, 9)):
        request_supplement(processing, actor=specialist, reason="Thiếu", items=["CCCD"])
    result = supervision.build(MARCH, None, now=vn(2026, 3, 17, 9))
    assert (result.overdue, result.due_soon) == ([], [])


def test_lists_keep_to_the_supervised_agencies(
    processing, other_commune_agency, justice_department
):
    late = vn(2026, 3, 17, 9)
    assert supervision.build(MARCH, {other_commune_agency.pk}, now=late).overdue == []
    assert len(supervision.build(MARCH, {justice_department.pk}, now=late).overdue) == 1


def test_apologies_of_the_period(processing, leader, specialist):
    with at(vn(2026, 3, 12, 9)):
        apologise(
            processing,
            actor=leader,
            reason="Chờ xác minh",
            new_due_at=vn(2026, 3, 20, 17),
            responsible_user=specialist,
        )
    march = supervision.build(MARCH, None, now=vn(2026, 3, 12, 10))
    assert [(a.dossier, a.responsible_user) for a in march.apologies] == [(processing, specialist)]
    april = Period(date(2026, 4, 1), date(2026, 4, 30))
    assert supervision.build(april, None, now=vn(2026, 4, 1, 9)).apologies == []


@pytest.fixture
def without_template(civil_status_field, commune_agency):
    values = procedure_values(civil_status_field, name="Chứng thực bản sao")
    return create_procedure("2.000815", actor=None, owner_agency=commune_agency, values=values)


@pytest.fixture
def in_calendar_days(civil_status_field, commune_agency):
    values = procedure_values(
        civil_status_field,
        name="Đăng ký kết hôn có yếu tố nước ngoài",
        time_limit_value=Decimal(15),
        time_limit_unit=TimeUnit.CALENDAR_DAYS,
    )
    steps = [{"order": 1, "name": "Giải quyết", "role": "specialist", "budget_hours": 80}]
    return create_procedure(
        "1.000894", actor=None, owner_agency=commune_agency, values=values, steps=steps
    )


def test_templates_missing_or_not_adding_up(
    criminal_record, birth_registration, without_template, in_calendar_days
):
    found = {p.procedure: p for p in supervision.template_problems(None, Decimal("7.5"))}
    assert set(found) == {criminal_record, birth_registration, without_template}
    assert found[without_template].reason == Reason.MISSING
    short = found[criminal_record]  # 33 hours for 5 working days of 7.5 hours
    assert (short.reason, short.budget, short.limit.hours, short.difference) == (
        Reason.SHORT,
        Decimal(33),
        Decimal("37.5"),
        Decimal("-4.5"),
    )
    assert (found[birth_registration].reason, found[birth_registration].difference) == (
        Reason.EXCEEDS,
        Decimal("0.5"),
    )
    # 15 calendar days ≈ 10 working days = 75 hours; 80 is within a working day of it.
    assert in_calendar_days not in found


def test_templates_of_the_supervised_agencies_only(
    criminal_record, birth_registration, commune_agency, justice_department
):
    commune = supervision.template_problems({commune_agency.pk}, Decimal("7.5"))
    assert [p.procedure for p in commune] == [birth_registration]
    justice = supervision.template_problems({justice_department.pk}, Decimal("7.5"))
    assert [p.procedure for p in justice] == [criminal_record]


def test_a_template_that_adds_up_is_not_listed(criminal_record):
    assert supervision.template_problems(None, Decimal("6.6")) == []  # 33 = 5 x 6.6


def test_an_agency_abolished_since_is_supervised_for_the_months_it_existed(
    receive, centre, commune_agency
):
    """Issue 14 §4: a past period shows the agencies of that period. The commune's agency
    was merged on 1 April 2026 (valid_until is the day it ended): listed in March, not in
    April; and not at all in a period after it ended."""
    ReceptionPoint.objects.create(agency=commune_agency, name="Bộ phận Một cửa phường")
    receive()
    commune_agency.valid_until, commune_agency.is_active = date(2026, 4, 1), False
    commune_agency.save(update_fields=["valid_until", "is_active"])
    period = Period(date(2026, 3, 1), date(2026, 4, 30))
    found = supervision.low_volume(period, None, today=date(2026, 5, 10))
    months = {x.month for x in found if x.agency == commune_agency}
    assert months == {date(2026, 3, 1)}
    later = supervision.low_volume(
        Period(date(2026, 4, 1), date(2026, 4, 30)), None, date(2026, 5, 10)
    )
    assert commune_agency not in {x.agency for x in later}


def test_units_digitising_under_half_are_named(receive, centre, centre_clerk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from motcua.dossiers.attachments import attach_file
    from motcua.testing.files import blank_pdf

    dossiers = [receive() for _ in range(3)]

    def digitise(dossier) -> None:
        for component in dossier.components.all():
            with at(MONDAY):
                scan = SimpleUploadedFile("to-khai.pdf", blank_pdf())
                attach_file(
                    dossier, actor=centre_clerk, upload=scan, kind="scan", component=component
                )

    period = Period(date(2026, 3, 1), date(2026, 3, 31))
    digitise(dossiers[0])
    (row,) = supervision.low_digitisation(period, None)
    assert (row.agency, row.digitised, row.received, row.percent) == (
        centre,
        1,
        3,
        Decimal("33.3"),
    )
    digitise(dossiers[1])  # two of three: no longer under half
    assert supervision.low_digitisation(period, None) == []
