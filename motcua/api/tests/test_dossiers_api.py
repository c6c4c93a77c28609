"""The staff dossier API through HTTP: bearer tokens, responses, database and events."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from motcua.dossiers.models import Dossier
from motcua.dossiers.status import Action, Status
from motcua.organisations.tokens import issue_token

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY_9AM = datetime(2026, 3, 9, 9, 0, tzinfo=VN)
URL = "/api/v1/dossiers"


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user, name='test').plain}"}


def body(procedure, agency, **changes):
    data = {
        "procedure": procedure.code,
        "agency": agency.code,
        "applicant": {
            "type": "citizen",
            "name": "Nguyễn Văn An",
            "id_number": "042090001234",
            "phone": "0912345678",
        },
        "handed_in": [
            {"component_id": c.pk, "originals": 1}
            for c in procedure.current_version.components.all()
        ],
    }
    data.update(changes)
    return data


@time_machine.travel(MONDAY_9AM, tick=False)
def test_clerk_receives_at_the_counter_through_the_api(
    client, clerk, birth_registration, commune_agency
):
    response = client.post(
        URL,
        body(birth_registration, commune_agency),
        content_type="application/json",
        **bearer(clerk),
    )

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["code"] == "H42.50.01-260309-0001" and data["status"] == Status.RECEIVED
    assert data["due_at"] == "2026-03-10T17:00:00+07:00"
    assert [e["action"] for e in data["events"]] == [Action.RECEIVE]
    assert Dossier.objects.get().received_by == clerk


def test_anonymous_callers_get_401(client, birth_registration, commune_agency):
    response = client.post(
        URL, body(birth_registration, commune_agency), content_type="application/json"
    )
    assert response.status_code == 401
    assert client.get(URL).status_code == 401


@time_machine.travel(MONDAY_9AM, tick=False)
def test_service_refusals_come_back_in_the_error_shape_and_change_nothing(
    client, clerk, birth_registration, commune_agency
):
    bad = body(
        birth_registration,
        commune_agency,
        applicant={"type": "citizen", "name": "An", "id_number": "1"},
    )
    response = client.post(URL, bad, content_type="application/json", **bearer(clerk))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_citizen_id"
    refused = body(birth_registration, commune_agency, outcome="refuse")
    response = client.post(URL, refused, content_type="application/json", **bearer(clerk))
    assert response.json()["error"]["code"] == "reasons_required"
    assert not Dossier.objects.exists()


def test_invalid_json_is_422(client, clerk, birth_registration, commune_agency):
    response = client.post(
        URL, {"procedure": "1.001193"}, content_type="application/json", **bearer(clerk)
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"


@time_machine.travel(MONDAY_9AM, tick=False)
def test_clerk_of_another_agency_cannot_receive_or_see(
    client, clerk, clerk_of_other_agency, birth_registration, commune_agency
):
    response = client.post(
        URL,
        body(birth_registration, commune_agency),
        content_type="application/json",
        **bearer(clerk_of_other_agency),
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    created = client.post(
        URL,
        body(birth_registration, commune_agency),
        content_type="application/json",
        **bearer(clerk),
    ).json()
    other = bearer(clerk_of_other_agency)
    assert client.get(f"{URL}/{created['code']}", **other).status_code == 404
    assert client.get(URL, **other).json()["count"] == 0
    assert client.get(URL, **bearer(clerk)).json()["count"] == 1


@time_machine.travel(MONDAY_9AM, tick=False)
def test_online_submission_then_reception_by_a_clerk(
    client, clerk, birth_registration, commune_agency
):
    submitted = client.post(
        f"{URL}/online",
        body(birth_registration, commune_agency),
        content_type="application/json",
        **bearer(clerk),
    )
    assert submitted.status_code == 201
    code = submitted.json()["code"]
    assert submitted.json()["status"] == Status.SUBMITTED
    received = client.post(f"{URL}/{code}/receive", **bearer(clerk))
    assert received.status_code == 200 and received.json()["status"] == Status.RECEIVED
    again = client.post(f"{URL}/{code}/receive", **bearer(clerk))
    assert again.status_code == 400 and again.json()["error"]["code"] == "already_received"


@time_machine.travel(MONDAY_9AM, tick=False)
def test_online_dossier_refused_with_reasons(client, clerk, birth_registration, commune_agency):
    code = client.post(
        f"{URL}/online",
        body(birth_registration, commune_agency),
        content_type="application/json",
        **bearer(clerk),
    ).json()["code"]
    response = client.post(
        f"{URL}/{code}/refuse",
        {"reasons": "Không thuộc thẩm quyền"},
        content_type="application/json",
        **bearer(clerk),
    )
    assert response.json()["status"] == Status.NOT_RECEIVED
    assert response.json()["events"][-1]["note"] == "Không thuộc thẩm quyền"


def test_the_dossier_endpoints_are_in_the_openapi_document(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/dossiers",
        "/api/v1/dossiers/{code}",
        "/api/v1/dossiers/online",
        "/api/v1/dossiers/{code}/receive",
    } <= set(paths)


@pytest.mark.parametrize("query", ["status=42", "page=0", "page_size=1000"])
def test_bad_list_filters_are_422(client, clerk, query):
    assert client.get(f"{URL}?{query}", **bearer(clerk)).status_code == 422


def test_the_counter_endpoint_refuses_the_online_channel(
    client, clerk, birth_registration, commune_agency
):
    response = client.post(
        URL,
        body(birth_registration, commune_agency, channel="online"),
        content_type="application/json",
        **bearer(clerk),
    )
    assert response.status_code == 422
    assert not Dossier.objects.exists()


@time_machine.travel(MONDAY_9AM, tick=False)
def test_identity_number_is_refused_by_its_structure_with_a_message_naming_the_fault(
    client, clerk, birth_registration, commune_agency
):
    bad = body(
        birth_registration,
        commune_agency,
        applicant={"type": "citizen", "name": "An", "id_number": "999095001234"},
    )
    response = client.post(URL, bad, content_type="application/json", **bearer(clerk))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_citizen_id"
    assert "999" in error["message"]
    assert not Dossier.objects.exists()


@time_machine.travel(MONDAY_9AM, tick=False)
@pytest.mark.parametrize(
    "applicant, status, answer",
    [
        ({"id_type": "passport", "id_number": "b1234567"}, 201, ("passport", "B1234567")),
        ({}, 201, ("personal_id", "042090001234")),
        ({"id_type": "tax_code", "id_number": "0100109106"}, 400, "invalid_id_type"),
        ({"id_type": "old_id_card", "id_number": "123456789"}, 422, None),  # history only
    ],
)
def test_the_identity_document_beside_the_number(
    client, clerk, birth_registration, commune_agency, applicant, status, answer
):
    person = {"type": "citizen", "name": "An", "id_number": "042090001234", **applicant}
    sent = body(birth_registration, commune_agency, applicant=person)
    response = client.post(URL, sent, content_type="application/json", **bearer(clerk))
    assert response.status_code == status, response.content
    if status == 201:
        data = response.json()
        assert (data["applicant_id_type"], data["applicant_id_number"]) == answer
        dossier = Dossier.objects.get()
        assert (dossier.applicant_id_type, dossier.applicant_id_number) == answer
    else:
        assert not Dossier.objects.exists()
        if answer:
            assert response.json()["error"]["code"] == answer
