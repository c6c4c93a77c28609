"""Admin for organisations, usable by an agency administrator: every list, form choice and
object is limited to the agencies the user manages (permissions.py decides which)."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

from motcua.audit.admin_changes import AuditedDeletions
from motcua.audit.services import record_event

from . import permissions, tokens
from .models import (
    AdministrativeUnit,
    Agency,
    AgencyAlias,
    ApiToken,
    Counter,
    Department,
    Membership,
    ReceptionPoint,
)
from .roles import DELEGABLE_ROLES, RESERVED_AGENCY_KINDS, Capability, Role
from .services import sync_staff_flag

User = get_user_model()


def admin_scope(request) -> permissions.AdminScope:
    """The administrator's scope, computed once per request."""
    if not hasattr(request, "_motcua_admin_scope"):
        request._motcua_admin_scope = permissions.admin_scope(request.user)
    return request._motcua_admin_scope


class AgencyScopedAdmin(AuditedDeletions):
    """Base for admins of agency-owned objects. `agency_field` is the lookup path from the
    model to its owning agency ("" for Agency itself)."""

    capability: str = Capability.MANAGE_AGENCY
    agency_field: str = "agency"

    def scope_ids(self, request) -> set[int] | None:
        cache = request.__dict__.setdefault("_motcua_scope", {})
        if self.capability not in cache:
            cache[self.capability] = permissions.agency_ids_for(request.user, self.capability)
        return cache[self.capability]

    def agency_of(self, obj) -> int | None:
        if obj is None:
            return None
        if not self.agency_field:
            return obj.pk
        target = obj
        for part in self.agency_field.split("__"):
            target = getattr(target, part, None)
        return target.pk if target is not None else None

    def in_scope(self, request, obj) -> bool:
        ids = self.scope_ids(request)
        return ids is None or obj is None or self.agency_of(obj) in ids

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        ids = self.scope_ids(request)
        if ids is None:
            return qs
        lookup = f"{self.agency_field}__in" if self.agency_field else "pk__in"
        return qs.filter(**{lookup: ids})

    def has_module_permission(self, request):
        return permissions.can(request.user, self.capability)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and self.in_scope(request, obj)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        ids = self.scope_ids(request)
        model = db_field.related_model
        if ids is not None and model is Agency:
            kwargs["queryset"] = Agency.objects.filter(pk__in=ids)
        elif ids is not None and model in (Department, ReceptionPoint):
            kwargs["queryset"] = model.objects.filter(agency__in=ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        action = "changed" if change else "added"
        record_event(
            f"{obj._meta.model_name}.{action}",
            obj,
            actor=request.user,
            fields=sorted(form.changed_data),
        )


class ScopedInline(admin.TabularInline):
    extra = 0

    def has_change_permission(self, request, obj=None):
        return permissions.can(request.user, Capability.MANAGE_AGENCY)

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission
    has_view_permission = has_change_permission


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(AuditedDeletions):
    list_display = [
        "code",
        "name",
        "kind",
        "division_type",
        "parent",
        "is_legacy",
        "valid_until",
        "successor",
    ]
    list_filter = ["kind", "is_legacy", ("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "name"]
    list_select_related = ["parent", "successor"]
    autocomplete_fields = ["parent", "successor"]

    def has_module_permission(self, request):
        return permissions.can(request.user, Capability.MANAGE_AGENCY)

    has_view_permission = lambda self, request, obj=None: self.has_module_permission(request)  # noqa: E731

    def has_add_permission(self, request):
        return permissions.is_system_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.is_system_admin(request.user)

    has_delete_permission = has_change_permission


class AgencyAliasInline(ScopedInline):
    """Old codes (Circular 10/2016 form, or from before a renumbering) of the agency."""

    model = AgencyAlias
    fields = ["code", "note"]


class DepartmentInline(ScopedInline):
    model = Department
    fields = ["code", "name", "is_active"]


class ReceptionPointInline(ScopedInline):
    model = ReceptionPoint
    fields = ["name", "address", "unit", "is_active"]
    autocomplete_fields = ["unit"]
    show_change_link = True


@admin.register(Agency)
class AgencyAdmin(AgencyScopedAdmin):
    agency_field = ""
    list_display = ["code", "name", "kind", "parent", "unit", "is_active", "valid_until"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name", "short_name", "aliases__code"]
    list_select_related = ["parent", "unit"]
    autocomplete_fields = ["unit", "parent", "successor"]
    inlines = [AgencyAliasInline, DepartmentInline, ReceptionPointInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "short_name", "kind", "parent", "unit", "is_active"]}),
        (_("Contact"), {"fields": ["address", "phone", "email"]}),
        (
            _("Validity"),
            {"fields": ["valid_from", "valid_until", "successor", "legal_basis"]},
        ),
    ]

    def has_add_permission(self, request):
        # A new agency must sit under one the user manages (checked on save).
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return permissions.is_system_admin(request.user)

    def get_readonly_fields(self, request, obj=None):
        # Only a system administrator changes what kind of body an agency is.
        if obj is not None and not admin_scope(request).is_system:
            return [*super().get_readonly_fields(request, obj), "kind"]
        return super().get_readonly_fields(request, obj)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "kind" and not admin_scope(request).is_system:
            kwargs["choices"] = [
                c for c in Agency.Kind.choices if c[0] not in RESERVED_AGENCY_KINDS
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        ids = self.scope_ids(request)
        scope = admin_scope(request)
        editing_own_root = obj is not None and ids is not None and obj.parent_id not in ids

        class ScopedAgencyForm(form_class):
            def clean_parent(self):
                parent = self.cleaned_data.get("parent")
                if ids is None or editing_own_root and parent == obj.parent:
                    return parent
                if parent is None or parent.pk not in ids:
                    raise ValidationError(_("The parent agency must be one you manage."))
                return parent

            def clean_kind(self):
                kind = self.cleaned_data.get("kind")
                refusal = permissions.agency_kind_refusal(scope, kind)
                if refusal:
                    raise ValidationError(refusal)
                return kind

        if editing_own_root and "parent" in form_class.base_fields:
            # The administrator's own top agency: its parent is outside their reach.
            form_class.base_fields["parent"].disabled = True
        return ScopedAgencyForm


class CounterInline(ScopedInline):
    model = Counter
    fields = ["number", "name", "is_active"]


@admin.register(ReceptionPoint)
class ReceptionPointAdmin(AgencyScopedAdmin):
    list_display = ["name", "agency", "address", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "address", "agency__name"]
    list_select_related = ["agency"]
    autocomplete_fields = ["unit"]
    inlines = [CounterInline]


@admin.register(Department)
class DepartmentAdmin(AgencyScopedAdmin):
    list_display = ["code", "name", "agency", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name", "agency__name"]
    list_select_related = ["agency"]


class MembershipForm(forms.ModelForm):
    """A role given to a user at an agency, checked against the administrator's scope
    (permissions.grant_refusal): one rule for the membership page and the staff page."""

    scope: permissions.AdminScope  # set by the admin for each request
    fixed_user = None  # the staff page's user, when the form is inline

    def clean(self):
        cleaned = super().clean()
        user = cleaned.get("user") or self.fixed_user
        agency, role = cleaned.get("agency"), cleaned.get("role")
        if self.instance.pk and not permissions.may_manage_user(self.scope, self.instance.user):
            raise ValidationError(_("You cannot change this account's roles."))
        if agency is not None and role and not cleaned.get("DELETE"):
            refusal = permissions.grant_refusal(self.scope, user, agency, role)
            if refusal:
                raise ValidationError(refusal)
        return cleaned


def delegable_role_choices(request) -> list[tuple[str, str]]:
    if admin_scope(request).is_system:
        return list(Role.choices)
    return [c for c in Role.choices if c[0] in DELEGABLE_ROLES]


@admin.register(Membership)
class MembershipAdmin(AgencyScopedAdmin):
    list_display = ["user", "agency", "department", "role", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "agency__name"]
    list_select_related = ["user", "agency", "department"]
    autocomplete_fields = ["user"]
    form = MembershipForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        return type("ScopedMembershipForm", (form_class,), {"scope": admin_scope(request)})

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (
            obj is None or permissions.may_manage_user(admin_scope(request), obj.user)
        )

    has_delete_permission = has_change_permission

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = permissions.manageable_users(admin_scope(request), User.objects)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role":
            kwargs["choices"] = delegable_role_choices(request)
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        sync_staff_flag(obj.user)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        sync_staff_flag(obj.user)

    def delete_queryset(self, request, queryset):
        # The bulk action checks no object: leave out the memberships of accounts that the
        # administrator may not manage (a peer's, a superuser's).
        manageable = permissions.manageable_users(admin_scope(request), User.objects)
        queryset = queryset.filter(user__in=manageable)
        users = {m.user for m in queryset.select_related("user")}
        super().delete_queryset(request, queryset)
        for user in users:
            sync_staff_flag(user)


class MembershipInline(ScopedInline):
    model = Membership
    fk_name = "user"
    form = MembershipForm
    fields = ["agency", "department", "role", "is_active"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        attrs = {"scope": admin_scope(request), "fixed_user": obj}
        formset.form = type("ScopedMembershipForm", (formset.form,), attrs)
        return formset

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        ids = admin_scope(request).managed
        return qs if ids is None else qs.filter(agency__in=ids)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        ids = admin_scope(request).managed
        if ids is not None and db_field.related_model is Agency:
            kwargs["queryset"] = Agency.objects.filter(pk__in=ids)
        elif ids is not None and db_field.related_model is Department:
            kwargs["queryset"] = Department.objects.filter(agency__in=ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role":
            kwargs["choices"] = delegable_role_choices(request)
        return super().formfield_for_choice_field(db_field, request, **kwargs)


admin.site.unregister(User)
# Roles are memberships (roles.py); Django's groups and permissions are not used, and their
# admin page would be one more way to hand out rights.
admin.site.unregister(Group)


@admin.register(User)
class StaffAdmin(AuditedDeletions, UserAdmin):
    """Staff accounts. An agency administrator sees the staff of the agencies they manage
    and changes only the accounts permissions.manageable_users allows (never their own, a
    superuser's, a system or peer administrator's, or one that also belongs elsewhere); they
    cannot grant superuser rights or Django permissions."""

    inlines = [MembershipInline]
    # Rights are memberships (roles.py): Django's groups and per-user permissions are not
    # shown, so nobody hands them out by mistake.
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    list_filter = ["is_staff", "is_superuser", "is_active"]

    def get_queryset(self, request):
        return permissions.visible_users(admin_scope(request), super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        if permissions.is_system_admin(request.user):
            return super().get_readonly_fields(request, obj)
        return ["is_staff", "is_superuser", "last_login", "date_joined"]

    def has_module_permission(self, request):
        return permissions.can(request.user, Capability.MANAGE_AGENCY)

    def has_view_permission(self, request, obj=None):
        if not self.has_module_permission(request):
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        if not self.has_view_permission(request, obj):
            return False
        return obj is None or permissions.may_manage_user(admin_scope(request), obj)

    def has_delete_permission(self, request, obj=None):
        return permissions.is_system_admin(request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        sync_staff_flag(form.instance)
        record_event("user.saved", form.instance, actor=request.user)

    def user_change_password(self, request, id, form_url=""):
        # The page checks has_change_permission itself; a successful change redirects.
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                user = User.objects.get(pk=id)
                record_event("user.password_changed", user, actor=request.user)
        return response


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedDeletions):
    """API tokens, for system administrators. The plain token is shown once, on the page
    right after it is created; only its hash is stored."""

    list_display = [
        "prefix",
        "name",
        "user",
        "created_at",
        "last_used_at",
        "expires_at",
        "is_revoked",
    ]
    list_filter = ["is_revoked"]
    search_fields = ["prefix", "name", "user__username"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    actions = ["revoke_selected"]

    def has_module_permission(self, request):
        return permissions.is_system_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    has_change_permission = has_view_permission
    has_delete_permission = has_view_permission

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name", "expires_at"]
        return ["prefix", "user", "name", "created_at", "last_used_at", "expires_at", "is_revoked"]

    def get_readonly_fields(self, request, obj=None):
        return ["prefix", "user", "created_at", "last_used_at"] if obj else []

    def save_model(self, request, obj, form, change):
        if not change:
            request._motcua_plain_token = tokens.fill_token(obj)
        super().save_model(request, obj, form, change)
        action = "apitoken.changed" if change else "apitoken.issued"
        record_event(action, obj, actor=request.user, fields=sorted(form.changed_data))

    def response_add(self, request, obj, post_url_continue=None):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("API token created"),
            "token": obj,
            "plain": request._motcua_plain_token,
        }
        response = TemplateResponse(request, "admin/organisations/apitoken/created.html", context)
        add_never_cache_headers(response)
        return response

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke_selected(self, request, queryset):
        for token in queryset.filter(is_revoked=False):
            tokens.revoke_token(token, actor=request.user)


def audited_password_change(request, extra_context=None):
    """The admin site's own "change my password" page, with the change audited."""
    with transaction.atomic():
        response = admin.site.password_change(request, extra_context)
        if request.method == "POST" and response.status_code == 302:
            record_event("user.password_changed", request.user, actor=request.user)
    return response
