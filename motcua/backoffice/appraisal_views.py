"""Appraised scores of the nine indicators (Circular 01/2018/TT-VPCP): the form where a
supervisor of an agency above a unit enters them for an ended period, and the rows of the
quality page that show them beside the self-scores. The rules are motcua.reports.appraisal's.
"""

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.organisations.models import Agency
from motcua.reports import appraisal, indicators
from motcua.reports.indicators import Evaluation
from motcua.reports.scope import Period, Scope

from .quality_forms import QualityForm


@dataclass
class UnitRow:
    """A unit's line of the quality page: its self-scores, and the appraised ones beside."""

    evaluation: Evaluation
    appraised: appraisal.Appraised | None = None
    may_appraise: bool = False

    def __getattr__(self, name):  # name, scored, total, grade, indicators: the evaluation's
        return getattr(self.evaluation, name)

    @property
    def cells(self) -> list:
        scores = self.appraised.scores if self.appraised else {}
        return [(i, scores.get(i.number)) for i in self.evaluation.indicators]


def is_ended(period: Period) -> bool:
    return period.last < timezone.localdate()


def unit_rows(user, period: Period, units: list[Evaluation]) -> list[UnitRow]:
    found = appraisal.appraised(period, [u.agency_id for u in units])
    allowed = appraisal.appraisable_ids(user) if is_ended(period) else set()
    rows = []
    for u in units:  # a unit's evaluation always has its agency id
        pk = u.agency_id or 0
        rows.append(UnitRow(u, found.get(pk), allowed is None or pk in allowed))
    return rows


class AppraisalForm(forms.Form):
    def __init__(self, *args, initial_scores: appraisal.Appraised | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for number in appraisal.NUMBERS:
            self.fields[f"score_{number}"] = forms.DecimalField(
                label=gettext_lazy("Appraised score"),
                required=False,
                min_value=Decimal(0),
                max_value=Decimal(2),
                max_digits=2,
                decimal_places=1,
                localize=True,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 4}),
            )
            self.fields[f"note_{number}"] = forms.CharField(
                label=gettext_lazy("Note"), required=False, max_length=500
            )
            if initial_scores and number in initial_scores.scores:
                self.initial[f"score_{number}"] = initial_scores.scores[number]
                self.initial[f"note_{number}"] = initial_scores.notes.get(number, "")

    def scores(self) -> dict[int, tuple[Decimal | None, str]]:
        data = self.cleaned_data
        return {
            n: (
                data[f"score_{n}"],
                data[f"note_{n}"].strip() if data[f"score_{n}"] is not None else "",
            )
            for n in appraisal.NUMBERS
        }


def _unit(user, pk: int) -> Agency:
    allowed = appraisal.appraisable_ids(user)
    if allowed is not None and not allowed:
        raise PermissionDenied
    if allowed is not None and pk not in allowed:
        raise Http404
    try:
        return Agency.objects.get(pk=pk)
    except Agency.DoesNotExist:
        raise Http404 from None


@login_required
def appraisal_page(request, agency: int):
    template = "backoffice/quality/appraisal.html"
    unit = _unit(request.user, agency)
    period_form = QualityForm(request.GET, today=timezone.localdate())
    context: dict = {"unit": unit, "period_form": period_form}
    if not period_form.is_valid():
        return render(request, template, context, status=400)
    period = period_form.chosen_period()
    query = {k: v for k, v in request.GET.items() if k != "agency"}
    back = reverse("backoffice:quality") + "?" + urlencode({**query, "agency": unit.pk})
    context.update(period=period, back=back, ended=is_ended(period))
    if not context["ended"]:
        return render(request, template, context, status=400 if request.method == "POST" else 200)
    current = appraisal.appraised(period, [unit.pk]).get(unit.pk)
    data = request.POST if request.method == "POST" else None
    form = AppraisalForm(data, initial_scores=current)
    if request.method == "POST" and form.is_valid():
        changes = appraisal.save_scores(unit, period, form.scores(), actor=request.user)
        if changes:
            messages.success(
                request,
                _("Appraised scores saved (%(count)s changed).") % {"count": len(changes)},
            )
        else:
            messages.info(request, _("Nothing changed: the appraised scores were already these."))
        return redirect(back)
    result = indicators.build(period, Scope(frozenset({unit.pk})))
    own = next((u for u in result.units if u.agency_id == unit.pk), None)
    self_scores = {i.number: i for i in own.indicators} if own else {}
    context.update(
        form=form,
        rows=[
            (number, spec, self_scores.get(number), form[f"score_{number}"], form[f"note_{number}"])
            for number, spec in indicators.SPECS.items()
        ],
        self_total=own.total if own else None,
        current=current,
    )
    return render(request, template, context, status=400 if form.errors else 200)
