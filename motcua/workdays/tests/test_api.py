"""GET /api/v1/workdays/add and /api/v1/workdays/<year>."""

from datetime import date

import pytest

from motcua.workdays import services

pytestmark = pytest.mark.django_db
ADD = "/api/v1/workdays/add"
START = "2026-02-13T10:00:00+07:00"


def test_one_working_day_from_the_friday_before_tet(client):
    response = client.get(ADD, {"start": START, "days": "1"})
    assert response.status_code == 200, response.content
    assert response.json() == {
        "start": "2026-02-13T10:00:00+07:00",
        "effective_start": "2026-02-13T10:00:00+07:00",
        "amount": 1.0,
        "unit": "working_days",
        "cutoff": True,
        "due": "2026-02-23T17:00:00+07:00",
        "timezone": "Asia/Ho_Chi_Minh",
    }


def test_a_receipt_after_the_cutoff_counts_from_the_next_working_day(client):
    body = client.get(ADD, {"start": "2026-02-13T15:30:00+07:00", "days": "1"}).json()
    assert body["effective_start"] == "2026-02-23T07:30:00+07:00"
    assert body["due"] == "2026-02-24T17:00:00+07:00"


def test_the_cutoff_can_be_left_out(client):
    query = {"start": "2026-02-13T15:30:00+07:00", "days": "1", "cutoff": "false"}
    body = client.get(ADD, query).json()
    assert body["effective_start"] == "2026-02-13T15:30:00+07:00"
    assert body["due"] == "2026-02-23T17:00:00+07:00"


def test_utc_and_an_unencoded_plus_are_understood(client):
    utc = client.get(ADD, {"start": "2026-02-13T03:00:00Z", "days": "1"}).json()
    raw = client.get(f"{ADD}?start=2026-02-13T10:00:00+07:00&days=1").json()
    assert utc["start"] == raw["start"] == "2026-02-13T10:00:00+07:00"
    assert utc["due"] == raw["due"] == "2026-02-23T17:00:00+07:00"


@pytest.mark.parametrize(
    ("query", "unit", "due"),
    [
        ({"hours": "8"}, "working_hours", "2026-02-23T10:30:00+07:00"),
        ({"days": "0.5"}, "working_days", "2026-02-13T17:00:00+07:00"),
        ({"days": "5", "unit": "calendar_days"}, "calendar_days", "2026-02-23T17:00:00+07:00"),
        ({"months": "1"}, "months", "2026-03-13T17:00:00+07:00"),
    ],
)
def test_other_units(client, query, unit, due):
    body = client.get(ADD, {"start": "2026-02-13T10:00:00+07:00", **query}).json()
    assert (body["unit"], body["due"]) == (unit, due)


def test_an_override_changes_the_answer(client):
    services.set_override(date(2026, 2, 23), kind="day_off", name="Bão", actor=None)
    body = client.get(ADD, {"start": START, "days": "1"}).json()
    assert body["due"] == "2026-02-24T17:00:00+07:00"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({"start": "2026-02-13T10:00:00", "days": "1"}, "naive_datetime"),
        ({"start": "13/02/2026", "days": "1"}, "invalid_datetime"),
        ({"start": "1989-12-31T10:00:00+07:00", "days": "1"}, "start_out_of_range"),
        ({"start": START, "days": "-1"}, "amount_out_of_range"),
        ({"start": START, "days": "100000"}, "amount_out_of_range"),
        ({"start": START, "months": "121"}, "amount_out_of_range"),
        ({"start": START, "days": "1", "hours": "2"}, "ambiguous_amount"),
        ({"start": START}, "amount_required"),
        ({"start": START, "hours": "2", "unit": "calendar_days"}, "unit_mismatch"),
        ({"start": START, "days": "0.3"}, "invalid_amount"),
        ({"start": START, "days": "1.5", "unit": "calendar_days"}, "invalid_amount"),
        ({"start": START, "days": "many"}, "invalid_input"),
        ({"start": START, "days": "1", "unit": "weeks"}, "invalid_input"),
        ({"days": "1"}, "invalid_input"),
    ],
)
def test_bad_input_is_refused_with_a_code(client, query, code):
    response = client.get(ADD, query)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == code and error["message"]


def test_a_year_lists_days_off_swapped_days_and_hours(client):
    services.set_override(date(2026, 3, 10), kind="day_off", name="Bão số 3", actor=None)
    response = client.get("/api/v1/workdays/2026")
    assert response.status_code == 200, response.content
    body = response.json()
    days_off = {day["date"]: day for day in body["days_off"]}
    assert days_off["2026-02-17"] == {
        "date": "2026-02-17",
        "name": "Tết Nguyên Đán",
        "source": "holiday",
    }
    assert days_off["2026-03-10"]["source"] == "override"
    assert [day["date"] for day in body["working_days"]] == ["2026-08-22"]
    assert body["working_hours"] == {
        "morning": {"start": "07:30", "end": "11:30"},
        "afternoon": {"start": "13:30", "end": "17:00"},
        "cutoff": "15:00",
        "hours_per_day": 7.5,
    }
    assert body["weekly_rest_days"] == ["saturday", "sunday"]
    assert body["working_day_count"] == 248


def test_holiday_names_follow_the_language(client):
    body = client.get("/api/v1/workdays/2026", headers={"accept-language": "en"}).json()
    names = {day["date"]: day["name"] for day in body["days_off"]}
    assert names["2026-01-01"] == "New Year's Day"


@pytest.mark.parametrize("year", [1989, 2101, 99999])
def test_a_year_out_of_range_is_refused(client, year):
    response = client.get(f"/api/v1/workdays/{year}")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "year_out_of_range"


def test_a_year_that_is_not_a_number_is_not_found(client):
    assert client.get("/api/v1/workdays/next").status_code == 404
