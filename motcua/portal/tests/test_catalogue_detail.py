"""The procedure page (/thu-tuc/<code>/): what a citizen needs before coming to the counter
(Decree 63/2010 art. 8.2), old versions, printing and the language switch."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from motcua.catalogue.models import Procedure, ProcedureVersion
from motcua.portal.catalogue_display import time_limits_by_channel
from motcua.portal.templatetags.catalogue_format import labels, plain_number, vnd

from .catalogue_samples import publish_second_version


def detail_url(code: str) -> str:
    return reverse("catalogue:detail", args=[code])


def text_of(response) -> str:
    """The page as text with tags removed and spaces squeezed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_page_shows_name_code_time_limit_components_fees_and_steps(client, birth_registration):
    response = client.get(detail_url("1.001193"))
    text = text_of(response)

    assert response.status_code == 200
    assert "<h1>Đăng ký khai sinh</h1>" in response.content.decode()
    assert "1.001193" in text
    assert "Hộ tịch" in text
    assert "1 Ngày làm việc" in text
    assert "Ủy ban nhân dân cấp xã" in text
    assert "Tờ khai đăng ký khai sinh" in text and "Giấy chứng sinh" in text
    assert "Lệ phí đăng ký khai sinh" in text
    assert "Tiếp nhận" in text and "Thẩm định" in text and "Ký duyệt" in text
    assert "data-print" in response.content.decode()


def test_page_shows_cases_fees_in_dong_legal_basis_and_channel_time_limits(client, record_check):
    response = client.get(detail_url("2.000488"))
    text = text_of(response)

    assert "Trường hợp nộp trực tiếp" in text and "Trường hợp ủy quyền" in text
    assert "Mau_03-2013-TT-LLTP.docx" in text
    assert "200.000\u00a0đ" in response.content.decode()
    assert "Bằng 50% mức thu chung" in text
    assert "Luật Lý lịch tư pháp (28/2009/QH12)" in text
    assert "Người yêu cầu từ đủ 14 tuổi trở lên." in text
    assert "Bước 1: Nộp hồ sơ tại Sở Tư pháp." in text
    assert "10 Ngày làm việc" in text
    assert re.search(r"Trực tuyến: 7 ngày làm việc", text)
    assert "Sở Tư pháp" in text
    assert "Không phụ thuộc địa giới hành chính" in text


def test_components_are_grouped_by_case_in_order(client, record_check):
    page = client.get(detail_url("2.000488")).content.decode()

    first, second = page.index("Trường hợp nộp trực tiếp"), page.index("Trường hợp ủy quyền")
    assert first < page.index("Bản chụp căn cước") < second < page.index("Văn bản ủy quyền")


def test_unknown_code_is_404(client, birth_registration):
    assert client.get(detail_url("9.999999")).status_code == 404


def test_unpublished_procedure_is_404(client, birth_registration):
    Procedure.objects.filter(code="1.001193").update(is_active=False)

    assert client.get(detail_url("1.001193")).status_code == 404


def test_old_version_is_shown_with_a_notice(client, birth_registration):
    publish_second_version(birth_registration, name="Đăng ký khai sinh (sửa đổi)")

    current_response = client.get(detail_url("1.001193"))
    current, current_page = text_of(current_response), current_response.content.decode()
    old = client.get(detail_url("1.001193"), {"version": 1})

    assert "Đăng ký khai sinh (sửa đổi)" in current and "Phiên bản 2" in current
    assert old.status_code == 200
    assert "<h1>Đăng ký khai sinh</h1>" in old.content.decode()
    assert "Bạn đang xem phiên bản 1, phiên bản này đã được thay thế." in text_of(old)
    assert "?version=1" in current_page


@pytest.mark.parametrize(("version", "status"), [("99", 404), ("abc", 200), ("0", 200)])
def test_version_parameter_out_of_range_or_not_a_number(
    client, birth_registration, version, status
):
    assert client.get(detail_url("1.001193"), {"version": version}).status_code == status


def test_detail_page_query_count_is_bounded(client, record_check, django_assert_max_num_queries):
    # procedure, version (field and deciding agency joined), components, fees, implementing
    # agencies, steps, the steps' agencies and departments (skipped when none), history.
    with django_assert_max_num_queries(9):
        assert client.get(detail_url("2.000488")).status_code == 200


def test_language_switch_renders_the_page_in_english(client, record_check):
    assert 'lang="vi"' in client.get(detail_url("2.000488")).content.decode()

    switched = client.post(
        reverse("set_language"), {"language": "en", "next": detail_url("2.000488")}
    )
    page = client.get(detail_url("2.000488")).content.decode()

    assert switched.status_code == 302
    assert 'lang="en"' in page
    assert "200,000\u00a0VND" in page


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("vi", Decimal(50000), "50.000\u00a0đ"),
        ("vi", Decimal(1500000), "1.500.000\u00a0đ"),
        ("vi", 0, "0\u00a0đ"),
        ("en", Decimal(50000), "50,000\u00a0VND"),
        ("vi", None, ""),
    ],
)
def test_amounts_in_dong(language, value, expected):
    with translation.override(language):
        assert vnd(value) == expected


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [("vi", Decimal("1.00"), "1"), ("vi", Decimal("2.50"), "2,5"), ("en", Decimal("2.50"), "2.5")],
)
def test_plain_numbers(language, value, expected):
    with translation.override(language):
        assert plain_number(value) == expected


@pytest.mark.parametrize(
    ("limits", "expected"),
    [
        ([], []),
        (
            [
                {"channel": "in_person", "value": 5, "unit": "working_days", "text": "5"},
                {"channel": "online", "value": 5, "unit": "working_days", "text": "05 ngày"},
            ],
            [],
        ),
        (
            [
                {"channel": "in_person", "text": "10 Ngày làm việc"},
                {"channel": "online", "value": "7.00", "unit": "working_days"},
                {"channel": "postal"},
                "garbage",
            ],
            [("In person", "10 Ngày làm việc"), ("Online", "7 working days")],
        ),
    ],
)
def test_time_limits_are_listed_per_channel_only_when_they_differ(limits, expected):
    version = ProcedureVersion(channel_time_limits=limits)

    with translation.override("en"):
        rows = [(row.channel, row.text) for row in time_limits_by_channel(version)]

    assert rows == expected


def test_level_labels_follow_the_order_of_government():
    with translation.override("en"):
        assert labels(" commune ministry province ", "level") == [
            "Ministry level",
            "Province level",
            "Commune level",
        ]
        assert labels(["online", "weird"], "channel") == ["Online", "weird"]


def test_several_limits_of_one_channel_are_joined():
    version = ProcedureVersion(
        channel_time_limits=[
            {"channel": "online", "value": 1, "unit": "working_days", "text": "1"},
            {"channel": "online", "value": 2, "unit": "working_days", "text": "2"},
            {"channel": "online", "value": 1, "unit": "working_days", "text": "1"},
        ]
    )

    with translation.override("en"):
        rows = [(row.channel, row.text) for row in time_limits_by_channel(version)]

    assert rows == [("Online", "1 working day; 2 working days")]


def test_time_limits_are_pluralised_and_use_the_local_decimal_separator():
    from motcua.catalogue.text import describe_time_limit

    with translation.override("en"):
        assert describe_time_limit(1, "working_days") == "1 working day"
        assert describe_time_limit(15, "calendar_days") == "15 days"
        assert describe_time_limit("0.5", "working_days") == "0.5 working days"
        assert describe_time_limit(4, "working_hours") == "4 working hours"


def test_an_uploaded_form_template_is_downloadable_and_drafts_are_not(
    client, birth_registration, settings, tmp_path
):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    component = birth_registration.current_version.components.first()
    component.form_file.save("to-khai.docx", ContentFile(b"PK form"), save=True)
    response = client.get(reverse("catalogue:form", args=[component.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"PK form"
    assert client.get(reverse("catalogue:form", args=[999999])).status_code == 404
