"""The feedback JSON API through HTTP (/api/v1/feedback/...): staff read the register in
their scope (no personal data in the list, the sender on the item to those who may read
it), report readers the ratings' aggregates; a signed-in citizen sends feedback (once per
Idempotency-Key) and reads only their own; every other caller is refused."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from conftest import make_user
from motcua.audit.models import AuditEvent
from motcua.feedback import register
from motcua.feedback.models import Feedback
from motcua.feedback.ratings import Given, record_rating
from motcua.organisations.roles import Role
from motcua.organisations.tokens import issue_token

from .conftest import KHAC, sign_in

pytestmark = pytest.mark.django_db
API = "/api/v1/feedback"


def token_of(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user, name='t').plain}"}


def staff(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sent(agency, title="Hồ sơ trễ hẹn", **changes) -> Feedback:
    values = {
        "source": "phone",
        "agency": agency,
        "sender": register.Sender("Phạm Thị Hoa", "12 Trần Phú", "0903123456", "hoa@example.org"),
        "subject": "procedure",
        "title": title,
        "body": "Hồ sơ của tôi trễ hẹn, gọi 0903123456",
    }
    values.update(changes)
    item, _new = register.receive_feedback(register.Submission(**values))
    return item


# --- Staff: the register ----------------------------------------------------------------------


def test_staff_list_the_items_of_their_agencies_without_personal_data(
    centre, commune_agency, centre_clerk, clerk
):
    mine = sent(centre)
    other = sent(commune_agency, title="Ở xã")
    response = staff(centre_clerk).get(f"{API}/items")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and [r["reference"] for r in body["results"]] == [mine.reference]
    row = body["results"][0]
    assert row["state"] == "received" and row["receiving_agency"] == centre.code
    assert row["deadlines"]["handle_by"].endswith("+07:00") and row["deadlines"]["overdue"] is False
    assert row["received_at"].endswith("+07:00")  # the API's moments: Vietnam's time
    text = response.content.decode()
    assert "0903123456" not in text and "Phạm Thị Hoa" not in text and "sender" not in row
    # The commune's clerk sees the commune's item only; a token works as the session does.
    theirs = Client().get(f"{API}/items", **token_of(clerk)).json()
    assert [r["reference"] for r in theirs["results"]] == [other.reference]


def test_the_list_filters_by_state_period_overdue_and_agency(centre, centre_clerk, supervisor):
    with time_machine.travel(timezone.now() - timedelta(days=40)):
        old = sent(centre)  # its 15 working days are over
    new = sent(centre, title="Thứ hai")
    register.classify_feedback(new, actor=centre_clerk, classification="procedure")
    client = staff(supervisor)

    def refs(**query):
        response = client.get(f"{API}/items", query)
        assert response.status_code == 200, response.content
        return [r["reference"] for r in response.json()["results"]]

    assert refs(state="classified") == [new.reference]
    assert refs(overdue="true") == [old.reference]
    assert refs(overdue="false") == [new.reference]
    today = timezone.localdate()
    assert refs(**{"from": today.isoformat(), "to": today.isoformat()}) == [new.reference]
    assert refs(**{"to": (today - timedelta(days=1)).isoformat()}) == [old.reference]
    assert refs(agency=centre.code) == [new.reference, old.reference]
    assert client.get(f"{API}/items", {"state": "lost"}).status_code == 422
    assert client.get(f"{API}/items", {"page_size": "1000"}).status_code == 422


def test_the_list_refuses_who_may_not_read_it(centre, commune_agency, clerk, idp):
    assert Client().get(f"{API}/items").status_code == 401
    nobody = make_user("nobody")
    refused = staff(nobody).get(f"{API}/items")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert staff(clerk).get(f"{API}/items", {"agency": centre.code}).status_code == 404
    citizen = Client()
    sign_in(citizen)
    assert citizen.get(f"{API}/items").status_code == 401  # a citizen is not staff


def test_an_item_gives_its_sender_and_history_to_those_who_may_read_it(
    centre, centre_clerk, clerk, justice_department, justice_specialist
):
    item = sent(centre)
    url = f"{API}/items/{item.reference}"
    assert staff(justice_specialist).get(url).status_code == 404  # not forwarded to it yet
    register.classify_feedback(item, actor=centre_clerk, classification="procedure")
    register.forward_feedback(item, actor=centre_clerk, agency=justice_department)
    register.start_handling(item, actor=justice_specialist)
    response = staff(justice_specialist).get(url)
    assert response.status_code == 200
    body = response.json()
    assert body["sender"] == {
        "name": "Phạm Thị Hoa",
        "address": "12 Trần Phú",
        "phone": "0903123456",
        "email": "hoa@example.org",
    }
    assert body["handling_agency"] == justice_department.code and body["handler"] == (
        justice_specialist.username
    )
    assert [(e["action"], e["actor"]) for e in body["history"]] == [
        ("feedback.received", None),
        ("feedback.classify", "centre_clerk"),
        ("feedback.forward", "centre_clerk"),
        ("feedback.start_handling", "justice_specialist"),
    ]
    assert staff(clerk).get(url).status_code == 404  # another agency's clerk
    assert staff(centre_clerk).get(f"{API}/items/PAKN-0000-999999").status_code == 404


# --- Staff: ratings ---------------------------------------------------------------------------


def test_ratings_per_unit_and_month_for_report_readers(
    finished, commune_agency, supervisor, clerk, centre
):
    first, second = finished(), finished(KHAC)
    record_rating(dossier=first, channel="device", given=Given(level=4, liked=True))
    record_rating(dossier=second, channel="portal", given=Given(level=1))
    record_rating(dossier=first, channel="portal", given=Given(level=3))
    # The centre's supervisor reads the centre's dossiers only: these are the commune's.
    province = make_user("province_supervisor", commune_agency, Role.SUPERVISOR)
    today = timezone.localdate().isoformat()
    client = staff(province)
    response = client.get(f"{API}/ratings", {"from": today, "to": today})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["group_by"] == "unit" and body["agencies"] == [commune_agency.code]
    [row] = body["rows"]
    assert row["key"] == commune_agency.code and row["ratings"] == 3
    assert row["levels"] == {
        "very_satisfied": 1,
        "satisfied": 1,
        "acceptable": 0,
        "dissatisfied": 1,
    }
    assert row["satisfied_percent"] == "66.67" and (row["likes"], row["dislikes"]) == (1, 0)
    assert body["total"]["ratings"] == 3 and body["total"]["key"] is None
    by_month = client.get(
        f"{API}/ratings", {"from": today, "to": today, "group_by": "month", "channel": "portal"}
    ).json()
    assert [(r["key"], r["ratings"]) for r in by_month["rows"]] == [(today[:7], 2)]
    elsewhere = staff(supervisor).get(f"{API}/ratings", {"from": today, "to": today}).json()
    assert elsewhere["rows"] == [] and elsewhere["total"]["satisfied_percent"] is None
    assert staff(clerk).get(f"{API}/ratings", {"from": today, "to": today}).status_code == 403
    assert client.get(f"{API}/ratings", {"from": today, "to": "2000-01-01"}).status_code == 422
    assert client.get(f"{API}/ratings", {"from": today}).status_code == 422
    assert (
        client.get(
            f"{API}/ratings", {"from": today, "to": today, "agency": centre.code}
        ).status_code
        == 404
    )


# --- The signed-in citizen -------------------------------------------------------------------


def test_a_citizen_sends_feedback_once_and_reads_only_their_own(client, idp, centre):
    other = sent(centre, title="Của người khác")
    sign_in(client)
    payload = {
        "subject": "procedure",
        "title": "Hướng dẫn chưa rõ",
        "body": "Trang thủ tục thiếu mẫu tờ khai.",
        "address": "12 Trần Phú",
    }
    headers = {"HTTP_IDEMPOTENCY_KEY": "k-1"}
    response = client.post(f"{API}/mine", payload, content_type="application/json", **headers)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "received" and body["reference"].startswith("PAKN-")
    again = client.post(f"{API}/mine", payload, content_type="application/json", **headers)
    assert again.status_code == 201 and again.json()["reference"] == body["reference"]
    assert again["Idempotent-Replayed"] == "true"
    item = Feedback.objects.get(title="Hướng dẫn chưa rõ")  # one item
    assert item.sender_user is not None and item.sender_name  # the account's name and phone
    assert item.sender_phone and item.agency == centre and item.source == "portal"
    received = AuditEvent.objects.get(action="feedback.received", target_id=str(item.pk))
    assert received.actor == item.sender_user
    listing = client.get(f"{API}/mine").json()
    assert [r["reference"] for r in listing["results"]] == [item.reference]
    assert client.get(f"{API}/mine/{item.reference}").json()["title"] == "Hướng dẫn chưa rõ"
    assert client.get(f"{API}/mine/{other.reference}").status_code == 404


def test_a_citizen_names_only_their_own_dossier(client, idp, finished, commune_agency, centre):
    own, theirs = finished(), finished(KHAC)
    sign_in(client)
    payload = {
        "subject": "dossier",
        "title": "Trễ hẹn",
        "body": "Hồ sơ trễ hẹn.",
        "address": "12 Trần Phú",
    }
    refused = client.post(
        f"{API}/mine", {**payload, "dossier": theirs.code}, content_type="application/json"
    )
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "dossier_not_found"
    accepted = client.post(
        f"{API}/mine", {**payload, "dossier": own.code}, content_type="application/json"
    )
    assert accepted.status_code == 201 and accepted.json()["dossier"] == own.code
    assert Feedback.objects.get().agency == commune_agency  # the dossier's receiving agency
    missing = client.post(f"{API}/mine", {"subject": "dossier"}, content_type="application/json")
    assert missing.status_code == 422
    for bad in ("Hồ sơ\u0000 trễ", "\u0007"):  # NUL (PostgreSQL refuses it), a bell
        refused = client.post(
            f"{API}/mine", {**payload, "body": bad}, content_type="application/json"
        )
        assert refused.status_code == 400, ascii(bad)
        assert refused.json()["error"]["code"] == "invalid_characters"
    half = {**payload, "body": "Hồ sơ \ud800 trễ"}  # half of a surrogate pair: invalid input
    assert client.post(f"{API}/mine", half, content_type="application/json").status_code == 422
    unknown = client.post(
        f"{API}/mine", {**payload, "agency": "XX.99"}, content_type="application/json"
    )
    assert unknown.status_code == 404
    assert Feedback.objects.count() == 1


def test_the_citizen_routes_refuse_staff_and_strangers(centre_clerk):
    payload = {"subject": "rule", "title": "T", "body": "B", "address": "A"}
    assert Client().get(f"{API}/mine").status_code == 401
    assert Client().post(f"{API}/mine", payload, content_type="application/json").status_code == 401
    assert staff(centre_clerk).get(f"{API}/mine").status_code == 403
    token = token_of(centre_clerk)
    refused = Client().post(f"{API}/mine", payload, content_type="application/json", **token)
    assert refused.status_code == 403 and not Feedback.objects.exists()


def test_days_are_written_yyyy_mm_dd(supervisor):
    client = staff(supervisor)
    assert client.get(f"{API}/items", {"to": "0"}).status_code == 422
    assert client.get(f"{API}/ratings", {"from": "20260101", "to": "2026-01-31"}).status_code == 422
    assert (
        client.get(f"{API}/ratings", {"from": "2026-01-01", "to": "2026-01-31"}).status_code == 200
    )
