"""The notices in the admin, for system administrators: what was sent to whom, through
which channel, or why not (state, reason, last error), with "send again" for the refused;
the templates (the words, per event and language) and the people's preferences, edited
there and audited."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from motcua.organisations.admin_access import SystemAdministratorsEdit, SystemAdministratorsOnly

from .models import ContactPreference, NoticeTemplate, Notification
from .services import send_again


@admin.register(Notification)
class NotificationAdmin(SystemAdministratorsOnly):
    list_display = ["id", "dossier", "notice", "channel", "recipient", "state", "sent_at"]
    list_filter = ["state", "channel", "notice"]
    search_fields = ["recipient", "dossier__code"]
    date_hierarchy = "created_at"
    list_select_related = ["dossier"]
    actions = ["send_again"]
    readonly_fields = [
        "dossier",
        "event",
        "notice",
        "channel",
        "recipient",
        "language",
        "state",
        "reason",
        "subject",
        "text",
        "attempts",
        "last_error",
        "provider_reference",
        "created_at",
        "sent_at",
    ]

    @admin.action(description=_("Send the selected notices again"))
    def send_again(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        count = send_again(queryset, actor=request.user)
        text = ngettext(
            "%(count)d notice will be sent again.", "%(count)d notices will be sent again.", count
        )
        self.message_user(request, text % {"count": count}, messages.SUCCESS)


@admin.register(NoticeTemplate)
class NoticeTemplateAdmin(SystemAdministratorsEdit):
    list_display = ["event", "language", "subject", "zalo_template_id", "active"]
    list_filter = ["event", "language", "active"]


@admin.register(ContactPreference)
class ContactPreferenceAdmin(SystemAdministratorsEdit):
    list_display = ["address", "email", "sms", "zalo", "language", "opted_out_at", "updated_at"]
    list_filter = ["email", "sms", "zalo"]
    search_fields = ["address"]
