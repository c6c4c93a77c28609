"""Admin for the override table. Only holders of MANAGE_CALENDAR see it (system admins do);
every save and delete goes through the services, which audit."""

from django import forms
from django.contrib import admin
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext_lazy as _

from motcua.organisations.permissions import can
from motcua.organisations.roles import Capability

from . import public_holidays, services
from .errors import WorkdaysError
from .models import CalendarOverride


class CalendarOverrideForm(forms.ModelForm):
    class Meta:
        model = CalendarOverride
        fields = ["date", "kind", "name", "note"]

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get("date") or getattr(self.instance, "date", None)
        if day and cleaned.get("kind") and cleaned.get("name") is not None:
            try:
                services.check_override_values(day, cleaned["kind"], cleaned["name"])
            except WorkdaysError as exc:
                raise forms.ValidationError(exc.message, code=exc.code) from exc
        return cleaned


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    form = CalendarOverrideForm
    list_display = ["date", "weekday", "kind", "name", "package_says", "updated_by", "updated_at"]
    list_filter = ["kind"]
    list_select_related = ["updated_by"]
    date_hierarchy = "date"
    search_fields = ["name", "note"]

    @admin.display(description=_("weekday"))
    def weekday(self, obj: CalendarOverride) -> str:
        return format_date(obj.date, "l")

    @admin.display(description=_("holidays package"))
    def package_says(self, obj: CalendarOverride) -> str:
        package = public_holidays.package_year(obj.date.year)
        if obj.date in package.swapped_working:
            return str(_("Swapped working day"))
        return package.holidays.get(obj.date, "")

    def get_readonly_fields(self, request, obj=None):
        # The date is the override's identity: to move it, delete it and add another.
        return ["date"] if obj else []

    def has_module_permission(self, request) -> bool:
        return can(request.user, Capability.MANAGE_CALENDAR)

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    has_add_permission = has_module_permission
    has_change_permission = has_view_permission
    has_delete_permission = has_view_permission

    def save_model(self, request, obj, form, change):
        saved = services.set_override(
            obj.date, kind=obj.kind, name=obj.name, note=obj.note, actor=request.user
        )
        obj.pk, obj.created_at, obj.updated_at = saved.pk, saved.created_at, saved.updated_at

    def delete_model(self, request, obj):
        services.remove_override(obj.date, actor=request.user)

    def delete_queryset(self, request, queryset):
        for override in queryset:
            services.remove_override(override.date, actor=request.user)
