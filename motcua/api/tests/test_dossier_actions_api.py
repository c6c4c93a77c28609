"""The whole processing path through the JSON API with bearer tokens (same services as the
back office), plus refusals in the error shape."""

from contextlib import contextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from motcua.catalogue.models import Procedure
from motcua.dossiers.models import Dossier
from motcua.dossiers.status import Status
from motcua.organisations.tokens import issue_token

VN = ZoneInfo("Asia/Ho_Chi_Minh")
URL = "/api/v1/dossiers"


def handed_in(code: str) -> list[dict]:
    """The procedure's whole checklist handed in (a complete dossier)."""
    version = Procedure.objects.get(code=code).current_version
    assert version is not None
    return [{"component_id": c.pk, "originals": 1} for c in version.documents()]


def auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user, name='t').plain}"}


@contextmanager
def at(*moment):
    with time_machine.travel(datetime(*moment, tzinfo=VN), tick=False):
        yield


def post(client, user, path, body=None):
    target = f"{URL}/{path}" if path else URL
    return client.post(target, body or {}, content_type="application/json", **auth(user))


def seen(client, user, code, body=None, *, by_step=False):
    """`body` with what a client that reads before it acts sends: the dossier's version, or
    the id of the step in progress."""
    dossier = client.get(f"{URL}/{code}", **auth(user)).json()
    if by_step:
        active = next(s["id"] for s in dossier["steps"] if s["state"] == "active")
        return {**(body or {}), "step": active}
    return {**(body or {}), "expected_version": dossier["version"]}


def test_processing_through_the_api(
    client,
    criminal_record,
    centre,
    justice_department,
    centre_clerk,
    specialist,
    department_head,
    commune_specialist,
    leader,
    clerk_of_other_agency,
):
    with at(2026, 3, 9, 8, 30):
        created = post(
            client,
            centre_clerk,
            "",
            {
                "procedure": "2.000488",
                "handed_in": handed_in("2.000488"),
                "agency": centre.code,
                "competent_agency": justice_department.code,
                "applicant": {"name": "Trần Thị Bình", "id_number": "042090005678"},
            },
        )
        assert created.status_code == 201, created.content
        code = created.json()["code"]
        assert post(client, centre_clerk, f"{code}/hand-over").json()["status"] == 4
    with at(2026, 3, 9, 9, 0):
        refused = post(
            client, clerk_of_other_agency, f"{code}/assign", {"assignee": specialist.username}
        )
        assert refused.status_code == 404  # another agency does not even see it
        assignment = seen(client, department_head, code, {"assignee": specialist.username})
        assert post(client, department_head, f"{code}/assign", assignment).status_code == 200
    with at(2026, 3, 9, 14, 0):
        data = post(
            client,
            specialist,
            f"{code}/supplement",
            {"reason": "Thiếu chữ ký", "items": ["Tờ khai có chữ ký"]},
        ).json()
        assert data["status"] == Status.SUPPLEMENT
        waiting = post(client, specialist, f"{code}/supplement", {"reason": "x", "items": ["y"]})
        assert waiting.status_code == 409
        assert waiting.json()["error"]["code"] == "illegal_transition"
    with at(2026, 3, 10, 9, 0):
        assert post(client, centre_clerk, f"{code}/supplement-received").json()["status"] == 4
        again = post(client, specialist, f"{code}/supplement", {"reason": "x", "items": ["y"]})
        assert again.status_code == 400 and again.json()["error"]["code"] == "supplement_once"
    with at(2026, 3, 11, 10, 0):
        body = seen(client, specialist, code, {"note": "Đủ điều kiện"}, by_step=True)
        assert post(client, specialist, f"{code}/complete-step", body).status_code == 200
    with at(2026, 3, 11, 14, 0):
        body = seen(client, department_head, code)
        assert post(client, department_head, f"{code}/complete-step", body).status_code == 200
    with at(2026, 3, 12, 9, 0):
        body = seen(client, commune_specialist, code, by_step=True)
        assert post(client, commune_specialist, f"{code}/complete-step", body).status_code == 200
    with at(2026, 3, 13, 9, 0):
        assert (
            post(client, leader, f"{code}/approve", seen(client, leader, code)).status_code == 200
        )
    with at(2026, 3, 13, 14, 0):
        assert post(client, centre_clerk, f"{code}/result-ready").json()["status"] == 9
        returned = post(
            client,
            centre_clerk,
            f"{code}/return",
            {
                "method": "in_person",
                "collected_by_name": "Trần Thị Bình",
                "collected_by_id_number": "042090005678",
            },
        )
        assert returned.status_code == 200 and returned.json()["status"] == Status.RETURNED
    dossier = Dossier.objects.get(code=code)
    assert dossier.returned_method == "in_person" and dossier.supplement_count == 1


def test_bad_action_input_is_422_and_changes_nothing(
    client, criminal_record, centre, justice_department, centre_clerk
):
    with at(2026, 3, 9, 8, 30):
        code = post(
            client,
            centre_clerk,
            "",
            {
                "procedure": "2.000488",
                "handed_in": handed_in("2.000488"),
                "agency": centre.code,
                "competent_agency": justice_department.code,
                "applicant": {"name": "An", "id_number": "042090005678"},
            },
        ).json()["code"]
        response = post(client, centre_clerk, f"{code}/return", {"method": "teleport"})
        assert response.status_code == 422
        illegal = post(client, centre_clerk, f"{code}/return", {"method": "in_person"})
        assert illegal.status_code == 409
        assert illegal.json()["error"]["code"] == "illegal_transition"
    assert Dossier.objects.get(code=code).status == Status.RECEIVED
