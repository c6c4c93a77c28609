from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "motcua.payments"
    verbose_name = _("Fees and payments")

    def ready(self) -> None:
        from motcua.dossiers import lifecycle
        from motcua.outbox import consumers, schedule

        from . import checks, dues, receipts, tasks  # noqa: F401 - checks registers itself
        from .collection import RECEIPT_TOPIC
        from .refunds import REFUND_TOPIC

        # In the transition's transaction: what is owed commits with the reception or not at all.
        lifecycle.subscribe(dues.on_event)
        # Mẫu 01 tells the applicant what is owed and how to pay it.
        from motcua.documents import forms

        forms.add_receipt_notes(receipts.receipt_slip_notes)
        # Fee items from the fees the national catalogue publishes, in the import's transaction.
        from motcua.catalogue.interchange import hooks

        from . import from_catalogue

        hooks.after_import(from_catalogue.on_import)
        consumers.register(RECEIPT_TOPIC, receipts.on_issued)
        consumers.register(REFUND_TOPIC, receipts.on_refunded)
        # Open payments on the national platform: asked about when their backoff says so.
        schedule.every(schedule.MINUTE, tasks.query_pending_payments, name="payments.query")
