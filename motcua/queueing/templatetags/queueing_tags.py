from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def minutes(value: float | None) -> str:
    if value is None:
        return "—"
    return _("%(minutes)s min") % {"minutes": number_format(value, 1)}


@register.filter
def sum_counts(rows) -> int:
    return sum(row["count"] for row in rows)


@register.filter
def bar_width(part: int, whole: int) -> int:
    """A bar's width in tenths (CSS classes bar-0 … bar-10: no inline style under the CSP)."""
    return round(10 * part / whole) if whole else 0
