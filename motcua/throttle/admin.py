"""Attempt counters, for a system administrator who must lift a block early (delete the
row): nothing else about them is editable."""

from django.contrib import admin

from motcua.audit.admin_changes import AuditedDeletions
from motcua.organisations import permissions

from .models import AttemptCounter


@admin.register(AttemptCounter)
class AttemptCounterAdmin(AuditedDeletions):
    list_display = ["key", "count", "expires_at"]
    search_fields = ["key"]
    readonly_fields = ["key", "count", "expires_at"]

    def has_module_permission(self, request):
        return permissions.is_system_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    has_delete_permission = has_view_permission

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
