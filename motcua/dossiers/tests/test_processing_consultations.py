"""Consultation of other agencies (Decree 61/2018 art. 19.5)."""

from decimal import Decimal

import pytest

from motcua.dossiers.consultations import answer_consultation, request_consultation
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Consultation
from motcua.dossiers.status import Action

from .conftest import MONDAY, at, reread, snapshot, vn
from .test_processing import last_event, refused, step


def _ask(dossier, actor, **deadline):
    with at(MONDAY):
        return request_consultation(
            dossier,
            actor=actor,
            to_agency=deadline.pop("to_agency"),
            content="Xác nhận nơi cư trú",
            **deadline,
        )


def test_request_with_a_deadline_in_working_days(processing, specialist, commune_agency):
    consultation = _ask(processing, specialist, to_agency=commune_agency, deadline_days=2)
    assert consultation.deadline_at == vn(2026, 3, 11, 17, 0)
    assert (consultation.step, consultation.requested_by) == (step(processing, 2), specialist)
    event = last_event(processing)
    assert (event.action, event.note) == (Action.REQUEST_CONSULTATION, "Xác nhận nơi cư trú")
    assert event.data["to_agency"] == commune_agency.pk
    assert reread(processing).status == 4


def test_answer_by_the_consulted_agency_on_time_and_late(
    processing, specialist, commune_specialist, commune_agency
):
    on_time = _ask(processing, specialist, to_agency=commune_agency, deadline_days=1)
    late = _ask(processing, specialist, to_agency=commune_agency, deadline_at=vn(2026, 3, 9, 10, 0))
    with at(vn(2026, 3, 9, 16, 0)):
        answer_consultation(on_time, actor=commune_specialist, answer="Đúng nơi cư trú")
        assert last_event(processing).data["late"] is False
        answer_consultation(late, actor=commune_specialist, answer="Xác nhận")
        assert last_event(processing).data["late"] is True
    on_time.refresh_from_db()
    assert (on_time.answer, on_time.answered_by) == ("Đúng nơi cư trú", commune_specialist)
    assert on_time.answered_at == vn(2026, 3, 9, 16, 0)


@pytest.mark.parametrize(
    ("deadline", "code"),
    [
        pytest.param({}, "deadline_required", id="none"),
        pytest.param(
            {"deadline_days": 1, "deadline_at": vn(2026, 3, 12, 9, 0)},
            "deadline_required",
            id="both",
        ),
        pytest.param({"deadline_at": vn(2026, 3, 9, 8, 0)}, "deadline_in_past", id="past"),
        pytest.param({"deadline_days": 0}, "deadline_in_past", id="zero-days"),
        # The calendar counts whole and half working days only.
        pytest.param({"deadline_days": Decimal("0.3")}, "invalid_deadline", id="0.3-days"),
        pytest.param({"deadline_days": 0.7}, "invalid_deadline", id="0.7-days"),
    ],
)
def test_request_refusals(processing, specialist, commune_agency, deadline, code):
    with at(MONDAY):
        refused(
            code,
            processing,
            request_consultation,
            actor=specialist,
            to_agency=commune_agency,
            content="x",
            **deadline,
        )


def test_request_by_someone_outside_the_step_is_refused(processing, commune_specialist, centre):
    with at(MONDAY):
        refused(
            "forbidden",
            processing,
            request_consultation,
            actor=commune_specialist,
            to_agency=centre,
            content="x",
            deadline_days=1,
        )


def _refused_answer(code, consultation, actor, answer="Trả lời"):
    before = snapshot(consultation.dossier), Consultation.objects.values().get(pk=consultation.pk)
    with pytest.raises(DossierError) as info:
        answer_consultation(consultation, actor=actor, answer=answer)
    assert info.value.code == code
    after = snapshot(consultation.dossier), Consultation.objects.values().get(pk=consultation.pk)
    assert after == before


def test_answer_refusals(processing, specialist, clerk, commune_specialist, commune_agency):
    consultation = _ask(processing, specialist, to_agency=commune_agency, deadline_days=1)
    with at(MONDAY):
        _refused_answer("forbidden", consultation, specialist)  # not of the consulted agency
        _refused_answer("forbidden", consultation, clerk)  # a clerk does not answer
        _refused_answer("answer_required", consultation, commune_specialist, answer=" ")
        answer_consultation(consultation, actor=commune_specialist, answer="Có")
        _refused_answer("already_answered", consultation, commune_specialist)
