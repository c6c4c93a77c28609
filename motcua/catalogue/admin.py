"""Catalogue admin. Published versions are never edited in place: saving the form of a
published version creates the next version (with all its components, fees and steps) and
publishes it, so dossiers already received keep the version they pinned."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from motcua.audit.admin_changes import AuditedDeletions
from motcua.organisations import permissions
from motcua.organisations.admin import AgencyScopedAdmin
from motcua.organisations.roles import Capability

from .interchange import hooks
from .models import (
    ApplicantType,
    Channel,
    Component,
    Fee,
    Field,
    Level,
    Procedure,
    ProcedureVersion,
    ProcessStep,
)
from .services import publish_version

# Fields of a version that the form never shows but a new version must carry over.
CARRIED_OVER = ["source", "import_notes", "results", "channel_time_limits"]


@admin.register(Field)
class FieldAdmin(AuditedDeletions):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]

    def has_module_permission(self, request):
        return permissions.can(request.user, Capability.MANAGE_CATALOGUE)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    has_add_permission = has_module_permission

    def has_change_permission(self, request, obj=None):
        return permissions.is_system_admin(request.user)

    has_delete_permission = has_change_permission


class CatalogueScopedAdmin(AgencyScopedAdmin):
    """Procedures belong to `owner_agency`; entries without an owner are system-wide and only
    system administrators change them. Everyone with the capability may view all."""

    capability = Capability.MANAGE_CATALOGUE
    agency_field = "owner_agency"

    def get_queryset(self, request):
        return admin.ModelAdmin.get_queryset(self, request)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request) and self.in_scope(request, obj)


@admin.register(Procedure)
class ProcedureAdmin(CatalogueScopedAdmin):
    list_display = ["code", "name", "field", "online_level", "owner_agency", "version_link"]
    list_filter = ["online_level", "is_active", ("field", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "search_text"]
    list_select_related = ["field", "owner_agency", "current_version"]
    fields = ["code", "owner_agency", "is_active", "name", "field", "online_level", "versions"]
    readonly_fields = ["name", "field", "online_level", "versions"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "code"] if obj else self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("current version"))
    def version_link(self, obj):
        if obj.current_version_id is None:
            return "—"
        url = reverse("admin:catalogue_procedureversion_change", args=[obj.current_version_id])
        return format_html('<a href="{}">{}</a>', url, _("edit"))

    @admin.display(description=_("content and versions"))
    def versions(self, obj):
        if obj.pk is None:
            return "—"
        rows = format_html_join(
            "",
            '<li><a href="{}">{}</a> · {} · {}</li>',
            (
                (
                    reverse("admin:catalogue_procedureversion_change", args=[v.pk]),
                    _("version %(n)s") % {"n": v.number},
                    v.get_status_display(),
                    v.published_at.strftime("%d/%m/%Y %H:%M") if v.published_at else "—",
                )
                for v in obj.versions.order_by("-number")
            ),
        )
        edit = ""
        if obj.current_version_id:
            edit = format_html(
                '<p><a class="button" href="{}">{}</a></p>',
                reverse("admin:catalogue_procedureversion_change", args=[obj.current_version_id]),
                _("Edit the content (saving creates a new version)"),
            )
        return format_html("{}<ul>{}</ul>", edit, rows)

    def response_add(self, request, obj, post_url_continue=None):
        url = reverse("admin:catalogue_procedureversion_add") + f"?procedure={obj.pk}"
        messages.info(request, _("Now enter the content of the first version."))
        return admin.ModelAdmin.response_add(self, request, obj, post_url_continue=url)


class VersionChildInline(admin.TabularInline):
    extra = 0

    def _allowed(self, request):
        return permissions.can(request.user, Capability.MANAGE_CATALOGUE)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request, obj=None):
        return self._allowed(request)

    has_change_permission = has_add_permission
    has_delete_permission = has_add_permission


class ComponentInline(VersionChildInline):
    model = Component
    fields = [
        "order",
        "kind",
        "case",
        "name",
        "originals",
        "copies",
        "is_mandatory",
        "form_files",
    ]


class FeeInline(VersionChildInline):
    model = Fee
    fields = ["order", "name", "amount", "rule", "channel", "charged_at"]


class ProcessStepInline(VersionChildInline):
    model = ProcessStep
    fields = ["order", "name", "role", "agency", "department", "budget_hours", "is_inter_agency"]


class ListChoiceField(forms.MultipleChoiceField):
    """A JSON list column edited as checkboxes."""

    widget = forms.CheckboxSelectMultiple

    def prepare_value(self, value):
        return value if isinstance(value, list | tuple) else []


class ProcedureVersionForm(forms.ModelForm):
    levels = ListChoiceField(label=_("Levels"), choices=Level.choices)
    channels = ListChoiceField(label=_("Channels"), choices=Channel.choices)
    applicant_types = ListChoiceField(
        label=_("Applicant types"), choices=ApplicantType.choices, required=False
    )

    class Meta:
        model = ProcedureVersion
        fields = ["levels", "channels", "applicant_types"]  # the admin adds the rest


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(CatalogueScopedAdmin):
    form = ProcedureVersionForm
    agency_field = "procedure__owner_agency"
    list_display = ["procedure", "number", "status", "name", "published_at", "created_by"]
    list_filter = ["status"]
    search_fields = ["procedure__code", "name"]
    list_select_related = ["procedure", "created_by"]
    inlines = [ComponentInline, FeeInline, ProcessStepInline]
    readonly_fields = ["number", "status", "published_at", "created_by"]
    filter_horizontal = ["implementing_agencies"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "procedure",
                    "number",
                    "status",
                    "published_at",
                    "created_by",
                    "change_note",
                ]
            },
        ),
        (
            _("Identity"),
            {
                "fields": [
                    "name",
                    "field",
                    "procedure_type",
                    "levels",
                    "publishing_agency",
                    "decision_number",
                ]
            },
        ),
        (
            _("Agencies and applicants"),
            {
                "fields": [
                    "implementing_agency_text",
                    "implementing_agencies",
                    "competent_authority_text",
                    "deciding_agency",
                    "coordinating_agency_text",
                    "applicant_types",
                    "target_subjects",
                    "receiving_address",
                ]
            },
        ),
        (
            _("Channels and time limit"),
            {
                "fields": [
                    "channels",
                    "online_level",
                    "online_note",
                    "boundary_independent",
                    "supplement_clock",
                    "time_limit_value",
                    "time_limit_unit",
                    "time_limit_text",
                ]
            },
        ),
        (
            _("Content"),
            {
                "fields": [
                    "steps_text",
                    "requirements",
                    "documents_note",
                    "result",
                    "fees_text",
                    "legal_basis",
                    "legal_basis_text",
                ]
            },
        ),
        (_("Online filing"), {"fields": ["eform"]}),  # checked by ProcedureVersion.clean
    ]

    def get_readonly_fields(self, request, obj=None):
        if obj or getattr(request, "_motcua_source_version", None):
            return [*self.readonly_fields, "procedure"]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "procedure":
            ids = self.scope_ids(request)
            qs = Procedure.objects.all()
            kwargs["queryset"] = qs if ids is None else qs.filter(owner_agency__in=ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if object_id:
            source = self.get_object(request, object_id)
            if source is not None and source.status != ProcedureVersion.Status.DRAFT:
                if request.method == "GET":
                    messages.info(
                        request,
                        _(
                            "Saving creates a new published version; this one stays as it is for "
                            "dossiers already received."
                        ),
                    )
                if request.method == "POST":
                    if not self.has_change_permission(request, source):
                        raise PermissionDenied
                    request.POST = request.POST.copy()
                    request.POST["_saveasnew"] = "1"
                    request._motcua_source_version = source
        with transaction.atomic():
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        source = getattr(request, "_motcua_source_version", None)
        if source is not None:
            obj.procedure = source.procedure
            for name in CARRIED_OVER:
                setattr(obj, name, getattr(source, name))
        Procedure.objects.select_for_update().filter(pk=obj.procedure_id).first()
        if obj.pk is None:
            last = obj.procedure.versions.aggregate(n=Max("number"))["n"] or 0
            obj.number = last + 1
            obj.status = ProcedureVersion.Status.DRAFT
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        version = form.instance
        if version.status == ProcedureVersion.Status.DRAFT:
            publish_version(version, actor=request.user)
            messages.success(
                request, _("Version %(n)s is now the published version.") % {"n": version.number}
            )
            # Other apps' work on a published version (the fee items: payments.from_catalogue).
            for line in hooks.run([version]):
                messages.info(request, line)
