"""/api/v1/procedures: search (same rule as the pages), detail, errors, OpenAPI."""

import pytest

from motcua.catalogue.models import Field
from motcua.portal.tests.catalogue_samples import many_procedures, publish_second_version

LIST_URL = "/api/v1/procedures"


def codes(response) -> list[str]:
    return [row["code"] for row in response.json()["results"]]


def test_search_without_diacritics(client, birth_registration, record_check):
    response = client.get(LIST_URL, {"q": "dang ky khai sinh"})

    assert response.status_code == 200
    assert response.json() == {
        "count": 1,
        "page": 1,
        "page_size": 25,
        "results": [
            {
                "code": "1.001193",
                "name": "Đăng ký khai sinh",
                "field": {"code": "ho-tich", "name": "Hộ tịch"},
                "levels": ["commune"],
                "online_level": "end_to_end",
                "time_limit": {"value": 1.0, "unit": "working_days", "text": "1 Ngày làm việc"},
                "url": "/thu-tuc/1.001193/",
            }
        ],
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["2.000488", "1.001193"]),
        ({"q": "001193"}, ["1.001193"]),
        ({"agency": "H42.12"}, ["2.000488"]),
        ({"agency": "H42.50.01"}, ["1.001193"]),
        ({"agency": "H42.50.02"}, []),
        ({"field": "ho-tich"}, ["1.001193"]),
        ({"level": "province"}, ["2.000488"]),
        ({"online": "end_to_end"}, ["1.001193"]),
        ({"q": "phieu", "level": "commune"}, []),
    ],
)
def test_filters(client, birth_registration, record_check, other_commune_agency, params, expected):
    assert codes(client.get(LIST_URL, params)) == expected


def test_pages(client, db):
    many_procedures(Field.objects.create(code="giao-thong", name="Giao thông"), 12)

    second = client.get(LIST_URL, {"q": "giay phep", "page": 2, "page_size": 5}).json()
    past_end = client.get(LIST_URL, {"page": 4, "page_size": 5}).json()

    assert (second["count"], second["page"], second["page_size"]) == (12, 2, 5)
    assert [r["code"] for r in second["results"]] == [f"3.{100005 + n:06d}" for n in range(5)]
    assert past_end["count"] == 12 and past_end["results"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"level": "xyz"}, "level"),
        ({"online": "4"}, "online"),
        ({"page": 0}, "page"),
        ({"page": "abc"}, "page"),
        ({"page_size": 1000}, "page_size"),
        ({"page_size": 0}, "page_size"),
        ({"agency": "abc"}, "agency"),
        ({"agency": "H99.99"}, "agency"),
        ({"agency": "H" * 36}, "agency"),
        ({"field": "no-such-field"}, "field"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_bad_input_is_422_with_the_error_shape(client, birth_registration, params, field):
    response = client.get(LIST_URL, params)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert [detail["loc"] for detail in error["details"]] == [["query", field]]


def test_detail_has_components_fees_steps_and_version(client, birth_registration):
    body = client.get(f"{LIST_URL}/1.001193").json()

    assert body["code"] == "1.001193"
    assert body["name"] == "Đăng ký khai sinh"
    assert body["version"]["number"] == 1 and body["version"]["is_current"] is True
    assert body["version"]["status"] == "published"
    assert [c["name"] for c in body["components"]] == [
        "Tờ khai đăng ký khai sinh",
        "Giấy chứng sinh",
    ]
    assert body["fees"] == [
        {
            "name": "Lệ phí đăng ký khai sinh",
            "amount": 0,
            "rule": "",
            "channel": None,
            "charged_at": "receipt",
        }
    ]
    assert [(s["order"], s["role"]) for s in body["steps"]] == [
        (1, "receiving_clerk"),
        (2, "specialist"),
        (3, "leader"),
    ]
    assert body["time_limit"] == {"value": 1.0, "unit": "working_days", "text": "1 Ngày làm việc"}
    assert body["channels"] == ["in_person", "online", "postal"]


def test_detail_lists_implementing_agencies_and_legal_basis(client, record_check):
    body = client.get(f"{LIST_URL}/2.000488").json()

    assert body["implementing_agencies"] == [{"code": "H42.12", "name": "Sở Tư pháp"}]
    assert body["legal_basis"] == [{"name": "Luật Lý lịch tư pháp", "code": "28/2009/QH12"}]
    assert body["fees"][0]["amount"] == 200000
    assert body["fees"][1]["amount"] is None
    assert body["components"][0]["case"] == "Trường hợp nộp trực tiếp"
    assert body["boundary_independent"] is True


def test_detail_of_a_superseded_version(client, birth_registration):
    publish_second_version(birth_registration, name="Đăng ký khai sinh (sửa đổi)")

    current = client.get(f"{LIST_URL}/1.001193").json()
    old = client.get(f"{LIST_URL}/1.001193", {"version": 1}).json()

    assert (current["version"]["number"], current["name"]) == (2, "Đăng ký khai sinh (sửa đổi)")
    assert (old["version"]["number"], old["name"]) == (1, "Đăng ký khai sinh")
    assert old["version"]["status"] == "superseded" and old["version"]["is_current"] is False


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        (f"{LIST_URL}/9.999999", 404, "not_found"),
        (f"{LIST_URL}/1.001193?version=7", 404, "not_found"),
        (f"{LIST_URL}/1.001193?version=abc", 422, "invalid_input"),
    ],
)
def test_detail_errors_use_the_error_shape(client, birth_registration, url, status, code):
    response = client.get(url)

    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_openapi_documents_both_paths(client, db):
    schema = client.get("/api/v1/openapi.json").json()

    assert "/api/v1/procedures" in schema["paths"]
    assert "/api/v1/procedures/{code}" in schema["paths"]
    params = {p["name"] for p in schema["paths"]["/api/v1/procedures"]["get"]["parameters"]}
    assert params == {"q", "agency", "field", "level", "online", "page", "page_size"}


def test_list_query_count_is_bounded(client, db, django_assert_max_num_queries):
    many_procedures(Field.objects.create(code="giao-thong", name="Giao thông"), 30)

    # agency and field code look-ups (2), count (1), page (1)
    with django_assert_max_num_queries(4):
        response = client.get(LIST_URL, {"q": "giay", "field": "giao-thong", "page_size": 100})

    assert len(response.json()["results"]) == 30
