"""The e-form as an ordinary Django form (catalogue.eforms gives the fields), and the small forms
of the filing pages. The Django form converts what was typed (numbers, dates as the browser
or a person writes them) and keeps it when something is wrong; the schema is the rule, checked
on the server at review and at submission (services.review)."""

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalogue import eforms
from motcua.catalogue.models import Channel

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]


def _field(spec: eforms.FieldSpec) -> forms.Field:
    common: dict[str, Any] = {
        "label": spec.title,
        "help_text": spec.description,
        "required": False,  # a draft is saved as it is; the review names what is missing
        "disabled": bool(spec.prefill),  # from the provider's claims: never from the request
    }
    if spec.type == "boolean":
        return forms.BooleanField(**common)
    if spec.choices:
        widget = forms.RadioSelect if spec.widget == "radio" else forms.Select
        choices = list(spec.choices)
        if widget is forms.Select:
            choices = [("", "—"), *choices]
        return forms.TypedChoiceField(
            choices=choices, widget=widget, coerce=_coerce(spec), empty_value=None, **common
        )
    if spec.type == "integer":
        low, high = spec.minimum, spec.maximum
        return forms.IntegerField(
            min_value=None if low is None else int(low),
            max_value=None if high is None else int(high),
            **common,
        )
    if spec.type == "number":
        return forms.FloatField(min_value=spec.minimum, max_value=spec.maximum, **common)
    if spec.format == "date":
        date_input = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        return forms.DateField(input_formats=DATE_FORMATS, widget=date_input, **common)
    if spec.format == "email":
        return forms.EmailField(max_length=spec.max_length or 254, **common)
    area = forms.Textarea(attrs={"rows": 3}) if spec.widget == "textarea" else None
    return forms.CharField(max_length=spec.max_length, widget=area, **common)


def _coerce(spec: eforms.FieldSpec):
    if spec.type == "integer":
        return int
    if spec.type == "number":
        return float
    return str


class EForm(forms.Form):
    """Built per procedure version; `answers()` gives the JSON the schema checks."""

    def __init__(self, eform: dict[str, Any], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.specs = {spec.name: spec for spec in eforms.field_specs(eform)}
        self.sections = eforms.sections(eform)
        for name, spec in self.specs.items():
            self.fields[name] = _field(spec)
            self.fields[name].spec = spec  # type: ignore[attr-defined]
            self.fields[name].schema_required = spec.required  # type: ignore[attr-defined]

    def grouped(self):
        """[(section title, [bound fields])] in the UI schema's order."""
        return [(s.title, [self[spec.name] for spec in s.fields]) for s in self.sections]

    def answers(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if self.specs[name].prefill:
                continue
            if isinstance(value, date):
                value = value.isoformat()
            if value in ("", None):
                continue
            if self.specs[name].type == "boolean" and value is False:
                continue
            out[name] = value
        return out


class StartForm(forms.Form):
    agency = forms.TypedChoiceField(label=_("File with"), coerce=int, empty_value=None)

    def __init__(self, agencies, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(a.pk, a.name) for a in agencies]
        if len(agencies) == 1:
            self.fields["agency"].initial = agencies[0].pk


class DeliveryForm(forms.Form):
    result_delivery = forms.ChoiceField(
        label=_("How do you want to receive the result?"),
        widget=forms.RadioSelect,
        choices=[
            (Channel.IN_PERSON, _("At the one-stop counter")),
            (Channel.POSTAL, _("By post, at the address below")),
            (Channel.ONLINE, _("Online, in my account (where the result can be electronic)")),
        ],
    )
    delivery_address = forms.CharField(
        label=_("Address for the post"), required=False, max_length=500
    )


class UploadForm(forms.Form):
    component = forms.IntegerField(widget=forms.HiddenInput)


class NoteForm(forms.Form):
    """A supplement's note, a withdrawal's reason."""

    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
