"""The period part of the GET forms of the statistics and quality pages: a preset of the
year (month, quarter, ...) or two dates, day first, cut at today. Parsing only; what a
period contains is motcua.reports'."""

from datetime import date

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.reports.scope import Period, month_end, quarter

FIRST_YEAR = 2000
PERIOD_FIELDS = ["period", "year", "month", "quarter", "date_from", "date_to"]
MONTHS = [(n, str(n)) for n in range(1, 13)]
QUARTERS = [(n, str(n)) for n in range(1, 5)]
# Every preset a page may offer; each page's `period` field lists its own.
PRESETS = {
    "month": _("Month"),
    "quarter": _("Quarter"),
    "half": _("First 6 months"),
    "nine": _("First 9 months"),
    "year": _("Year"),
    "dates": _("From – to"),
}


def period_choices(*kinds: str) -> list[tuple[str, Promise]]:
    return [(kind, PRESETS[kind]) for kind in kinds]


def preset_period(kind: str, year: int, month: int, number: int) -> Period:
    if kind == "month":
        first = date(year, month, 1)
        return Period(first, month_end(first))
    if kind == "quarter":
        return quarter(year, number)
    last_month = {"half": 6, "nine": 9, "year": 12}[kind]
    return Period(date(year, 1, 1), month_end(date(year, last_month, 1)))


def period_defaults(today: date, period: str) -> dict[str, str]:
    """A page without parameters: `period` (a preset) of today's year, month or quarter."""
    return {
        "period": period,
        "year": str(today.year),
        "month": str(today.month),
        "quarter": str((today.month - 1) // 3 + 1),
    }


class PeriodForm(forms.Form):
    """A subclass declares `period` again with its `period_choices` and sets `max_days`,
    the most days a period of two dates may hold (both ends counted), with `too_long`, the
    message that says so. `today` cuts the period: figures of days to come would count
    every open dossier as overdue."""

    max_days: int
    too_long: Promise

    period = forms.ChoiceField(label=_("Period"), choices=())  # first; choices per page
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=2199)
    month = forms.TypedChoiceField(label=_("Month"), choices=MONTHS, coerce=int)
    quarter = forms.TypedChoiceField(label=_("Quarter"), choices=QUARTERS, coerce=int)
    date_from = forms.DateField(label=_("From (dd/mm/yyyy)"), required=False)
    date_to = forms.DateField(label=_("To (dd/mm/yyyy)"), required=False)

    def __init__(self, data, *, today: date, defaults: dict[str, str]):
        given = data.dict() if hasattr(data, "dict") else dict(data)
        super().__init__({**defaults, **given})
        self.today = today

    def clean(self):
        data = super().clean()
        self.check_scope(data)
        if data.get("period") == "dates":
            self._check_dates(data)
        if not self.errors and self.full_period().first > self.today:
            raise forms.ValidationError(_("This period has not started yet."), code="future")
        return data

    def check_scope(self, data: dict) -> None:
        """The subclass's own checks, before the period's."""

    def _check_dates(self, data: dict) -> None:
        start, end = data.get("date_from"), data.get("date_to")
        for name, value in (("date_from", start), ("date_to", end)):
            if value is None and name not in self.errors:
                self.add_error(name, _("Enter a date as dd/mm/yyyy."))
            elif value is not None and value.year < FIRST_YEAR:
                self.add_error(name, _("Choose a date from the year 2000 on."))
                return
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        elif start and end and (end - start).days + 1 > self.max_days:
            self.add_error("date_to", self.too_long)

    def full_period(self) -> Period:
        data = self.cleaned_data
        if data["period"] == "dates":
            return Period(data["date_from"], data["date_to"])
        return preset_period(data["period"], data["year"], data["month"], data["quarter"])

    def chosen_period(self) -> Period:
        """The chosen period, up to today."""
        full = self.full_period()
        return Period(full.first, max(full.first, min(full.last, self.today)))

    def is_cut(self) -> bool:
        return self.chosen_period().last < self.full_period().last

    def period_fields(self) -> list:
        return [self[name] for name in PERIOD_FIELDS]
