"""GET /api/v1/tracking/{code}: the same rule as the /tra-cuu/ page, as JSON."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import Client

from motcua.portal.tests.tracking_samples import (
    ID_DIGITS,
    MASKED_NAME,
    MONDAY_9AM,
    PHONE_DIGITS,
    VN,
    WRONG_DIGITS,
    commune_staff,
    handed_over,
    receive,
    rescheduled,
    resolved,
)
from motcua.throttle.models import AttemptCounter

PERSONAL = ["Nguyễn Văn An", "042090001234", "0912345678"]


@pytest.fixture(autouse=True)
def _quiet_pruning(settings):
    settings.MOTCUA_THROTTLE_PRUNE_EVERY = 0


@pytest.fixture
def dossier(birth_registration, commune_agency, clerk):
    with time_machine.travel(MONDAY_9AM, tick=False):
        return receive(birth_registration, commune_agency, clerk)


def url(code: str) -> str:
    return f"/api/v1/tracking/{code}"


def test_code_only_shows_status_and_progress(client, dossier):
    response = client.get(url(dossier.code))

    assert response.status_code == 200
    assert response.json() == {
        "code": dossier.code,
        "procedure": {"code": "1.001193", "name": "Đăng ký khai sinh"},
        "status": {"code": 2, "label": "Được tiếp nhận"},
        "progress": {
            "received_at": "2026-03-09T09:00:00+07:00",
            "steps_done": 0,
            "steps_total": 3,
            "is_resolved": False,
            "is_returned": False,
            "is_closed": False,
        },
        "milestones": [
            {"kind": "received", "label": "Được tiếp nhận", "at": "2026-03-09T09:00:00+07:00"}
        ],
        "details": None,
    }
    assert AttemptCounter.objects.get().key == "tracking:ip:127.0.0.1"


def test_the_digits_show_the_details(client, dossier, clerk):
    with time_machine.travel(MONDAY_9AM + timedelta(minutes=30), tick=False):
        handed_over(dossier, clerk)
    with time_machine.travel(MONDAY_9AM + timedelta(hours=2), tick=False):
        rescheduled(dossier, clerk, datetime(2026, 3, 11, 17, 0, tzinfo=VN))

    response = client.get(url(dossier.code), {"secret": ID_DIGITS})

    assert "no-store" in response["Cache-Control"]
    body = response.json()

    assert body["status"] == {"code": 4, "label": "Đang xử lý"}
    assert [m["kind"] for m in body["milestones"]] == ["received", "handed_over", "apology"]
    assert body["details"] == {
        "applicant": MASKED_NAME,
        "current_step": "Thẩm định",
        "handled_by": {"agency": "UBND phường Thành Sen", "department": None},
        "appointment_at": "2026-03-11T17:00:00+07:00",
        "apology": {
            "issued_at": "2026-03-09T11:00:00+07:00",
            "previous_appointment_at": "2026-03-10T17:00:00+07:00",
            "new_appointment_at": "2026-03-11T17:00:00+07:00",
        },
        "result_ready": False,
        "collect_at": None,
    }
    assert not [value for value in PERSONAL if value in response_text(body)]


def response_text(body: dict) -> str:
    import json

    return json.dumps(body, ensure_ascii=False)


def test_resolved_dossier_says_where_to_collect(client, dossier, clerk, commune_agency):
    specialist, leader = commune_staff(commune_agency)
    with time_machine.travel(MONDAY_9AM + timedelta(minutes=30), tick=False):
        handed_over(dossier, clerk)
        resolved(dossier, clerk, specialist, leader)

    body = client.get(url(dossier.code), {"secret": PHONE_DIGITS}).json()

    assert body["progress"]["is_resolved"] is True
    assert body["progress"]["steps_done"] == 3
    assert body["details"]["result_ready"] is True
    assert body["details"]["collect_at"] == "UBND phường Thành Sen"
    assert body["details"]["handled_by"] is None


def test_wrong_code_and_wrong_digits_are_indistinguishable(client, dossier):
    wrong_code = client.get(url("H42.50.01-260309-0999"), {"secret": PHONE_DIGITS})
    wrong_digits = client.get(url(dossier.code), {"secret": WRONG_DIGITS})

    assert wrong_code.status_code == wrong_digits.status_code == 404
    assert wrong_code.content == wrong_digits.content
    assert wrong_code["Cache-Control"] == wrong_digits["Cache-Control"]
    assert wrong_digits.json() == {
        "error": {
            "code": "not_found",
            "message": "Không có hồ sơ nào khớp với mã và các chữ số này",
        }
    }


def test_unknown_code_alone(client, db):
    response = client.get(url("H42.50.01-260309-0999"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "No dossier with this code"}
    }


@pytest.mark.parametrize("secret", ["12", "12345", "abcd", "12 4", "١٢٣٤", "1234\n5"])
def test_malformed_digits_are_invalid_input_and_not_counted(client, dossier, secret):
    response = client.get(url(dossier.code), {"secret": secret}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_secret"
    assert AttemptCounter.objects.count() == 0


def test_lookups_per_address_are_limited_with_retry_after(client, dossier, settings):
    settings.MOTCUA_TRACKING_IP_LIMIT = 2
    with time_machine.travel(MONDAY_9AM, tick=False):
        first = [client.get(url(dossier.code)).status_code for _ in range(2)]
        blocked = client.get(url(dossier.code), HTTP_ACCEPT_LANGUAGE="en")
        elsewhere = client.get(url(dossier.code), REMOTE_ADDR="198.51.100.20")

    assert first == [200, 200]
    assert blocked.status_code == 429
    assert blocked["Retry-After"] == "600"
    assert blocked.json() == {
        "error": {
            "code": "rate_limited",
            "message": "Too many lookups. Please try again in 10 minutes.",
        }
    }
    assert elsewhere.status_code == 200


def test_wrong_digits_are_limited_per_address_and_never_hide_the_owners_details(
    client, dossier, settings
):
    settings.MOTCUA_TRACKING_SECRET_LIMIT = 3
    settings.MOTCUA_TRACKING_SECRET_WINDOW = 3600
    wrong, right = {"secret": WRONG_DIGITS}, {"secret": PHONE_DIGITS}
    with time_machine.travel(MONDAY_9AM, tick=False):
        guesses = [client.get(url(dossier.code), wrong, REMOTE_ADDR="10.0.0.1") for _ in range(3)]
        blocked = client.get(url(dossier.code), right, REMOTE_ADDR="10.0.0.1")
        owner = client.get(url(dossier.code), right, REMOTE_ADDR="203.0.113.7")

    assert [r.status_code for r in guesses] == [404, 404, 404]
    assert blocked.status_code == 429
    assert blocked["Retry-After"] == "3600"
    assert blocked.json()["error"]["code"] == "rate_limited"
    assert "no-store" in blocked["Cache-Control"]
    assert owner.status_code == 200
    assert owner.json()["details"]["applicant"] == MASKED_NAME
    counts = dict(AttemptCounter.objects.values_list("key", "count"))
    assert counts[f"tracking:wrong:10.0.0.1 {dossier.code}"] == 3
    assert counts["tracking:wrong:10.0.0.1"] == 3
    assert counts[f"tracking:wrong:203.0.113.7 {dossier.code}"] == 0


def test_a_proxy_limited_deployment_counts_no_lookups_but_still_limits_digits(
    client, dossier, settings
):
    settings.MOTCUA_TRACKING_IP_LIMIT = 0  # the reverse proxy limits per address
    settings.MOTCUA_TRACKING_SECRET_LIMIT = 2
    with time_machine.travel(MONDAY_9AM, tick=False):
        looked_up = [client.get(url(dossier.code)).status_code for _ in range(5)]
        wrong = [client.get(url(dossier.code), {"secret": WRONG_DIGITS}) for _ in range(2)]
        blocked = client.get(url(dossier.code), {"secret": PHONE_DIGITS})

    assert looked_up == [200] * 5
    assert [r.status_code for r in wrong] == [404, 404]
    assert blocked.status_code == 429
    assert dict(AttemptCounter.objects.values_list("key", "count")) == {
        f"tracking:wrong:127.0.0.1 {dossier.code}": 2,
        "tracking:wrong:127.0.0.1": 2,
    }


def test_english_labels_follow_accept_language(client, dossier):
    body = client.get(url(dossier.code), HTTP_ACCEPT_LANGUAGE="en").json()

    assert body["status"]["label"] == "Received"
    assert body["milestones"][0]["label"] == "Received"


def test_code_is_read_in_any_case_and_spacing(client, dossier):
    response = client.get(url(" " + dossier.code.lower()))

    assert response.status_code == 200
    assert response.json()["code"] == dossier.code


def test_openapi_documents_the_endpoint_without_authentication(client, db):
    schema = client.get("/api/v1/openapi.json").json()

    operation = schema["paths"]["/api/v1/tracking/{code}"]["get"]
    assert "security" not in operation
    assert {"200", "404", "422", "429"} <= set(operation["responses"])


def test_wrong_code_and_wrong_digits_do_the_same_database_work(
    client, dossier, django_assert_num_queries
):
    # One upsert of the address's counters, the dossier lookup: nothing more for either.
    with django_assert_num_queries(2):
        client.get(url("H42.50.01-260309-0999"), {"secret": PHONE_DIGITS})
    with django_assert_num_queries(2):
        client.get(url(dossier.code), {"secret": WRONG_DIGITS})


def test_lookup_query_counts(client, dossier, django_assert_num_queries):
    # Address counter; the dossier with its names, its steps, its milestones.
    with django_assert_num_queries(4):
        client.get(url(dossier.code))
    # The wrong-digit counters ride on the same upsert; giving the guess back.
    with django_assert_num_queries(5):
        client.get(url(dossier.code), {"secret": PHONE_DIGITS})


def test_the_apology_comes_with_the_same_read(client, dossier, clerk, django_assert_num_queries):
    with time_machine.travel(MONDAY_9AM + timedelta(minutes=30), tick=False):
        handed_over(dossier, clerk)
        rescheduled(dossier, clerk, datetime(2026, 3, 11, 17, 0, tzinfo=VN))

    # The counters' upsert, the dossier's row (the apology joined), steps, milestones,
    # giving the guess back.
    with django_assert_num_queries(5):
        body = client.get(url(dossier.code), {"secret": ID_DIGITS}).json()

    assert body["details"]["apology"]["new_appointment_at"] == "2026-03-11T17:00:00+07:00"


def test_the_lookup_sets_no_cookie_even_for_a_signed_in_browser(client, dossier, clerk):
    client.force_login(clerk)

    response = client.get(url(dossier.code))

    assert response.status_code == 200
    assert not response.cookies


def test_the_lookup_needs_no_csrf_token(dossier):
    browser = Client(enforce_csrf_checks=True)

    assert browser.get(url(dossier.code)).status_code == 200


def test_only_get_is_served(client, dossier):
    assert client.post(url(dossier.code)).status_code == 405
    assert not AttemptCounter.objects.exists()
