"""The queue's settings in the admin, for the administrators of the point's agency (scoped
and audited as the organisations' own pages are); tickets and appointments read-only."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from motcua.organisations.admin import AgencyScopedAdmin
from motcua.organisations.models import Counter

from . import printers
from .models import (
    Appointment,
    PrintJob,
    PriorityCategory,
    QueueCounter,
    QueueService,
    ServicePoint,
    Ticket,
    TicketPrinter,
)

RESERVED_SLUGS = {"tra-cuu", "ve", "hen"}  # words of the devices' own addresses


class ServicePointForm(forms.ModelForm):
    priority_categories = forms.MultipleChoiceField(
        label=_("priority categories served first"),
        choices=PriorityCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ServicePoint
        fields = [
            "reception_point", "slug", "is_active", "opens_early_minutes", "priority_categories",
            "slot_minutes", "slot_capacity", "voice",
        ]  # fmt: skip

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("This name is used by the devices' addresses."))
        return slug


@admin.register(ServicePoint)
class ServicePointAdmin(AgencyScopedAdmin):
    form = ServicePointForm
    agency_field = "reception_point__agency"
    list_display = ["reception_point", "slug", "is_active"]
    list_select_related = ["reception_point"]


class PointScoped(AgencyScopedAdmin):
    agency_field = "point__reception_point__agency"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        ids = self.scope_ids(request)
        if ids is not None and db_field.related_model is ServicePoint:
            kwargs["queryset"] = ServicePoint.objects.filter(reception_point__agency__in=ids)
        if ids is not None and db_field.related_model is Counter:
            kwargs["queryset"] = Counter.objects.filter(reception_point__agency__in=ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(QueueService)
class QueueServiceAdmin(PointScoped):
    list_display = ["prefix", "name", "kind", "point", "position", "is_active"]
    list_filter = ["kind", "is_active"]
    autocomplete_fields = ["procedures"]
    filter_horizontal = ["fields"]


@admin.register(QueueCounter)
class QueueCounterAdmin(PointScoped):
    list_display = ["counter", "point", "code", "officer"]
    list_select_related = ["counter", "point__reception_point", "officer"]
    filter_horizontal = ["services"]
    readonly_fields = ["officer", "on_duty_since"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        ids = self.scope_ids(request)
        if ids is not None and db_field.name == "services":
            kwargs["queryset"] = QueueService.objects.filter(point__reception_point__agency__in=ids)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class TicketPrinterForm(forms.ModelForm):
    class Meta:
        model = TicketPrinter
        fields = ["point", "code", "name", "transport", "target", "width", "is_active"]

    def clean(self):
        data = super().clean() or {}
        transport, target = data.get("transport"), (data.get("target") or "").strip()
        if transport and target:
            error = printers.target_error(transport, target)
            if error:
                self.add_error("target", error)
            data["target"] = target
        width = data.get("width")
        if width is not None and not 128 <= width <= 1024:
            self.add_error("width", _("Between 128 and 1024 dots (384 or 512 usually)."))
        return data


@admin.register(TicketPrinter)
class TicketPrinterAdmin(PointScoped):
    form = TicketPrinterForm
    list_display = ["name", "code", "point", "transport", "target", "is_active"]
    list_select_related = ["point__reception_point"]


class ReadOnly(PointScoped):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Ticket)
class TicketAdmin(ReadOnly):
    list_display = ["display_code", "day", "service", "state", "channel", "counter", "dossier"]
    list_filter = ["state", "channel", "day"]
    search_fields = ["display_code", "dossier__code"]
    list_select_related = ["service", "counter__counter", "dossier"]


@admin.register(PrintJob)
class PrintJobAdmin(ReadOnly):
    agency_field = "printer__point__reception_point__agency"
    list_display = ["ticket", "printer", "state", "attempts", "created_at", "printed_at"]
    list_filter = ["state"]
    list_select_related = ["ticket", "printer"]
    search_fields = ["ticket__display_code"]


@admin.register(Appointment)
class AppointmentAdmin(ReadOnly):
    list_display = ["code", "day", "slot", "service", "state"]
    list_filter = ["state", "day"]
    search_fields = ["code"]
