"""The pure parts of the tracking rule (motcua.dossiers.tracking): masking, digits, input."""

import pytest

from motcua.dossiers.tracking import (
    TrackingError,
    clean_secret,
    last_digits,
    mask_name,
    normalise_code,
)


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("Nguyễn Văn An", "Nguyễn V** A*"),
        ("Lê Thị Hồng Nhung", "Lê T** H*** N****"),
        ("  Trần   Bình ", "Trần B***"),
        ("An", "A*"),  # one word: only the initial
        ("Công ty TNHH Minh Phát", "Công t* T*** M*** P***"),
        ("Nguye\u0302\u0303n Văn An", "Nguyễn V** A*"),  # decomposed accents count once
        ("", ""),
    ],
)
def test_mask_name(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("value", "digits"),
    [
        ("0912345678", "5678"),
        ("+84 912 345 678", "5678"),
        ("0101234567-001", "7001"),  # a branch tax code: its last four digits
        ("B1234567", "4567"),  # passport
        ("AB123", ""),  # fewer than four digits: nothing can match
        ("", ""),
        ("٠١٢٣٤٥", ""),  # only ASCII digits count
    ],
)
def test_last_digits(value, digits):
    assert last_digits(value) == digits


@pytest.mark.parametrize(
    ("raw", "clean"), [(None, None), ("", None), ("  ", None), (" 0042 ", "0042")]
)
def test_clean_secret(raw, clean):
    assert clean_secret(raw) == clean


@pytest.mark.parametrize("raw", ["123", "12345", "12a4", "١٢٣٤"])
def test_clean_secret_refuses_anything_but_four_digits(raw):
    with pytest.raises(TrackingError) as refused:
        clean_secret(raw)
    assert (refused.value.code, refused.value.status) == ("invalid_secret", 422)


def test_codes_are_read_in_capitals_without_spaces():
    assert normalise_code(" h42.50.01 - 260309-0001\n") == "H42.50.01-260309-0001"
