"""The outbox and the task results in the admin, for system administrators only: what waits,
what failed and why (the last error), and a "retry" action for dead letters. Nothing is
edited by hand; deleting a dead letter is audited."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from motcua.organisations.admin_access import SystemAdministratorsOnly

from .models import OutboxMessage, PeriodicJob
from .services import retry_messages


@admin.register(OutboxMessage)
class OutboxMessageAdmin(SystemAdministratorsOnly):
    list_display = ["id", "topic", "key", "state", "attempts", "available_at", "created_at"]
    list_filter = ["state", "topic"]
    search_fields = ["key"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    readonly_fields = [
        "topic",
        "key",
        "payload",
        "state",
        "attempts",
        "available_at",
        "leased_until",
        "leased_by",
        "last_error",
        "created_at",
        "delivered_at",
    ]

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Only dead letters: a waiting message is a commitment of the system.
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.state == OutboxMessage.State.DEAD)

    @admin.action(description=_("Retry the selected messages now"))
    def retry(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        count = retry_messages(queryset, actor=request.user)
        text = ngettext(
            "%(count)d message will be delivered again.",
            "%(count)d messages will be delivered again.",
            count,
        )
        self.message_user(request, text % {"count": count}, messages.SUCCESS)


@admin.register(PeriodicJob)
class PeriodicJobAdmin(SystemAdministratorsOnly):
    list_display = ["name", "next_run_at", "last_enqueued_at"]
    readonly_fields = ["name", "next_run_at", "last_enqueued_at"]

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


# django-tasks-db registers its task results for whoever has Django's model permissions;
# here they are, read-only, for system administrators only.
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(SystemAdministratorsOnly, DBTaskResultAdmin):
    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
