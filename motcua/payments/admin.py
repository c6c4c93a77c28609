"""Fees and receipt series in the admin, for system administrators (every change audited);
requests, attempts, receipts and refunds read-only there: they change only through the
services (the cashier's pages)."""

from django.contrib import admin

from motcua.organisations.admin_access import SystemAdministratorsEdit

from .models import FeeExemption, FeeItem, PaymentAttempt, PaymentRequest, Receipt, ReceiptSeries


class ExemptionInline(admin.TabularInline):
    model = FeeExemption
    extra = 0


@admin.register(FeeItem)
class FeeItemAdmin(SystemAdministratorsEdit):
    list_display = ["name", "version", "kind", "amount", "rule", "channel", "collected_at"]
    list_filter = ["kind", "rule", "collected_at", "channel"]
    search_fields = ["name", "version__procedure__code"]
    raw_id_fields = ["version"]
    list_select_related = ["version__procedure"]
    inlines = [ExemptionInline]


@admin.register(ReceiptSeries)
class ReceiptSeriesAdmin(SystemAdministratorsEdit):
    list_display = ["template_symbol", "series_symbol", "agency", "collector_tax_code", "is_active"]
    list_filter = ["is_active"]


class ReadOnly(SystemAdministratorsEdit):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PaymentRequest)
class PaymentRequestAdmin(ReadOnly):
    list_display = ["reference", "dossier", "stage", "state", "total", "paid_at"]
    list_filter = ["state", "stage"]
    search_fields = ["reference", "dossier__code"]
    list_select_related = ["dossier"]


@admin.register(PaymentAttempt)
class PaymentAttemptAdmin(ReadOnly):
    list_display = ["request", "method", "state", "amount", "created_by", "confirmed_at"]
    list_filter = ["state", "method"]
    list_select_related = ["request", "created_by"]


@admin.register(Receipt)
class ReceiptAdmin(ReadOnly):
    list_display = ["series", "year", "number", "payer_name", "total", "issued_at"]
    list_filter = ["series", "year"]
    search_fields = ["payer_name"]
    list_select_related = ["series"]
