"""Template filters for the public catalogue: money, numbers and choice labels."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.db.models import TextChoices
from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.translation import get_language

from motcua.catalogue.models import ApplicantType, Channel, Level, OnlineLevel, TimeUnit
from motcua.catalogue.text import describe_time_limit

register = template.Library()

CHOICES: dict[str, type[TextChoices]] = {
    "level": Level,
    "channel": Channel,
    "applicant": ApplicantType,
    "online": OnlineLevel,
    "unit": TimeUnit,
}
# Vietnamese writes the dong as "đ" after the amount; other languages use the ISO code.
CURRENCY_SIGN = {"vi": "đ"}


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None


def _format(number: Decimal, decimal_pos: int | None = None) -> str:
    return numberformat.format(
        number,
        get_format("DECIMAL_SEPARATOR"),
        decimal_pos=decimal_pos,
        grouping=3,
        thousand_sep=get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )


@register.filter
def plain_number(value: Any) -> str:
    """1.00 -> "1", 2.50 -> "2,5" (in Vietnamese), 1500 -> "1.500"."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    if number == number.to_integral_value():
        return _format(number.quantize(Decimal(1)), 0)
    return _format(number.normalize())


@register.filter
def vnd(value: Any) -> str:
    """An amount of Vietnamese dong: "50.000 đ" in Vietnamese, "50,000 VND" in English."""
    number = _decimal(value)
    if number is None:
        return ""
    sign = CURRENCY_SIGN.get((get_language() or "").split("-")[0], "VND")
    return f"{_format(number.quantize(Decimal(1)), 0)}\u00a0{sign}"


def choice_label(value: str, choices: type[TextChoices]) -> str:
    """The translated label of a choice value; unknown values are shown as they are."""
    return str(choices(value).label) if value in choices.values else value


@register.filter
def labels(values: Any, kind: str) -> list[str]:
    """Labels of a list of choice values, or of a space-separated index like " commune ",
    in the order of the choices (ministry before province before commune)."""
    choices = CHOICES[kind]
    if isinstance(values, str):
        values = values.split()
    order = {value: n for n, value in enumerate(choices.values)}
    ordered = sorted((v for v in values or [] if v), key=lambda v: order.get(v, len(order)))
    return [choice_label(value, choices) for value in ordered]


@register.filter
def label(value: str, kind: str) -> str:
    return choice_label(value, CHOICES[kind]) if value else ""


@register.filter
def entry_name(entry: Any) -> str:
    """A form file, legal document or result entry: a string or a {"name": ...} dict."""
    if isinstance(entry, dict):
        return str(entry.get("name") or entry.get("file_name") or "")
    return str(entry)


@register.simple_tag
def time_limit(version) -> str:
    """The headline time limit of a version, pluralised in the active language."""
    if version.time_limit_value is None or not version.time_limit_unit:
        return ""
    return describe_time_limit(version.time_limit_value, version.time_limit_unit)
