"""The permission policy beside its matrix (test_policy_matrix.py): the documented table is the
code's, the system actor does only what the system does, a refused form keeps its input, and
the policy reads the same rows for everyone whatever the buttons it gives (the dossier
page's whole count is pinned in backoffice/tests/test_query_counts.py)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from motcua.dossiers import policy
from motcua.dossiers.consultations import request_consultation
from motcua.dossiers.errors import DossierError
from motcua.dossiers.intake import Intake, submit_online
from motcua.dossiers.processing import hand_over
from motcua.dossiers.status import TRANSITIONS, Action
from motcua.dossiers.tests.conftest import CITIZEN, MONDAY, at
from motcua.organisations.actors import SYSTEM

SECURITY = Path(settings.BASE_DIR) / "docs" / "security.md"
START, END = "<!-- policy-table:start", "<!-- policy-table:end -->"


def test_the_documented_table_is_the_policy():
    text = SECURITY.read_text(encoding="utf-8")
    documented = text.split(START, 1)[1].split("\n", 1)[1].split(END, 1)[0]
    assert documented == policy.table_markdown()


def test_every_operation_has_a_rule_a_reason_and_a_legal_basis():
    for operation in policy.Operation:
        entry = policy.POLICY[operation]
        assert entry.rules and entry.statuses and str(entry.reason) and entry.basis


def test_the_system_relays_online_submissions_and_nothing_else(receive, centre, criminal_record):
    dossier = receive()
    assert policy.allowed(SYSTEM, policy.Operation.SUBMIT_ONLINE, dossier)
    for operation in set(policy.Operation) - {policy.Operation.SUBMIT_ONLINE}:
        decision = policy.allowed(SYSTEM, operation, dossier)
        assert not decision and decision.reason
    with at(MONDAY), pytest.raises(DossierError) as refused:
        hand_over(dossier, actor=SYSTEM)
    assert (refused.value.status, refused.value.code) == (403, "forbidden")
    with at(MONDAY):
        relayed = submit_online(Intake(criminal_record, centre, CITIZEN), submitted_by=SYSTEM)
    assert relayed.status == 1


def test_a_person_who_may_not_receive_cannot_relay_an_online_submission(
    specialist, centre, criminal_record
):
    with at(MONDAY), pytest.raises(DossierError) as refused:
        submit_online(Intake(criminal_record, centre, CITIZEN), submitted_by=specialist)
    assert refused.value.status == 403


def test_a_refused_action_answers_403_and_keeps_what_was_typed(client, processing, specialist):
    client.force_login(specialist)
    typed = "Người nộp xin rút hồ sơ vì đã chuyển nơi ở"
    url = f"/backoffice/ho-so/{processing.code}/xu-ly/withdraw/"
    with at(MONDAY):
        response = client.post(
            url, {"withdraw-version": processing.version, "withdraw-reason": typed}
        )
    assert response.status_code == 403
    page = response.content.decode()
    assert typed in page  # the form is shown again, as typed, though not offered otherwise
    with translation.override("vi"):
        reason = gettext("Only a clerk of the receiving agency records a withdrawal.")
    assert escape(reason) in page


def test_printing_a_form_the_user_may_not_print_answers_403(client, processing, specialist):
    client.force_login(specialist)
    with at(MONDAY):
        response = client.get(f"/backoffice/ho-so/{processing.code}/in/01/")
    assert response.status_code == 403


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as queries, at(MONDAY):
        call()
    return len(queries)


def test_the_policy_reads_the_same_rows_for_everyone_whatever_it_offers(
    processing, centre_clerk, specialist, leader, supervisor, commune_specialist
):
    """The steps, the open consultations and the user's roles at each agency involved (the
    centre, the department, the commune): 5 reads, not one per operation."""
    counts = {
        user.username: _queries(lambda u=user: policy.available_operations(u, processing))
        for user in (centre_clerk, specialist, leader, supervisor, commune_specialist)
    }
    assert counts == dict.fromkeys(counts, 5), counts


def test_the_api_documents_the_available_actions_and_the_answer(client, db):
    document = client.get("/api/v1/openapi.json").json()
    detail = document["components"]["schemas"]["DossierDetail"]
    assert "available_actions" in detail["properties"]
    assert "available_actions" in detail["required"]
    answer = document["paths"]["/api/v1/dossiers/{code}/answer-consultation"]["post"]
    assert "403" in answer["responses"]


def test_the_consulted_agency_answers_on_the_dossier_page(
    client, processing, specialist, commune_specialist, commune_agency
):
    with at(MONDAY):
        asked = request_consultation(
            processing, actor=specialist, to_agency=commune_agency, content="?", deadline_days=2
        )
    client.force_login(commune_specialist)
    page = f"/backoffice/ho-so/{processing.code}/"
    with at(MONDAY):
        assert "/xu-ly/answer-consultation/" in client.get(page).content.decode()
        version = type(processing).objects.get(pk=processing.pk).version
        response = client.post(
            f"{page}xu-ly/answer-consultation/",
            {
                "answer-consultation-version": version,
                "answer-consultation-consultation": asked.pk,
                "answer-consultation-answer": "Đã xác minh",
            },
        )
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.answer == "Đã xác minh" and asked.answered_by == commune_specialist


# The status change each operation makes (status.py), where it makes one.
ACTION_OF = {
    "submit-online": Action.SUBMIT_ONLINE,
    "receive": Action.RECEIVE,
    "guide-supplement": Action.REQUEST_SUPPLEMENT_AT_RECEPTION,
    "refuse-at-reception": Action.REFUSE_AT_RECEPTION,
    "hand-over": Action.HAND_OVER,
    "assign": Action.ASSIGN,
    "complete": Action.COMPLETE_STEP,
    "approve": Action.COMPLETE_STEP,
    "send-back": Action.SEND_BACK,
    "consult": Action.REQUEST_CONSULTATION,
    "answer-consultation": Action.ANSWER_CONSULTATION,
    "request-supplement": Action.REQUEST_SUPPLEMENT,
    "receive-supplement": Action.RECEIVE_SUPPLEMENT,
    "require-payment": Action.REQUIRE_PAYMENT,
    "confirm-payment": Action.CONFIRM_PAYMENT,
    "apologise": Action.APOLOGISE,
    "result-ready": Action.MARK_RESULT_READY,
    "refuse": Action.REFUSE_AFTER_APPRAISAL,
    "return": Action.RETURN_RESULT,
    "withdraw": Action.WITHDRAW,
    "stop": Action.STOP,
    "attach": Action.ATTACH_FILE,
}


@pytest.mark.parametrize("operation", list(ACTION_OF))
def test_an_operation_is_offered_only_where_its_transition_is_legal(operation):
    action = ACTION_OF[operation]
    for status in policy.POLICY[policy.Operation(operation)].statuses:
        assert (status, action) in TRANSITIONS, (operation, status)
