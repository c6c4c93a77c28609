"""Identity numbers by type (dossiers.identity): generated valid numbers pass, each single
corruption fails with the message that names it; tax codes on real published codes."""

from datetime import date

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from motcua.dossiers.identity import (
    PROVINCE_CODES,
    IdentityError,
    IdentityType,
    birth_year,
    tax_check_digit,
    validate,
)

TODAY = date(2026, 12, 5)
KNOWN = sorted(PROVINCE_CODES)
UNKNOWN = sorted({f"{n:03d}" for n in range(1000)} - set(PROVINCE_CODES))
# (century digit, two-digit year) of a birth year between 130 years ago and today (no number
# encodes a year before 1900).
BIRTHS = st.integers(max(1900, TODAY.year - 130), TODAY.year).flatmap(
    lambda year: st.tuples(
        st.sampled_from([(year - 1900) // 100 * 2, (year - 1900) // 100 * 2 + 1]),
        st.just(year % 100),
    )
)
SERIALS = st.integers(1, 999_999).map(lambda n: f"{n:06d}")


@pytest.fixture(autouse=True)
def _messages_in_english():
    """The rules' messages are checked in their source language (English); the pages show
    them in Vietnamese (motcua/tests/test_translations.py)."""
    with translation.override("en"):
        yield


def personal_id(province: str, birth: tuple[int, int], serial: str) -> str:
    return f"{province}{birth[0]}{birth[1]:02d}{serial}"


def refusal(kind: str, number: str) -> IdentityError:
    with pytest.raises(IdentityError) as caught:
        validate(kind, number, today=TODAY)
    return caught.value


@given(st.sampled_from(KNOWN), BIRTHS, SERIALS)
def test_generated_personal_ids_pass(province, birth, serial):
    number = personal_id(province, birth, serial)
    assert validate(IdentityType.PERSONAL_ID, f" {number[:6]} {number[6:]} ", today=TODAY) == (
        number
    )


@given(st.sampled_from(UNKNOWN), BIRTHS, SERIALS)
def test_unknown_province_is_named(province, birth, serial):
    error = refusal(IdentityType.PERSONAL_ID, personal_id(province, birth, serial))
    assert error.code == "personal_id_province"
    assert f"first three digits {province} are not a province code" in error.message


@given(st.sampled_from(KNOWN), st.integers(TODAY.year + 1, 2399), SERIALS)
def test_future_birth_year_is_named(province, year, serial):
    birth = ((year - 1900) // 100 * 2, year % 100)
    error = refusal(IdentityType.PERSONAL_ID, personal_id(province, birth, serial))
    assert error.code == "personal_id_future"
    assert f"birth year {year} is in the future" in error.message


@given(st.sampled_from(KNOWN), st.integers(1900, 2099 - 131), SERIALS)
def test_birth_year_over_130_years_ago_is_refused(province, year, serial):
    # Not possible before 2031 (no number encodes a year before 1900): judged in 2099.
    birth = ((year - 1900) // 100 * 2 + 1, year % 100)
    with pytest.raises(IdentityError) as caught:
        validate(
            IdentityType.PERSONAL_ID, personal_id(province, birth, serial), today=date(2099, 1, 1)
        )
    error = caught.value
    assert error.code == "personal_id_too_old"
    assert str(year) in error.message


@given(st.sampled_from(KNOWN), BIRTHS)
def test_zero_serial_is_refused(province, birth):
    error = refusal(IdentityType.PERSONAL_ID, personal_id(province, birth, "000000"))
    assert error.code == "personal_id_serial"


@given(st.sampled_from(KNOWN), BIRTHS, SERIALS, st.integers(0, 11), st.sampled_from("A-x/"))
def test_a_non_digit_anywhere_is_refused(province, birth, serial, at, char):
    number = personal_id(province, birth, serial)
    error = refusal(IdentityType.PERSONAL_ID, number[:at] + char + number[at + 1 :])
    assert error.code == "personal_id_format"


@pytest.mark.parametrize(
    ("number", "code", "words"),
    [
        ("000000000000", "personal_id_province", "first three digits 000"),
        ("999095001234", "personal_id_province", "first three digits 999"),
        ("042295001234", "personal_id_future", "birth year 2095 is in the future"),
        ("04209000123", "personal_id_format", "exactly 12 digits"),
        ("0420900012345", "personal_id_format", "exactly 12 digits"),
    ],
)
def test_counter_examples_of_the_issue(number, code, words):
    error = refusal(IdentityType.PERSONAL_ID, number)
    assert (error.code, words in error.message) == (code, True)


def test_examples_that_pass():
    assert validate(IdentityType.PERSONAL_ID, "042090001234", today=TODAY) == "042090001234"
    assert validate(IdentityType.PERSONAL_ID, "001326000001", today=TODAY) == "001326000001"
    assert birth_year("001326000001") == 2026
    assert birth_year("001126000001") == 1926


def test_there_are_63_province_codes_from_001_to_096():
    assert len(PROVINCE_CODES) == 63
    assert (min(PROVINCE_CODES), max(PROVINCE_CODES)) == ("001", "096")
    assert PROVINCE_CODES["042"] == "Hà Tĩnh"


# Tax codes published by the enterprises themselves.
PUBLISHED_TAX_CODES = ["0100109106", "0100112437", "0300588569", "0101248141"]


@pytest.mark.parametrize("code", PUBLISHED_TAX_CODES)
def test_published_tax_codes_pass(code):
    assert validate(IdentityType.TAX_CODE, code, today=TODAY) == code
    assert validate(IdentityType.TAX_CODE, f"{code}001", today=TODAY) == f"{code}-001"
    assert validate(IdentityType.TAX_CODE, f"{code}-012", today=TODAY) == f"{code}-012"


@given(st.integers(0, 999_999_999).map(lambda n: f"{n:09d}"))
def test_generated_tax_codes_pass_and_any_other_check_digit_fails(first_nine):
    check = tax_check_digit(first_nine)
    for digit in range(10):
        number = f"{first_nine}{digit}"
        if digit == check:
            assert validate(IdentityType.TAX_CODE, number, today=TODAY) == number
        else:
            assert refusal(IdentityType.TAX_CODE, number).code == "tax_code_check_digit"


@given(st.sampled_from(PUBLISHED_TAX_CODES), st.integers(0, 8), st.integers(1, 9))
def test_a_single_mistyped_digit_of_a_real_code_is_caught(code, at, shift):
    # The weights are distinct and prime to 11, so changing one of the first nine digits
    # always changes the expected check digit.
    digit = (int(code[at]) + shift) % 10
    error = refusal(IdentityType.TAX_CODE, code[:at] + str(digit) + code[at + 1 :])
    assert error.code == "tax_code_check_digit"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("0100109106-000", "tax_code_branch"),
        ("010010910", "tax_code_format"),
        ("0100109106-", "tax_code_format"),
        ("0100109106-01", "tax_code_format"),
        ("01001091O6", "tax_code_format"),
    ],
)
def test_malformed_tax_codes(number, code):
    assert refusal(IdentityType.TAX_CODE, number).code == code


@pytest.mark.parametrize(
    ("kind", "number", "expected"),
    [
        (IdentityType.PASSPORT, " c1234567 ", "C1234567"),
        (IdentityType.PASSPORT, "N12345", "N12345"),
        (IdentityType.OLD_ID_CARD, "183 456 789", "183456789"),
        (IdentityType.NONE, "  ", ""),
    ],
)
def test_other_types_normalise(kind, number, expected):
    assert validate(kind, number, today=TODAY) == expected


@pytest.mark.parametrize(
    ("kind", "number", "code"),
    [
        (IdentityType.PASSPORT, "C12", "passport_format"),
        (IdentityType.PASSPORT, "C1234567890", "passport_format"),
        (IdentityType.PASSPORT, "C-123456", "passport_format"),
        (IdentityType.OLD_ID_CARD, "18345678", "old_id_card_format"),
        (IdentityType.OLD_ID_CARD, "042090001234", "old_id_card_format"),
        (IdentityType.NONE, "123", "unexpected_number"),
        ("martian", "123", "unknown_identity_type"),
    ],
)
def test_other_types_refuse(kind, number, code):
    assert refusal(kind, number).code == code
