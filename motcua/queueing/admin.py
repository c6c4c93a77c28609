"""The queue's settings in the admin, for the administrators of the point's agency (scoped
and audited as the organisations' own pages are); tickets and appointments read-only."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from motcua.organisations.admin import AgencyScopedAdmin
from motcua.organisations.models import Counter

from . import photos, printers
from .models import (
    Appointment,
    PrintJob,
    PriorityCategory,
    QueueCounter,
    QueueService,
    ServicePoint,
    StaffPhoto,
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


class StaffPhotoForm(forms.ModelForm):
    upload = forms.FileField(
        label=_("Photo (JPEG, PNG or WebP)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    class Meta:
        model = StaffPhoto
        fields = ["user"]

    def clean_upload(self) -> bytes:
        data = self.cleaned_data["upload"].read(photos.MAX_BYTES + 1)
        try:
            photos.normalise(data)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error
        return data


@admin.register(StaffPhoto)
class StaffPhotoAdmin(AgencyScopedAdmin):
    """An administrator sets the photo of a staff member of their agencies (photos.py does
    the checking, resizing and audit); the list shows names, not pictures."""

    form = StaffPhotoForm
    list_display = ["user", "updated_at"]
    list_select_related = ["user"]
    readonly_fields = ["preview", "updated_at"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]

    def get_queryset(self, request):
        qs = super(AgencyScopedAdmin, self).get_queryset(request).defer("image")
        ids = self.scope_ids(request)
        if ids is None:
            return qs
        return qs.filter(user__memberships__agency__in=ids).distinct()

    def in_scope(self, request, obj) -> bool:
        ids = self.scope_ids(request)
        if ids is None or obj is None:
            return True
        return obj.user.memberships.filter(agency__in=ids).exists()

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "user"] if obj is not None else self.readonly_fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        ids = self.scope_ids(request)
        if db_field.name == "user":
            users = get_user_model().objects.filter(memberships__isnull=False)
            if ids is not None:
                users = users.filter(memberships__agency__in=ids)
            kwargs["queryset"] = users.distinct().order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("photo"))
    def preview(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        url = reverse("queueing:staff-photo", args=[obj.user_id])
        return format_html(
            '<img src="{}?v={}" alt="" width="120" height="120">', url, obj.digest[:12]
        )

    def save_model(self, request, obj, form, change):
        user = obj.user if change else form.cleaned_data["user"]
        saved = photos.set_photo(user, form.cleaned_data["upload"], actor=request.user)
        obj.pk, obj.digest, obj.updated_at = saved.pk, saved.digest, saved.updated_at

    def delete_model(self, request, obj):
        photos.remove_photo(obj.user, actor=request.user)


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
