"""Forms of the counter intake screen. They parse and validate input only; the rules live
in motcua.dossiers (applicants.py, intake.py, routing.py)."""

import json
from uuid import uuid4

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from motcua.catalogue.models import ApplicantType, Channel, Component
from motcua.dossiers.applicants import Applicant, check_id_number, identity_type_for
from motcua.dossiers.errors import DossierError
from motcua.dossiers.identity import IdentityType
from motcua.dossiers.intake import HandedIn, Missing

COUNTER_CHANNELS = [
    (Channel.IN_PERSON, Channel.IN_PERSON.label),
    (Channel.POSTAL, Channel.POSTAL.label),
]


# The documents a new applicant shows at the counter (dossiers.applicants.COUNTER_TYPES);
# an old card or no number only in imported history.
COUNTER_DOCUMENTS = (IdentityType.PERSONAL_ID, IdentityType.PASSPORT, IdentityType.TAX_CODE)


class ProcedureSearchForm(forms.Form):
    q = forms.CharField(label=_("Procedure"), max_length=200, required=False)


class IntakeForm(forms.Form):
    """The dossier and its applicant."""

    agency = forms.ModelChoiceField(label=_("Receiving agency"), queryset=None, empty_label=None)
    channel = forms.ChoiceField(label=_("Channel"), choices=COUNTER_CHANNELS)
    competent_agency = forms.ModelChoiceField(
        label=_("Agency that resolves it"),
        queryset=None,
        required=False,
        empty_label=_("The receiving agency"),
    )
    # The number first: the clerk types it from the card, and a returning applicant's details
    # are offered from it (applicant_lookup).
    id_number = forms.CharField(
        label=_("ID number or tax code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "off",
                "hx-get": reverse_lazy("backoffice:applicant-lookup"),
                "hx-trigger": "change",
                "hx-target": "#returning",
                "hx-swap": "outerHTML",
            }
        ),
    )
    id_type = forms.ChoiceField(
        label=_("Identity document"),
        choices=[(t.value, t.label) for t in COUNTER_DOCUMENTS],
        initial=IdentityType.PERSONAL_ID,
        required=False,  # not sent: the one the applicant type usually shows
    )
    applicant_type = forms.ChoiceField(
        label=_("Applicant type"),
        choices=ApplicantType.choices,
        # site.js sets the identity document an applicant of the chosen type usually shows.
        widget=forms.Select(
            attrs={
                "data-sets-id-type": json.dumps(
                    {t: identity_type_for(t) for t in ApplicantType.values}
                )
            }
        ),
    )
    name = forms.CharField(label=_("Full name or organisation"), max_length=255)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    address = forms.CharField(label=_("Address"), max_length=500, required=False)
    subject = forms.CharField(label=_("Subject"), max_length=500, required=False)
    sets = forms.IntegerField(label=_("Number of sets"), min_value=1, max_value=99, initial=1)
    refusal_reasons = forms.CharField(
        label=_("Reasons for refusing"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # Made when the empty form is drawn and sent back with it: a double submit, or a retry
    # after a dropped connection, opens the dossier the first one recorded instead of
    # recording a second (dossiers.idempotency).
    token = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, agencies, competent_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["token"].initial = uuid4().hex
        self.fields["agency"].queryset = agencies
        self.fields["competent_agency"].queryset = competent_choices
        if len(agencies) == 1:
            self.fields["agency"].initial = agencies[0]
            self.fields["agency"].widget = forms.HiddenInput()

    def clean(self):
        """The identity number checked by its type's structure here, so that a refusal is
        shown next to the field with what was typed kept (the rule is dossiers.identity's)."""
        super().clean()
        data = self.cleaned_data
        applicant_type = data.get("applicant_type")
        if applicant_type and not data.get("id_type"):
            data["id_type"] = identity_type_for(applicant_type)
        kind = data.get("id_type")
        if applicant_type and kind and data.get("id_number"):
            try:
                data["id_number"] = check_id_number(applicant_type, data["id_number"], kind)
            except DossierError as error:
                field = "id_type" if error.code == "invalid_id_type" else "id_number"
                self.add_error(field, error.message)
        return data

    def applicant(self) -> Applicant:
        data = self.cleaned_data
        return Applicant(
            data["applicant_type"],
            data["name"],
            data["id_number"],
            data["phone"],
            data["email"],
            data["address"],
            data["id_type"],
        )


class ComponentForm(forms.Form):
    """One checklist item: handed in or not, how many of each kind, digitised."""

    handed_in = forms.BooleanField(label=_("Handed in"), required=False)
    originals = forms.IntegerField(label=_("Originals"), min_value=0, max_value=99, initial=0)
    certified_copies = forms.IntegerField(
        label=_("Certified copies"), min_value=0, max_value=99, initial=0
    )
    copies = forms.IntegerField(label=_("Copies"), min_value=0, max_value=99, initial=0)
    digitised = forms.BooleanField(label=_("Scanned"), required=False)
    missing_reason = forms.CharField(
        label=_("What is missing or wrong"), max_length=500, required=False
    )

    def __init__(self, *args, component: Component, **kwargs):
        kwargs.setdefault("prefix", f"c{component.pk}")
        super().__init__(*args, **kwargs)
        self.component = component
        self.fields["originals"].initial = component.originals
        self.fields["copies"].initial = component.copies

    def handed_in_item(self) -> HandedIn | None:
        data = self.cleaned_data
        if not data["handed_in"]:
            return None
        return HandedIn(
            self.component.pk,
            originals=data["originals"],
            certified_copies=data["certified_copies"],
            copies=data["copies"],
            is_digitised=data["digitised"],
        )

    def missing_item(self) -> Missing | None:
        data = self.cleaned_data
        if data["handed_in"] and not data["missing_reason"].strip():
            return None
        if not data["handed_in"] and not self.component.required_at_counter:
            return None
        reason = data["missing_reason"].strip() or str(_("Not handed in"))
        return Missing(self.component.pk, self.component.name, reason)
