"""Vietnamese text folding for search: "Đăng ký khai sinh" -> "dang ky khai sinh"."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^0-9a-z.\s]")


def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ -> d), keep letters, digits and dots, squeeze spaces."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return _SPACES.sub(" ", _NON_WORD.sub(" ", stripped)).strip()


def search_terms(query: str) -> list[str]:
    return [term for term in fold(query).split(" ") if term]
