"""Ratings and the feedback register in the admin, read-only for system administrators:
they change only through the services (the portal, the device page, the back office)."""

from django.contrib import admin

from motcua.organisations.admin_access import SystemAdministratorsEdit

from .models import Feedback, Rating


class ReadOnly(SystemAdministratorsEdit):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Rating)
class RatingAdmin(ReadOnly):
    list_display = ["dossier", "channel", "level", "liked", "counter_code", "officer", "created_at"]
    list_filter = ["channel", "level", "liked"]
    search_fields = ["dossier__code", "counter_code", "ticket_number"]
    list_select_related = ["dossier", "officer"]


@admin.register(Feedback)
class FeedbackAdmin(ReadOnly):
    list_display = ["reference", "state", "subject", "classification", "agency", "received_at"]
    list_filter = ["state", "subject", "classification", "source"]
    search_fields = ["reference", "title"]
    list_select_related = ["agency"]
