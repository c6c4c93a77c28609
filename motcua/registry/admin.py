from django.contrib import admin

from motcua.organisations.admin import AgencyScopedAdmin

from .models import DigitisedDocument


@admin.register(DigitisedDocument)
class DigitisedDocumentAdmin(AgencyScopedAdmin):
    """The registry as an agency's records office sees it: its own digitised documents and
    results, read-only (they are made by the intake and the results)."""

    list_display = ["name", "kind", "owner_name", "agency", "digitised_at", "dpi", "reuse_count"]
    list_filter = ["kind", "colour"]
    search_fields = ["name", "owner_name", "owner_id_number", "dossier__code", "number"]
    list_select_related = ["agency"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
