"""Forms of the kiosk, the counter widget and the booking page: parsing only."""

import re
from datetime import date
from uuid import uuid4

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PriorityCategory, QueueCounter, QueueService, ServiceKind

PHONE = re.compile(r"^\+?[0-9 .]{9,15}$")


def _choose(form: forms.Form, name: str, queryset) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


def clean_phone(value: str) -> str:
    value = value.strip()
    if value and not PHONE.match(value):
        raise forms.ValidationError(_("Enter a phone number of 9 to 15 digits."))
    return re.sub(r"[ .]", "", value)


class TicketForm(forms.Form):
    """A tap on a service button of the kiosk, with what the applicant may add."""

    service = forms.ModelChoiceField(queryset=QueueService.objects.none(), widget=forms.HiddenInput)
    token = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)
    priority_category = forms.ChoiceField(
        label=_("Priority"),
        choices=[("", _("No priority"))] + list(PriorityCategory.choices),
        required=False,
    )
    phone = forms.CharField(
        label=_("Phone for a message when your turn is near (optional)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    pickup_code = forms.CharField(
        label=_("Dossier code on your receipt (scan the QR code)"),
        max_length=64,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def __init__(self, *args, point, **kwargs):
        super().__init__(*args, **kwargs)
        _choose(self, "service", point.services.filter(is_active=True))
        priority = self.fields["priority_category"]
        assert isinstance(priority, forms.ChoiceField)
        priority.choices = [("", _("No priority"))] + [
            (c.value, c.label) for c in PriorityCategory if point.gives_priority_to(c.value)
        ]
        if not self.is_bound:
            self.initial.setdefault("token", uuid4().hex)

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"])

    def clean_pickup_code(self) -> str:
        return pickup_code_from(self.cleaned_data["pickup_code"])

    def clean(self):
        data = super().clean() or {}
        service = data.get("service")
        if service and service.kind != ServiceKind.PICKUP:
            data["pickup_code"] = ""
        return data


def pickup_code_from(scanned: str) -> str:
    """The dossier code from what was typed or scanned: the receipt's QR holds the tracking
    address (…/tra-cuu/?ma=<code>), a barcode scanner types it as keys."""
    value = scanned.strip()
    match = re.search(r"[?&]ma=([^&#\s]+)", value)
    if match:
        value = match.group(1)
    return value.upper()[:40]


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Appointment code"),
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def clean_code(self) -> str:
        value = self.cleaned_data["code"].strip()
        match = re.search(r"[?&]hen=([A-Za-z0-9]+)", value)
        return (match.group(1) if match else value).upper()


class TransferForm(forms.Form):
    service = forms.ModelChoiceField(
        label=_("To the service"), queryset=QueueService.objects.none(), required=False
    )
    counter = forms.ModelChoiceField(
        label=_("To the counter"), queryset=QueueCounter.objects.none(), required=False
    )

    def __init__(self, *args, point, exclude_counter, **kwargs):
        super().__init__(*args, **kwargs)
        _choose(self, "service", point.services.filter(is_active=True))
        counters = point.counters.exclude(pk=exclude_counter.pk).select_related("counter")
        _choose(self, "counter", counters)


class CounterTicketForm(forms.Form):
    """A ticket given at the counter (someone who did not take one, or a second service)."""

    service = forms.ModelChoiceField(label=_("Service"), queryset=QueueService.objects.none())
    token = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)
    priority_category = forms.ChoiceField(
        label=_("Priority"),
        choices=[("", _("No priority"))] + list(PriorityCategory.choices),
        required=False,
    )

    def __init__(self, *args, point, **kwargs):
        super().__init__(*args, **kwargs)
        _choose(self, "service", point.services.filter(is_active=True))
        if not self.is_bound:
            self.initial.setdefault("token", uuid4().hex)


class LookupForm(forms.Form):
    q = forms.CharField(label=_("Find a procedure"), max_length=200, required=False)


class KioskTrackingForm(forms.Form):
    ma = forms.CharField(
        label=_("Dossier code"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def clean_ma(self) -> str:
        return pickup_code_from(self.cleaned_data["ma"])


class BookingForm(forms.Form):
    service = forms.ModelChoiceField(label=_("Service"), queryset=QueueService.objects.none())
    key = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    slot = forms.TimeField(label=_("Time"), widget=forms.TimeInput(format="%H:%M"))
    name = forms.CharField(label=_("Full name"), max_length=255)
    phone = forms.CharField(label=_("Phone"), max_length=20)
    id_number = forms.CharField(
        label=_("ID number (optional: the counter fills in your details from it)"),
        max_length=20,
        required=False,
    )

    def __init__(self, *args, point, **kwargs):
        super().__init__(*args, **kwargs)
        _choose(self, "service", point.services.filter(is_active=True, kind=ServiceKind.INTAKE))
        if not self.is_bound:
            self.initial.setdefault("key", uuid4().hex)

    def clean_phone(self) -> str:
        phone = clean_phone(self.cleaned_data["phone"])
        if not phone:
            raise forms.ValidationError(_("Enter a phone number of 9 to 15 digits."))
        return phone

    def clean_id_number(self) -> str:
        value = self.cleaned_data["id_number"].strip()
        if value and not value.isdigit():
            raise forms.ValidationError(_("Digits only."))
        return value


MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class MonthForm(forms.Form):
    """The month of the queue's monthly figures and, optionally, one service point."""

    thang = forms.CharField(label=_("Month"), max_length=7)
    diem = forms.ChoiceField(label=_("Service point"), required=False)

    def __init__(self, data, *, points: list, **kwargs):
        super().__init__(data, **kwargs)
        self.points = [p for p, _label in points]
        choices = [("", _("All service points"))] + [(p.slug, label) for p, label in points]
        field = self.fields["diem"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def clean_thang(self):
        found = MONTH.match(self.cleaned_data["thang"].strip())
        if found is None or not 1 <= int(found[2]) <= 12 or not 2000 <= int(found[1]) <= 2100:
            raise forms.ValidationError(_("Enter a month as YYYY-MM, for example 2026-12."))
        return date(int(found[1]), int(found[2]), 1)

    def chosen_points(self) -> list:
        slug = self.cleaned_data["diem"]
        return [p for p in self.points if not slug or p.slug == slug]
