from datetime import UTC, date, datetime

import pytest

from motcua.documents import dates
from motcua.documents.tests.conftest import VN


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # Decree 30/2020: a zero before days below 10 and before months 1 and 2 only.
        (date(2026, 3, 9), "ngày 09 tháng 3 năm 2026"),
        (date(2026, 1, 5), "ngày 05 tháng 01 năm 2026"),
        (date(2026, 2, 28), "ngày 28 tháng 02 năm 2026"),
        (date(2026, 12, 31), "ngày 31 tháng 12 năm 2026"),
        (None, ""),
    ],
)
def test_long_date_follows_the_administrative_style(day, expected):
    assert dates.long_date(day) == expected


def test_moments_are_written_in_vietnamese_local_time():
    moment = datetime(2026, 3, 9, 1, 30, tzinfo=UTC)  # 08:30 in Hà Nội
    assert dates.long_moment(moment) == "08 giờ 30 phút, ngày 09 tháng 3 năm 2026"
    assert dates.short_moment(moment) == "08:30 09/03/2026"
    assert dates.short_date(moment) == "09/03/2026"
    assert dates.local_naive(moment) == datetime(2026, 3, 9, 8, 30)


def test_a_utc_evening_is_the_next_local_day():
    moment = datetime(2026, 3, 9, 18, 0, tzinfo=UTC)
    assert dates.short_date(moment) == "10/03/2026"
    assert dates.long_date(moment) == "ngày 10 tháng 3 năm 2026"
    assert dates.long_moment(datetime(2026, 3, 10, 1, 0, tzinfo=VN)).startswith("01 giờ 00 phút")


def test_missing_moments_print_nothing():
    assert dates.long_moment(None) == dates.short_moment(None) == dates.short_date(None) == ""
    assert dates.local_naive(None) is None
