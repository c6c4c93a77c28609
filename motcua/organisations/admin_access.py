"""Admin pages that only system administrators open: read-only but for audited deletions
(operational records: tracking counters, sign-in records, the outbox, background tasks), or
editable with every change audited (settings kept as data: notice templates, fee items)."""

from django.db import transaction

from motcua.audit.admin_changes import AuditedDeletions
from motcua.audit.services import record_event

from . import permissions


class SystemAdministratorsOnly(AuditedDeletions):
    def has_module_permission(self, request):
        return permissions.is_system_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    has_delete_permission = has_view_permission

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SystemAdministratorsEdit(AuditedDeletions):
    """Editable by system administrators only; every save recorded in the audit log."""

    def has_module_permission(self, request):
        return permissions.is_system_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    has_change_permission = has_view_permission
    has_delete_permission = has_view_permission

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            action = "changed" if change else "created"
            record_event(
                f"{obj._meta.model_name}.{action}",
                obj,
                actor=request.user,
                fields=sorted(form.changed_data),
            )
