"""`Idempotency-Key` on the requests that create (issue 11 §2.2): a retry after a dropped
connection answers the first result instead of a second dossier under a new code."""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test import Client

from conftest import make_user
from motcua.catalogue.models import Procedure
from motcua.dossiers import intake
from motcua.dossiers.models import Attachment, Dossier, DossierEvent, IdempotencyKey
from motcua.dossiers.status import Action
from motcua.organisations.roles import Role
from motcua.organisations.tokens import issue_token
from motcua.portal.tests.tracking_samples import receive
from motcua.testing.files import blank_pdf

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY_9AM = datetime(2026, 3, 9, 9, 0, tzinfo=VN)
URL = "/api/v1/dossiers"
PDF = blank_pdf()  # a real PDF: scans of documents are read (registry.quality)


def handed_in(code: str) -> list[dict]:
    """The procedure's whole checklist handed in (a complete dossier)."""
    version = Procedure.objects.get(code=code).current_version
    assert version is not None
    return [{"component_id": c.pk, "originals": 1} for c in version.documents()]


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user, name='test').plain}"}


def body(procedure, agency, **changes) -> dict:
    data = {
        "procedure": procedure.code,
        "agency": agency.code,
        "applicant": {"type": "citizen", "name": "Nguyễn Văn An", "id_number": "042090001234"},
        "handed_in": handed_in(procedure.code),
    }
    return {**data, **changes}


def send(client, headers, data, key="k-1", path=URL):
    extra = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(path, data, content_type="application/json", **headers, **extra)


@time_machine.travel(MONDAY_9AM, tick=False)
def test_a_retry_with_the_same_key_answers_the_first_dossier(
    client, clerk, birth_registration, commune_agency
):
    headers, data = bearer(clerk), body(birth_registration, commune_agency)
    first = send(client, headers, data)
    retry = send(client, headers, {**data})  # the same request, sent again

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert first.json()["code"] == "H42.50.01-260309-0001"
    assert "Idempotent-Replayed" not in first
    assert retry["Idempotent-Replayed"] == "true"
    dossier = Dossier.objects.get()
    assert dossier.code == first.json()["code"]
    assert list(DossierEvent.objects.values_list("action", flat=True)) == [Action.RECEIVE]
    key = IdempotencyKey.objects.get()
    assert (key.user, key.key, key.dossier, key.response_status) == (clerk, "k-1", dossier, 201)


@time_machine.travel(MONDAY_9AM, tick=False)
def test_the_same_key_with_another_body_is_refused(
    client, clerk, birth_registration, commune_agency
):
    headers = bearer(clerk)
    assert send(client, headers, body(birth_registration, commune_agency)).status_code == 201
    other = body(birth_registration, commune_agency, subject="Another request")
    refused = send(client, headers, other)

    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "idempotency_key_reused"
    assert Dossier.objects.count() == 1


@time_machine.travel(MONDAY_9AM, tick=False)
def test_keys_belong_to_their_user_and_requests_without_a_key_are_not_deduplicated(
    client, clerk, birth_registration, commune_agency
):
    other_clerk = make_user("clerk2", commune_agency, Role.RECEIVING_CLERK)
    data = body(birth_registration, commune_agency)
    assert send(client, bearer(clerk), data).status_code == 201
    assert send(client, bearer(other_clerk), data).status_code == 201  # the same key
    assert send(client, bearer(clerk), data, key=None).status_code == 201
    assert send(client, bearer(clerk), data, key=None).status_code == 201
    assert Dossier.objects.count() == 4


def test_a_refused_request_records_nothing_and_its_retry_runs(
    client, clerk, birth_registration, commune_agency
):
    headers = bearer(clerk)
    with time_machine.travel(MONDAY_9AM, tick=False):
        bad = body(birth_registration, commune_agency, applicant={"name": "An", "id_number": "1"})
        assert send(client, headers, bad).status_code == 400
        assert not IdempotencyKey.objects.exists()
        assert send(client, headers, body(birth_registration, commune_agency)).status_code == 201
    assert Dossier.objects.count() == 1


def test_a_key_is_forgotten_after_24_hours(client, clerk, birth_registration, commune_agency):
    headers, data = bearer(clerk), body(birth_registration, commune_agency)
    with time_machine.travel(MONDAY_9AM, tick=False):
        first = send(client, headers, data).json()["code"]
    with time_machine.travel(MONDAY_9AM + timedelta(hours=23), tick=False):
        assert send(client, headers, data).json()["code"] == first
    with time_machine.travel(MONDAY_9AM + timedelta(hours=25), tick=False):
        again = send(client, headers, data)
    assert again.status_code == 201 and "Idempotent-Replayed" not in again
    assert again.json()["code"] != first
    assert IdempotencyKey.objects.count() == 1  # the expired one was removed


@time_machine.travel(MONDAY_9AM, tick=False)
def test_an_online_submission_is_created_once(client, clerk, birth_registration, commune_agency):
    headers, data = bearer(clerk), body(birth_registration, commune_agency)
    first = send(client, headers, data, key="portal-778", path=f"{URL}/online")
    retry = send(client, headers, data, key="portal-778", path=f"{URL}/online")
    counter = send(client, headers, data, key="portal-778")  # the same key, another endpoint

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json() and retry["Idempotent-Replayed"] == "true"
    assert counter.status_code == 422
    assert Dossier.objects.count() == 1


@time_machine.travel(MONDAY_9AM, tick=False)
def test_a_bad_key_is_invalid_input(client, clerk, birth_registration, commune_agency):
    data = body(birth_registration, commune_agency)
    response = send(client, bearer(clerk), data, key="x" * 256)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_idempotency_key"
    assert not Dossier.objects.exists()


def test_an_upload_retried_with_its_key_attaches_the_file_once(
    client, clerk, birth_registration, commune_agency, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(MONDAY_9AM, tick=False):
        dossier = receive(birth_registration, commune_agency, clerk)
        headers = {**bearer(clerk), "HTTP_IDEMPOTENCY_KEY": "scan-1"}
        url = f"{URL}/{dossier.code}/attachments"

        def upload(content=PDF):
            data = {"file": SimpleUploadedFile("a.pdf", content), "kind": "scan"}
            return client.post(url, data, **headers)

        first, retry, other = upload(), upload(), upload(PDF + b"\n")

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json() and retry["Idempotent-Replayed"] == "true"
    assert other.status_code == 422  # another file under the same key
    assert Attachment.objects.count() == 1
    assert dossier.events.filter(action=Action.ATTACH_FILE).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_sends_of_one_key_create_one_dossier(
    clerk, birth_registration, commune_agency, monkeypatch
):
    """Two threads send the same request at once. On PostgreSQL they really race: the second
    waits on the key's unique constraint while the first (slowed down) is still creating,
    then answers the replay. SQLite's in-memory test database cannot be shared by threads."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database shared between threads")
    receive_dossier = intake.receive_dossier

    def slow_receive(*args, **kwargs):
        created = receive_dossier(*args, **kwargs)
        threading.Event().wait(0.3)  # the other request arrives meanwhile
        return created

    monkeypatch.setattr(intake, "receive_dossier", slow_receive)
    headers, data = bearer(clerk), body(birth_registration, commune_agency)
    barrier, answers = threading.Barrier(2), []

    def work():
        try:
            barrier.wait()
            answers.append(send(Client(), headers, data, key="race"))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(a.status_code for a in answers) == [201, 201]
    assert answers[0].json() == answers[1].json()
    assert sorted(a.get("Idempotent-Replayed", "") for a in answers) == ["", "true"]
    assert Dossier.objects.count() == 1 and IdempotencyKey.objects.count() == 1
