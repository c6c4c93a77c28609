from uuid import uuid4

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.organisations.models import Agency

from .models import FeeExemption, FeeItem, PaymentAttempt, PaymentRequest

Method = PaymentAttempt.Method


def new_token() -> str:
    return uuid4().hex


class CollectForm(forms.Form):
    """Cash or card taken at the counter; the hidden token makes a second send harmless."""

    method = forms.ChoiceField(
        label=_("Paid"),
        choices=[(Method.CASH, Method.CASH.label), (Method.CARD, Method.CARD.label)],
        widget=forms.RadioSelect,
        initial=Method.CASH,
    )
    amount = forms.IntegerField(label=_("Amount received (VND)"), min_value=1)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)


class QuantitiesForm(forms.Form):
    """The counted copies or pages of the lines that are not a fixed amount."""

    def __init__(self, *args, request: PaymentRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = [line for line in request.lines.all() if line.rule != FeeItem.Rule.FIXED]
        for line in self.lines:
            self.fields[f"line_{line.pk}"] = forms.IntegerField(
                label=line.name, min_value=1, max_value=100_000, initial=line.quantity
            )

    def quantities(self) -> dict[int, int]:
        return {line.pk: self.cleaned_data[f"line_{line.pk}"] for line in self.lines}


class WaiveForm(forms.Form):
    exemption = forms.ModelChoiceField(
        label=_("Exemption"), queryset=FeeExemption.objects.none(), required=False
    )
    reason = forms.CharField(label=_("Or the reason"), required=False, max_length=500)

    def __init__(self, *args, request: PaymentRequest, **kwargs):
        super().__init__(*args, **kwargs)
        items = [line.item_id for line in request.lines.all() if line.item_id]
        self.fields["exemption"].queryset = FeeExemption.objects.filter(item__in=items)  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean() or {}
        if not data.get("exemption") and not (data.get("reason") or "").strip():
            raise forms.ValidationError(_("Choose the exemption or write the reason."))
        return data


class RefundForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the refund"), max_length=500)


class FindForm(forms.Form):
    code = forms.CharField(label=_("Dossier code"), max_length=64)


class StatementForm(forms.Form):
    """A bank statement of one collecting agency's account (CSV or Excel)."""

    agency = forms.ModelChoiceField(label=_("Account of"), queryset=Agency.objects.none())
    file = forms.FileField(label=_("Statement (CSV or Excel .xlsx)"))

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        if len(agencies) == 1:
            self.fields["agency"].initial = agencies.first()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Choose a .csv or .xlsx file."))
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("A statement is at most 10 MB."))
        return upload


class MatchForm(forms.Form):
    """The request a statement line pays: chosen among the candidates, or typed."""

    choice = forms.IntegerField(required=False, widget=forms.HiddenInput)
    wanted = forms.CharField(
        label=_("Payment reference or dossier code"), required=False, max_length=64
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def clean(self):
        data = super().clean() or {}
        if not data.get("choice") and not (data.get("wanted") or "").strip():
            raise forms.ValidationError(_("Choose a request or type its reference."))
        return data


class SetAsideForm(forms.Form):
    reason = forms.CharField(label=_("Why it is not matched"), max_length=500)


class PeriodForm(forms.Form):
    tu = forms.DateField(label=_("From"), required=False)
    den = forms.DateField(label=_("To"), required=False)
