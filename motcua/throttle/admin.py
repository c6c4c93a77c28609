"""Attempt counters and django-axes' sign-in records, for a system administrator who must lift
a block early (delete the row: the tracking counter, or the username and address's access
attempt) or look into failed sign-ins: nothing else about them is editable, and deletions are
audited."""

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin

from motcua.audit.admin_changes import AuditedDeletions
from motcua.organisations import permissions

from .models import AttemptCounter


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


@admin.register(AttemptCounter)
class AttemptCounterAdmin(SystemAdministratorsOnly):
    list_display = ["key", "count", "expires_at"]
    search_fields = ["key"]
    readonly_fields = ["key", "count", "expires_at"]


# Axes' own admin pages are switched off (AXES_ENABLE_ADMIN) and registered here instead, with
# the same permissions as the counters above.
@admin.register(AccessAttempt)
class AccessAttemptAdmin(SystemAdministratorsOnly, axes_admin.AccessAttemptAdmin):
    pass


@admin.register(AccessFailureLog)
class AccessFailureLogAdmin(SystemAdministratorsOnly, axes_admin.AccessFailureLogAdmin):
    pass


@admin.register(AccessLog)
class AccessLogAdmin(SystemAdministratorsOnly, axes_admin.AccessLogAdmin):
    pass
