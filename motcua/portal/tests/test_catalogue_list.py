"""The public catalogue list (/thu-tuc/): search, filters, pagination, invalid input."""

import re

import pytest
from django.urls import reverse

from conftest import procedure_values
from motcua.catalogue.models import Field, Level, Procedure
from motcua.catalogue.services import create_procedure

from .catalogue_samples import many_procedures

LIST_URL = reverse("catalogue:list")


def listed_codes(response) -> list[str]:
    return re.findall(r'<td class="code">([^<]+)</td>', response.content.decode())


def add_procedure(code: str, name: str, field, **values) -> Procedure:
    return create_procedure(code, actor=None, values=procedure_values(field, name=name, **values))


@pytest.mark.parametrize(
    "query",
    ["dang ky khai sinh", "ĐĂNG KÝ Khai Sinh", "khai sinh", "Dang  ky   KHAI sinh", "ho tich"],
)
def test_search_ignores_diacritics_case_and_spacing(client, birth_registration, query):
    response = client.get(LIST_URL, {"q": query})

    assert response.status_code == 200
    assert listed_codes(response) == ["1.001193"]
    assert "Đăng ký khai sinh" in response.content.decode()
    assert 'href="/thu-tuc/1.001193/"' in response.content.decode()


@pytest.mark.parametrize("query", ["1.001193", "001193"])
def test_search_matches_the_procedure_code(client, birth_registration, record_check, query):
    assert listed_codes(client.get(LIST_URL, {"q": query})) == ["1.001193"]


def test_every_term_must_match(client, birth_registration, record_check):
    response = client.get(LIST_URL, {"q": "khai sinh ly lich"})

    assert listed_codes(response) == []
    assert "Không tìm thấy thủ tục phù hợp." in response.content.decode()


def test_a_word_matches_from_the_start_of_a_word_only(client, birth_registration):
    assert listed_codes(client.get(LIST_URL, {"q": "inh"})) == []
    assert listed_codes(client.get(LIST_URL, {"q": "khai si"})) == ["1.001193"]


def test_exact_code_comes_first_then_phrase_matches_shortest_first(
    client, civil_status_field, birth_registration
):
    add_procedure("1.001193.000.00.00.H42", "Cấp bản sao", civil_status_field)
    add_procedure("1.000110", "Đăng ký khai sinh có yếu tố nước ngoài", civil_status_field)
    add_procedure("1.000999", "Đăng ký lại việc sinh, khai báo bổ sung", civil_status_field)

    by_code = listed_codes(client.get(LIST_URL, {"q": "1.001193"}))
    by_words = listed_codes(client.get(LIST_URL, {"q": "dang ky khai sinh"}))

    assert by_code == ["1.001193", "1.001193.000.00.00.H42"]
    assert by_words == ["1.001193", "1.000110", "1.000999"]


def test_without_a_query_the_list_is_alphabetical_with_đ_among_the_d(
    client, civil_status_field, birth_registration
):
    add_procedure("1.000002", "Xác nhận tình trạng hôn nhân", civil_status_field)
    add_procedure("1.000003", "Cấp bản sao trích lục hộ tịch", civil_status_field)
    add_procedure("1.000004", "Điều chỉnh thông tin hộ tịch", civil_status_field)

    codes = listed_codes(client.get(LIST_URL))

    assert codes == ["1.000003", "1.001193", "1.000004", "1.000002"]


def test_unpublished_procedures_are_not_listed(client, birth_registration, record_check):
    Procedure.objects.filter(code="2.000488").update(is_active=False)

    assert listed_codes(client.get(LIST_URL)) == ["1.001193"]


def test_filter_by_implementing_or_owner_agency(
    client, birth_registration, record_check, justice_department, commune_agency
):
    implementing = client.get(LIST_URL, {"agency": justice_department.code})
    owner = client.get(LIST_URL, {"agency": commune_agency.code})

    assert listed_codes(implementing) == ["2.000488"]
    assert listed_codes(owner) == ["1.001193"]


def test_agency_choices_are_the_agencies_with_procedures(
    client, birth_registration, record_check, other_commune_agency
):
    page = client.get(LIST_URL).content.decode()

    assert 'value="H42.12"' in page  # implements the criminal record check
    assert 'value="H42.50.01"' in page  # maintains birth registration
    assert f'value="{other_commune_agency.code}"' not in page


@pytest.mark.parametrize(
    ("params", "codes"),
    [
        ({"field": "ho-tich"}, ["1.001193"]),
        ({"field": "ly-lich-tu-phap"}, ["2.000488"]),
        ({"level": Level.COMMUNE}, ["1.001193"]),
        ({"level": Level.PROVINCE}, ["2.000488"]),
        ({"level": Level.MINISTRY}, []),
        ({"online": "end_to_end"}, ["1.001193"]),
        ({"online": "partial"}, ["2.000488"]),
        ({"q": "cap phieu", "level": Level.PROVINCE, "online": "partial"}, ["2.000488"]),
        ({"q": "cap phieu", "level": Level.COMMUNE}, []),
    ],
)
def test_filters(client, birth_registration, record_check, params, codes):
    assert listed_codes(client.get(LIST_URL, params)) == codes


@pytest.mark.parametrize(
    "params",
    [{"level": "xyz"}, {"online": "level-4"}, {"agency": "H99.99"}, {"field": "no-such-field"}],
)
def test_invalid_filter_is_reported_and_ignored(client, birth_registration, params):
    response = client.get(LIST_URL, params)

    assert response.status_code == 200
    assert 'class="form-errors"' in response.content.decode()
    assert "Bộ lọc này đã được bỏ qua." in response.content.decode()
    assert listed_codes(response) == ["1.001193"]


def test_overlong_query_is_reported(client, birth_registration):
    response = client.get(LIST_URL, {"q": "khai " * 50})

    assert response.status_code == 200
    assert 'class="form-errors"' in response.content.decode()


@pytest.fixture
def thirty_procedures(db):
    field = Field.objects.create(code="giao-thong", name="Giao thông")
    return many_procedures(field, 30)


def test_list_shows_25_per_page_and_filters_survive_paging(client, thirty_procedures):
    first = client.get(LIST_URL, {"q": "giay phep", "level": Level.PROVINCE})
    second = client.get(LIST_URL, {"q": "giay phep", "level": Level.PROVINCE, "page": 2})

    assert len(listed_codes(first)) == 25
    assert listed_codes(second) == [f"3.{100000 + n:06d}" for n in range(25, 30)]
    assert "q=giay+phep&amp;level=province&amp;page=2" in first.content.decode()
    assert "q=giay+phep&amp;level=province&amp;page=1" in second.content.decode()
    assert "Tìm thấy 30 thủ tục" in first.content.decode()


@pytest.mark.parametrize(("page", "expected_first"), [("abc", 0), ("999", 25), ("-1", 25)])
def test_page_that_is_not_a_number_shows_page_1_and_past_the_end_the_last(
    client, thirty_procedures, page, expected_first
):
    response = client.get(LIST_URL, {"page": page})

    assert response.status_code == 200
    assert listed_codes(response)[0] == f"3.{100000 + expected_first:06d}"


def test_list_page_query_count_is_bounded(
    client, thirty_procedures, justice_department, django_assert_max_num_queries
):
    params = {"q": "giay", "level": Level.PROVINCE, "field": "giao-thong", "online": "end_to_end"}
    # agency and field choices (2), validating the chosen field (1), count (1), the page (1).
    with django_assert_max_num_queries(5):
        response = client.get(LIST_URL, params)

    assert len(listed_codes(response)) == 25


def test_empty_catalogue_says_so(client, db):
    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert "Chưa có thủ tục nào được công bố." in response.content.decode()


def test_list_row_shows_field_levels_online_badge_and_time_limit(client, birth_registration):
    row = client.get(LIST_URL).content.decode()

    assert "Hộ tịch" in row
    assert 'class="badge online-end_to_end"' in row
    assert str(Level.COMMUNE.label) in row
    assert re.search(r'class="time-limit">\s*1 ', row)


def test_english_page_shows_english_interface_text(client, birth_registration):
    client.post("/i18n/setlang/", {"language": "en", "next": "/thu-tuc/"})
    page = client.get("/thu-tuc/", {"q": "khai sinh"}).content.decode()
    assert "1 procedure found" in page
    assert "Administrative procedures" in page
    client.cookies.clear()
    vietnamese = client.get("/thu-tuc/", {"q": "khai sinh"}).content.decode()
    assert "Tìm thấy 1 thủ tục" in vietnamese
