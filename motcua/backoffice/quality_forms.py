"""The GET form of the quality pages: a period (month, quarter, year, or two dates, day
first) cut at today, and optionally one agency among those the staff member covers. An
agency outside them is a 404 for the view to raise (no existence leak), not a form error."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.reports.scope import Period, month_end, quarter

MAX_DAYS = 366
FIRST_YEAR = 2000
PERIODS = [
    ("month", _("Month")),
    ("quarter", _("Quarter")),
    ("year", _("Year")),
    ("dates", _("From – to")),
]


def defaults(today: date, period: str) -> dict[str, str]:
    return {
        "period": period,
        "year": str(today.year),
        "month": str(today.month),
        "quarter": str((today.month - 1) // 3 + 1),
    }


class QualityForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=PERIODS)
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=2199)
    month = forms.TypedChoiceField(
        label=_("Month"), choices=[(n, n) for n in range(1, 13)], coerce=int
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), choices=[(n, n) for n in range(1, 5)], coerce=int
    )
    date_from = forms.DateField(label=_("From (dd/mm/yyyy)"), required=False)
    date_to = forms.DateField(label=_("To (dd/mm/yyyy)"), required=False)
    agency = forms.IntegerField(label=_("Agency"), min_value=1, required=False)

    def __init__(self, data, *, today: date, default_period: str = "quarter"):
        given = data.dict() if hasattr(data, "dict") else dict(data)
        super().__init__({**defaults(today, default_period), **given})
        self.today = today

    def clean(self):
        data = super().clean()
        if data.get("period") == "dates":
            self._check_dates(data)
        if not self.errors and self.full_period().first > self.today:
            raise forms.ValidationError(_("This period has not started yet."), code="future")
        return data

    def _check_dates(self, data) -> None:
        start, end = data.get("date_from"), data.get("date_to")
        for name, value in (("date_from", start), ("date_to", end)):
            if value is None and name not in self.errors:
                self.add_error(name, _("Enter a date as dd/mm/yyyy."))
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        elif start and end and (end - start).days >= MAX_DAYS:
            self.add_error("date_to", _("Choose a period of at most one year."))

    def full_period(self) -> Period:
        data = self.cleaned_data
        kind = data["period"]
        if kind == "dates":
            return Period(data["date_from"], data["date_to"])
        if kind == "month":
            first = date(data["year"], data["month"], 1)
            return Period(first, month_end(first))
        if kind == "quarter":
            return quarter(data["year"], data["quarter"])
        return Period(date(data["year"], 1, 1), date(data["year"], 12, 31))

    def chosen_period(self) -> Period:
        """Up to today: days to come would count every open dossier as overdue."""
        full = self.full_period()
        return Period(full.first, min(full.last, self.today))

    def is_cut(self) -> bool:
        return self.chosen_period().last < self.full_period().last

    def period_fields(self) -> list:
        return [
            self[name] for name in ("period", "year", "month", "quarter", "date_from", "date_to")
        ]
