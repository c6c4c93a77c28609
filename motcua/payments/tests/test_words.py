"""Amounts in Vietnamese words: the known cases, and a reader that turns the words back into
the number for every amount hypothesis tries."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.payments.words import amount_figures, amount_words, number_words

KNOWN = {
    0: "Không đồng",
    5: "Năm đồng",
    10: "Mười đồng",
    11: "Mười một đồng",
    14: "Mười bốn đồng",
    15: "Mười lăm đồng",
    20: "Hai mươi đồng",
    21: "Hai mươi mốt đồng",
    24: "Hai mươi tư đồng",
    25: "Hai mươi lăm đồng",
    101: "Một trăm linh một đồng",
    104: "Một trăm linh bốn đồng",
    105: "Một trăm linh năm đồng",
    110: "Một trăm mười đồng",
    115: "Một trăm mười lăm đồng",
    1_005: "Một nghìn không trăm linh năm đồng",
    10_000: "Mười nghìn đồng",
    15_000: "Mười lăm nghìn đồng",
    200_000: "Hai trăm nghìn đồng",
    1_250_000: "Một triệu hai trăm năm mươi nghìn đồng",
    1_005_000: "Một triệu không trăm linh năm nghìn đồng",
    1_050_000: "Một triệu không trăm năm mươi nghìn đồng",
    1_000_005: "Một triệu không trăm linh năm đồng",
    21_000_000: "Hai mươi mốt triệu đồng",
    2_000_000_000: "Hai tỷ đồng",
    1_000_000_001: "Một tỷ không trăm linh một đồng",
    3_500_000_000: "Ba tỷ năm trăm triệu đồng",
    1_000_000_000_000: "Một nghìn tỷ đồng",
}


@pytest.mark.parametrize(("amount", "words"), KNOWN.items())
def test_known_amounts(amount, words):
    assert amount_words(amount) == words


def test_the_southern_and_four_policies():
    assert number_words(105, zero_ten="lẻ") == "một trăm lẻ năm"
    assert number_words(24, four="bốn") == "hai mươi bốn"


def test_figures_use_the_vietnamese_separator():
    assert amount_figures(1_250_000) == "1.250.000"


DIGIT = {"không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5}
DIGIT |= {"lăm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9}
SCALE = {"nghìn": 1_000, "triệu": 1_000_000}


def _read_below_billion(words: list[str]) -> int:
    total, group, digit = 0, 0, 0
    for word in words:
        if word in DIGIT:
            digit = DIGIT[word]
        elif word == "trăm":
            group, digit = group + digit * 100, 0
        elif word == "mươi":
            group, digit = group + digit * 10, 0
        elif word == "mười":
            group, digit = group + 10, 0
        elif word == "linh":
            digit = 0
        elif word in SCALE:
            total, group, digit = total + (group + digit) * SCALE[word], 0, 0
        else:
            raise AssertionError(f"unknown word {word!r}")
    return total + group + digit


def read_words(text: str) -> int:
    """The number written in `text` (the reader the property test checks against)."""
    words = text.split()
    if "tỷ" not in words:
        return _read_below_billion(words)
    last = len(words) - 1 - words[::-1].index("tỷ")
    return read_words(" ".join(words[:last])) * 10**9 + _read_below_billion(words[last + 1 :])


@given(st.integers(min_value=0, max_value=10**15))
def test_the_words_say_the_number(amount):
    text = number_words(amount)
    assert read_words(text) == amount
    assert "  " not in text and text == text.strip()
    words = text.split()
    for before, after in zip(words, words[1:], strict=False):
        assert not (before == "mươi" and after in ("một", "năm")), text  # mốt, lăm
        assert not (before == "mười" and after in ("năm", "mốt")), text  # lăm, một
        assert not (before == "linh" and after in ("lăm", "mốt", "tư")), text


@given(st.integers(min_value=1, max_value=10**15))
def test_the_receipt_form_is_capitalised_and_ends_in_dong(amount):
    text = amount_words(amount)
    assert text[0].isupper() and text.endswith(" đồng")
