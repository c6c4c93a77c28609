"""The GET form of the quality pages: a period (month, quarter, year, or two dates, day
first) cut at today, and optionally one agency among those the staff member covers. An
agency outside them is a 404 for the view to raise (no existence leak), not a form error."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from .period_forms import PeriodForm, period_choices, period_defaults


class QualityForm(PeriodForm):
    period = forms.ChoiceField(
        label=_("Period"), choices=period_choices("month", "quarter", "year", "dates")
    )
    agency = forms.IntegerField(label=_("Agency"), min_value=1, required=False)

    max_days = 366
    too_long = _("Choose a period of at most one year.")

    def __init__(self, data, *, today: date, default_period: str = "quarter"):
        super().__init__(data, today=today, defaults=period_defaults(today, default_period))
