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


def describe_time_limit(value, unit: str) -> str:
    """ "5 working days" / "1 working day" / "5 ngày làm việc", in the active language."""
    from decimal import Decimal

    from django.utils.translation import ngettext

    from .models import TimeUnit

    number = Decimal(str(value))
    shown = f"{number.normalize():f}"
    count = int(number) if number == number.to_integral_value() else 2
    phrases = {
        TimeUnit.WORKING_DAYS: ngettext("%(n)s working day", "%(n)s working days", count),
        TimeUnit.CALENDAR_DAYS: ngettext("%(n)s day", "%(n)s days", count),
        TimeUnit.HOURS: ngettext("%(n)s working hour", "%(n)s working hours", count),
        TimeUnit.MONTHS: ngettext("%(n)s month", "%(n)s months", count),
    }
    phrase = phrases.get(unit)
    if phrase is None:
        return shown
    if "," in str(_decimal_separator()):
        shown = shown.replace(".", ",")
    return phrase % {"n": shown}


def _decimal_separator() -> str:
    from django.utils.formats import get_format

    return get_format("DECIMAL_SEPARATOR")
