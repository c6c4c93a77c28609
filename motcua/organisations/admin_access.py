"""Admin pages that only system administrators open, read-only but for audited deletions:
operational records (tracking counters, sign-in records, the outbox, background tasks)."""

from motcua.audit.admin_changes import AuditedDeletions

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
