"""The public tracking page /tra-cuu/ (Circular 01/2018 art. 16): code-only view, details
with the applicant's digits, masking, timeline, no enumeration, rate limits, languages."""

import re
from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from motcua.throttle.models import AttemptCounter

from .tracking_samples import (
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
    returned,
)

URL = reverse("tracking:track")
PERSONAL = ["Nguyễn Văn An", "042090001234", "0912345678", "0912 345 678"]

pytestmark = pytest.mark.usefixtures("_quiet_pruning")


@pytest.fixture
def _quiet_pruning(settings):
    settings.MOTCUA_THROTTLE_PRUNE_EVERY = 0


@pytest.fixture
def dossier(birth_registration, commune_agency, clerk):
    with time_machine.travel(MONDAY_9AM, tick=False):
        return receive(birth_registration, commune_agency, clerk)


def text(response) -> str:
    return response.content.decode()


def counters() -> dict[str, int]:
    return dict(AttemptCounter.objects.values_list("key", "count"))


def test_empty_form_in_vietnamese(client, db):
    response = client.get(URL)

    assert response.status_code == 200
    assert "<h1>Tra cứu hồ sơ</h1>" in text(response)
    assert 'name="ma"' in text(response) and 'name="secret"' in text(response)
    assert "tracking-result" not in text(response)
    assert counters() == {}


def test_the_qr_link_shows_status_and_progress_without_details(client, dossier):
    response = client.get(URL, {"ma": dossier.code.lower()}, REMOTE_ADDR="203.0.113.5")

    page = text(response)
    assert response.status_code == 200
    assert f'value="{dossier.code.lower()}"' in page  # the form keeps what was typed
    assert dossier.code in page
    assert "Đăng ký khai sinh" in page
    assert "Được tiếp nhận" in page  # national status 2
    assert "Đã hoàn thành 0/3 bước" in page
    assert "09:00 09/03/2026" in page  # received
    assert "tracking-details" not in page
    assert MASKED_NAME not in page
    assert not [value for value in PERSONAL if value in page]
    assert counters() == {"tracking:ip:203.0.113.5": 1}


@pytest.mark.parametrize("digits", [PHONE_DIGITS, ID_DIGITS])
def test_the_last_four_digits_show_the_details_masked(client, dossier, clerk, digits):
    with time_machine.travel(MONDAY_9AM + timedelta(minutes=30), tick=False):
        handed_over(dossier, clerk)

    response = client.post(URL, {"ma": dossier.code, "secret": digits})

    page = text(response)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "Đang xử lý" in page
    assert "Đã hoàn thành 1/3 bước" in page
    assert MASKED_NAME in page
    assert "Thẩm định" in page  # current step
    assert "UBND phường Thành Sen" in page  # handled by
    assert "17:00 10/03/2026" in page  # appointment
    assert not [value for value in PERSONAL if value in page]
    # A right secret is not counted as a failed try.
    assert counters()[f"tracking:wrong:127.0.0.1 {dossier.code}"] == 0
    assert counters()["tracking:wrong:127.0.0.1"] == 0


def test_a_secret_in_the_address_is_ignored(client, dossier):
    response = client.get(URL, {"ma": dossier.code, "secret": PHONE_DIGITS})

    assert response.status_code == 200
    assert MASKED_NAME not in text(response)
    assert list(counters()) == ["tracking:ip:127.0.0.1"]


def test_timeline_lists_public_milestones_without_staff_or_notes(
    client, dossier, clerk, commune_agency
):
    specialist, leader = commune_staff(commune_agency)
    with time_machine.travel(MONDAY_9AM + timedelta(minutes=30), tick=False):
        handed_over(dossier, clerk)
    with time_machine.travel(MONDAY_9AM + timedelta(hours=2), tick=False):
        rescheduled(dossier, clerk, datetime(2026, 3, 11, 17, 0, tzinfo=VN))
    with time_machine.travel(MONDAY_9AM + timedelta(hours=5), tick=False):
        resolved(dossier, clerk, specialist, leader)

    response = client.post(URL, {"ma": dossier.code, "secret": PHONE_DIGITS})

    page = text(response)
    labels = re.findall(r'<li class="milestone milestone-(\w+)">', page)
    assert labels == ["received", "handed_over", "apology", "resolved"]
    assert "Đã xử lý xong" in page  # status 9
    assert "Đã hoàn thành 3/3 bước" in page
    assert "Kết quả đã sẵn sàng để nhận" in page
    assert "11:00 09/03/2026" in page  # the apology milestone
    assert "17:00 11/03/2026" in page  # the new appointment
    assert "17:00 10/03/2026" in page  # the previous one
    for hidden in ["clerk", "commune_specialist", "commune_leader", "Chờ xác minh"]:
        assert hidden not in page


def test_returned_dossier_is_closed(client, dossier, clerk, commune_agency):
    specialist, leader = commune_staff(commune_agency)
    with time_machine.travel(MONDAY_9AM + timedelta(minutes=30), tick=False):
        handed_over(dossier, clerk)
        resolved(dossier, clerk, specialist, leader)
        returned(dossier, clerk)

    page = text(client.post(URL, {"ma": dossier.code, "secret": ID_DIGITS}))

    assert re.findall(r'<li class="milestone milestone-(\w+)">', page)[-1] == "returned"
    assert "Đã trả kết quả" in page
    assert "Kết quả đã sẵn sàng để nhận" not in page
    assert "Ngày hẹn trả" not in page


def _without_tokens(page: str, code: str) -> str:
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    return page.replace(f'value="{code}"', 'value="<code>"')


def test_wrong_code_and_wrong_digits_give_the_same_answer(client, dossier):
    unknown = "H42.50.01-260309-0999"
    wrong_code = client.post(URL, {"ma": unknown, "secret": PHONE_DIGITS})
    wrong_digits = client.post(URL, {"ma": dossier.code, "secret": WRONG_DIGITS})

    assert wrong_code.status_code == wrong_digits.status_code == 404
    assert _without_tokens(text(wrong_code), unknown) == _without_tokens(
        text(wrong_digits), dossier.code
    )
    assert "Không có hồ sơ nào khớp với mã và các chữ số này" in text(wrong_digits)
    assert MASKED_NAME not in text(wrong_digits)
    assert f'value="{WRONG_DIGITS}"' not in text(wrong_digits)  # digits are never echoed


def test_unknown_code_alone(client, db):
    response = client.get(URL, {"ma": "H42.50.01-260309-0999"})

    assert response.status_code == 404
    assert "Không có hồ sơ nào với mã này" in text(response)


def test_a_malformed_secret_is_a_form_error_and_is_not_counted(client, dossier):
    response = client.post(URL, {"ma": dossier.code, "secret": "12a4"})

    assert response.status_code == 200
    assert "Nhập 4 chữ số cuối" in text(response)
    assert "tracking-result" not in text(response)
    assert counters() == {}


def test_lookups_per_address_are_limited(client, dossier, settings):
    settings.MOTCUA_TRACKING_IP_LIMIT = 3
    settings.MOTCUA_TRACKING_IP_WINDOW = 600
    with time_machine.travel(MONDAY_9AM, tick=False):
        statuses = [client.get(URL, {"ma": dossier.code}).status_code for _ in range(3)]
        blocked = client.get(URL, {"ma": dossier.code})
        elsewhere = client.get(URL, {"ma": dossier.code}, REMOTE_ADDR="198.51.100.20")

    assert statuses == [200, 200, 200]
    assert blocked.status_code == 429
    assert blocked["Retry-After"] == "600"
    assert "Vui lòng chờ một chút" in text(blocked)
    assert "Tra cứu quá nhiều lần. Vui lòng thử lại sau 10 phút." in text(blocked)
    assert "tracking-result" not in text(blocked)
    assert elsewhere.status_code == 200
    assert counters() == {"tracking:ip:127.0.0.1": 4, "tracking:ip:198.51.100.20": 1}


def test_wrong_digits_from_other_addresses_never_hide_the_details_from_the_owner(
    client, dossier, settings
):
    settings.MOTCUA_TRACKING_SECRET_LIMIT = 2
    with time_machine.travel(MONDAY_9AM, tick=False):
        wrong = {"ma": dossier.code, "secret": WRONG_DIGITS}
        tries = [client.post(URL, wrong, REMOTE_ADDR=f"10.0.0.{n // 3}") for n in range(9)]
        owner = client.post(URL, {"ma": dossier.code, "secret": PHONE_DIGITS})

    # Each address is refused after its own two wrong tries...
    assert [r.status_code for r in tries] == [404, 404, 429] * 3
    assert "tracking-result" not in text(tries[2])
    # ... and the owner, elsewhere, sees the details all the same.
    assert owner.status_code == 200 and MASKED_NAME in text(owner)
    assert counters()[f"tracking:wrong:10.0.0.0 {dossier.code}"] == 2  # the refusal given back
    assert counters()[f"tracking:wrong:127.0.0.1 {dossier.code}"] == 0


def test_an_address_out_of_wrong_tries_is_refused_even_the_right_digits(
    client, dossier, settings, birth_registration, commune_agency, clerk
):
    settings.MOTCUA_TRACKING_SECRET_LIMIT = 2
    with time_machine.travel(MONDAY_9AM, tick=False):
        other = receive(birth_registration, commune_agency, clerk)
        tries = [client.post(URL, {"ma": dossier.code, "secret": WRONG_DIGITS}) for _ in range(2)]
        right_but_refused = client.post(URL, {"ma": dossier.code, "secret": PHONE_DIGITS})
        code_only = client.get(URL, {"ma": dossier.code})
        other_code = client.post(URL, {"ma": other.code, "secret": PHONE_DIGITS})
        other_address = client.post(
            URL, {"ma": dossier.code, "secret": PHONE_DIGITS}, REMOTE_ADDR="198.51.100.20"
        )

    assert [r.status_code for r in tries] == [404, 404]
    assert right_but_refused.status_code == 429
    assert right_but_refused["Retry-After"] == "3600"
    assert MASKED_NAME not in text(right_but_refused)
    assert code_only.status_code == 200
    assert other_code.status_code == 200 and MASKED_NAME in text(other_code)
    assert other_address.status_code == 200 and MASKED_NAME in text(other_address)


def test_wrong_digits_per_address_are_limited_over_all_codes(client, db, settings):
    settings.MOTCUA_TRACKING_SECRET_ADDRESS_LIMIT = 3
    codes = [f"H42.50.01-260309-09{n:02}" for n in range(4)]
    with time_machine.travel(MONDAY_9AM, tick=False):
        tries = [client.post(URL, {"ma": code, "secret": WRONG_DIGITS}) for code in codes]
        elsewhere = client.post(
            URL, {"ma": codes[3], "secret": WRONG_DIGITS}, REMOTE_ADDR="198.51.100.20"
        )

    assert [r.status_code for r in tries] == [404, 404, 404, 429]
    assert elsewhere.status_code == 404
    assert counters()["tracking:wrong:127.0.0.1"] == 3


def test_unknown_codes_are_limited_like_known_ones(client, db, settings):
    settings.MOTCUA_TRACKING_SECRET_LIMIT = 1
    unknown = "H42.50.01-260309-0999"
    first = client.post(URL, {"ma": unknown, "secret": WRONG_DIGITS})
    second = client.post(URL, {"ma": unknown, "secret": WRONG_DIGITS})

    assert (first.status_code, second.status_code) == (404, 429)


def test_right_digits_do_not_use_up_the_limit(client, dossier, settings):
    settings.MOTCUA_TRACKING_SECRET_LIMIT = 2
    statuses = [
        client.post(URL, {"ma": dossier.code, "secret": PHONE_DIGITS}).status_code for _ in range(5)
    ]
    assert statuses == [200] * 5


def test_forwarded_address_counts_only_behind_a_trusted_proxy(client, dossier, settings):
    settings.MOTCUA_TRUSTED_PROXY_COUNT = 1
    forwarded = "6.6.6.6, 203.0.113.7"  # a forged entry, then the one our proxy added
    client.get(URL, {"ma": dossier.code}, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    assert counters() == {"tracking:ip:203.0.113.7": 1}


def test_english_after_the_language_switch(client, dossier):
    client.post(reverse("set_language"), {"language": "en", "next": URL})

    page = text(client.get(URL, {"ma": dossier.code}))

    assert "<h1>Track a dossier</h1>" in page
    assert "Received" in page
    assert "0 of 3 steps done" in page


def test_code_only_lookup_query_count(client, dossier, django_assert_num_queries):
    # Counter upsert; the dossier (procedure, version, agencies joined), its steps, its
    # milestones.
    with django_assert_num_queries(4):
        client.get(URL, {"ma": dossier.code})
