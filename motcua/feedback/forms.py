"""The feedback app's forms: the rating form (four levels, a thumb, the criteria, a
comment), the feedback form (Decree 20/2008 art. 7), the back office's action forms."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from motcua.organisations.models import Agency

from .models import Criterion, Feedback, Level
from .ratings import Given

THUMBS = (("", _("No opinion")), ("1", _("Like")), ("0", _("Dislike")))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); their content is checked by
    the service (register._prepared_files)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return super().clean(data, initial)


class RatingForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Overall, how satisfied are you?"),
        choices=Level.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    liked = forms.ChoiceField(label=_("Like or dislike"), choices=THUMBS, required=False)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, criteria: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if criteria:
            choices = [("", "—"), *[(str(v), label) for v, label in Level.choices]]
            for key, label in Criterion.choices:
                self.fields[f"c_{key}"] = forms.TypedChoiceField(
                    label=label, choices=choices, required=False, coerce=int, empty_value=None
                )

    def criteria_fields(self):
        return [self[name] for name in self.fields if name.startswith("c_")]

    def given(self) -> Given:
        data = self.cleaned_data
        thumb = data.get("liked")
        criteria = {
            name[2:]: value
            for name, value in data.items()
            if name.startswith("c_") and value is not None
        }
        return Given(
            level=data["level"],
            liked=None if thumb in ("", None) else thumb == "1",
            criteria=criteria,
            comment=data.get("comment", ""),
        )


class PaperRatingForm(RatingForm):
    """A paper questionnaire entered by staff: the dossier code first."""

    code = forms.CharField(label=_("Dossier code"), max_length=64)
    counter_code = forms.CharField(label=_("Counter"), max_length=32, required=False)

    field_order = ["code", "counter_code", "level", "liked"]


class FeedbackForm(forms.Form):
    """Decree 20/2008 art. 7: the sender's name, address and phone are required."""

    name = forms.CharField(label=_("Full name"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=500)
    phone = forms.CharField(label=_("Phone"), max_length=20)
    email = forms.EmailField(label=_("E-mail (optional)"), required=False)
    agency = forms.ModelChoiceField(label=_("Sent to"), queryset=Agency.objects.none())
    subject = forms.ChoiceField(label=_("About"), choices=Feedback.Subject.choices)
    code = forms.CharField(
        label=_("Dossier code (if it is about a dossier)"), max_length=64, required=False
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Content"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8})
    )
    attachments = MultipleFileField(
        label=_("Attached files (PDF, JPEG, PNG, TIFF)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.tif,.tiff"}),
    )
    token = forms.CharField(widget=forms.HiddenInput)
    again = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)

    def __init__(self, *args, agencies=None, staff: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        agency = self.fields["agency"]
        assert isinstance(agency, forms.ModelChoiceField)
        agency.queryset = agencies if agencies is not None else Agency.objects.none()
        if staff:
            self.fields["source"] = forms.ChoiceField(
                label=_("Received through"),
                choices=[c for c in Feedback.Source.choices if c[0] != Feedback.Source.PORTAL],
            )
            self.fields["received_on"] = forms.DateField(
                label=_("Date received"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )


class OfficerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.get_username()})" if name else obj.get_username()


class ClassifyForm(forms.Form):
    classification = forms.ChoiceField(
        label=_("Classification"), choices=Feedback.Classification.choices
    )
    officer = OfficerChoice(
        label=_("Officer concerned (if any)"), queryset=Agency.objects.none(), required=False
    )

    def __init__(self, *args, item: Feedback | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        officer = self.fields["officer"]
        assert isinstance(officer, forms.ModelChoiceField)
        officer.queryset = officers_of(item)


def officers_of(item: Feedback | None):
    """The staff of the item's receiving and handling agencies: whom it may concern."""
    users = get_user_model().objects.none()
    if item is not None:
        agencies = [item.agency_id, item.handling_agency_id]
        users = get_user_model().objects.filter(
            memberships__agency_id__in=agencies, memberships__is_active=True, is_active=True
        )
    return users.distinct().order_by("last_name", "first_name", "username")


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ForwardForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Competent agency"), queryset=Agency.objects.none())
    note = forms.CharField(label=_("Note"), max_length=1000, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        agency = self.fields["agency"]
        assert isinstance(agency, forms.ModelChoiceField)
        agency.queryset = Agency.objects.filter(is_active=True).order_by("name")


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class SupplementForm(forms.Form):
    text = forms.CharField(
        label=_("Supplement given by the sender"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8})
    )
    verdict = forms.ChoiceField(
        label=_("Was it founded (the agency at fault)?"),
        choices=Feedback.Verdict.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, item: Feedback | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if item is not None and item.needs_verdict:
            self.fields["verdict"].required = True
            self.fields["verdict"].help_text = _(
                "Required for feedback about a procedure or a dossier (Circular 01/2018, "
                "indicator 7)."
            )
        else:
            self.fields["verdict"].label = _("Was it founded (the agency at fault)? (optional)")


class PublishForm(forms.Form):
    title = forms.CharField(label=_("Published title"), max_length=200)
    body = forms.CharField(
        label=_("Published content"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    answer = forms.CharField(
        label=_("Published answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8})
    )


class EmptyForm(forms.Form):
    pass


ACTION_FORMS: dict[str, type[forms.Form]] = {
    "classify": ClassifyForm,
    "refuse": ReasonForm,
    "forward": ForwardForm,
    "ask_supplement": NoteForm,
    "receive_supplement": SupplementForm,
    "start_handling": EmptyForm,
    "answer": AnswerForm,
    "send_back": NoteForm,
    "approve": EmptyForm,
    "publish": PublishForm,
}
