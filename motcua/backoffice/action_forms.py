"""Small forms for the processing actions on a dossier page. They parse input only."""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from motcua.catalogue.models import Channel
from motcua.dossiers.delays import involved_agencies
from motcua.dossiers.intake import missing_mandatory, sent_documents
from motcua.dossiers.models import Dossier, DossierStep
from motcua.dossiers.preconditions import Expected
from motcua.organisations.models import Agency, Membership


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    # The dossier's version when the page was drawn: an action sent twice, or after someone
    # else changed the dossier, is refused (dossiers.preconditions).
    version = forms.IntegerField(label=_("version"), min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, dossier: Dossier, **kwargs):
        super().__init__(*args, **kwargs)
        self.dossier = dossier
        self.fields["version"].initial = dossier.version

    def expected(self) -> Expected:
        return Expected(version=self.cleaned_data["version"])

    def values(self) -> dict:
        """What the operation needs: the cleaned input without the precondition."""
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class ReasonForm(NoteForm):
    note = None
    reason = forms.CharField(
        label=_("Reason"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


def active_step(dossier: Dossier) -> DossierStep | None:
    return dossier.steps.filter(state=DossierStep.State.ACTIVE).order_by("order").first()


class AssignForm(NoteForm):
    assignee = forms.ModelChoiceField(label=_("Officer"), queryset=None)

    def __init__(self, *args, dossier: Dossier, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        step = active_step(dossier)
        users = get_user_model().objects.none()
        if step is not None:
            memberships = Membership.objects.active().filter(agency=step.agency, role=step.role)
            if step.department_id:
                memberships = memberships.filter(department=step.department_id)
            users = (
                get_user_model()
                .objects.filter(pk__in=memberships.values("user"), is_active=True)
                .order_by("first_name", "last_name")
            )
        self.fields["assignee"].queryset = users
        self.fields["assignee"].label_from_instance = lambda u: u.get_full_name() or u.username


class SendBackForm(ReasonForm):
    to_order = forms.TypedChoiceField(label=_("Back to step"), coerce=int, choices=())

    def __init__(self, *args, dossier: Dossier, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        step = active_step(dossier)
        earlier = dossier.steps.filter(order__lt=step.order) if step else dossier.steps.none()
        self.fields["to_order"].choices = [(s.order, f"{s.order}. {s.name}") for s in earlier]


HALF_DAYS = _("Give whole or half working days, e.g. 1 or 1.5.")


class ConsultationForm(NoteForm):
    note = None
    to_agency = forms.ModelChoiceField(
        label=_("Agency consulted"), queryset=Agency.objects.active().order_by("code")
    )
    content = forms.CharField(
        label=_("Question"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    deadline_days = forms.DecimalField(
        label=_("Answer within (working days)"),
        min_value=Decimal("0.5"),
        max_value=60,
        step_size=Decimal("0.5"),  # the calendar counts whole and half working days
        decimal_places=1,
        initial=3,
        error_messages={"step_size": HALF_DAYS},
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern): a list, maybe empty."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class AnswerForm(NoteForm):
    note = None
    consultation = forms.TypedChoiceField(label=_("Consultation"), coerce=int, choices=())
    answer = forms.CharField(
        label=_("Answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    attachments = MultipleFileField(
        label=_("Files (the signed letter, PDF or scans)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.tif,.tiff"}),
    )

    def __init__(self, *args, dossier: Dossier, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        waiting = dossier.consultations.filter(answered_at=None).select_related("to_agency")
        self.fields["consultation"].choices = [
            (c.pk, f"{c.to_agency.name}: {c.content[:80]}") for c in waiting
        ]


class ReceiveForm(NoteForm):
    """Receiving an online submission: nothing to type; the checklist is the dossier's."""

    def __init__(self, *args, dossier: Dossier, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        del self.fields["note"]


class GuideSupplementForm(ReasonForm):
    """An incomplete online submission: every missing document at once, one per line; the
    mandatory ones not sent are proposed."""

    items = forms.CharField(
        label=_("Documents to supplement, one per line"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, dossier: Dossier, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        if dossier.procedure_version_id is not None:
            sent = sent_documents(dossier)
            missing = missing_mandatory(dossier.procedure_version, sent, dossier.channel)
            self.fields["items"].initial = "\n".join(c.name for c in missing)

    def clean_items(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["items"].splitlines()]
        return [line for line in lines if line]


class SupplementForm(ReasonForm):
    items = forms.CharField(
        label=_("Documents to supplement, one per line"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_items(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["items"].splitlines()]
        return [line for line in lines if line]


class PaymentForm(NoteForm):
    note = None
    description = forms.CharField(label=_("Obligation"), max_length=2000)
    amount = forms.DecimalField(
        label=_("Amount (VND)"), min_value=0, max_digits=14, decimal_places=0, required=False
    )


class ApologyForm(ReasonForm):
    new_due_at = forms.DateTimeField(label=_("New appointment (dd/mm/yyyy hh:mm)"))
    responsible_agency = forms.ModelChoiceField(
        label=_("Unit responsible for the delay"),
        queryset=Agency.objects.none(),
        required=False,
    )

    def __init__(self, *args, dossier: Dossier, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        # Only the agencies taking part in the dossier can be at fault (delays.py).
        self.fields["responsible_agency"].queryset = involved_agencies(dossier).order_by("code")


class ReturnForm(NoteForm):
    note = None
    method = forms.ChoiceField(
        label=_("Returned"), choices=Channel.choices, initial=Channel.IN_PERSON
    )
    collected_by_name = forms.CharField(label=_("Collected by"), max_length=255, required=False)
    collected_by_id_number = forms.CharField(
        label=_("Collector's ID number"), max_length=20, required=False
    )
