"""Attempt counters and django-axes' sign-in records, for a system administrator who must lift
a block early (delete the row: the tracking counter, or the username and address's access
attempt) or look into failed sign-ins: nothing else about them is editable, and deletions are
audited."""

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin

from motcua.organisations.admin_access import SystemAdministratorsOnly

from .models import AttemptCounter


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
