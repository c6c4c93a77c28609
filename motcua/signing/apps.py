from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigningConfig(AppConfig):
    name = "motcua.signing"
    verbose_name = _("Digital signatures")

    def ready(self) -> None:
        from django.conf import settings

        from motcua.dossiers import lifecycle

        from . import results

        # In the approval's transaction: approved and signed together, or neither.
        lifecycle.subscribe(results.on_event, batch=results.on_batch)
        # Both doors hand out a result's signed version once it exists.
        from motcua.dossiers import attachments

        attachments.hand_out_version(results.signed_version)
        # Uploads that carry signatures are validated on receipt.
        from . import uploads

        attachments.when_stored(uploads.check_uploads)
        # The forms handed to applicants, sealed when MOTCUA_SIGN_FORMS says so.
        from motcua.documents import pdf

        from . import forms

        pdf.add_finisher(forms.seal_form)
        # Receipts of fees and charges, sealed by the collecting agency likewise.
        from motcua.payments import receipts

        receipts.add_finisher(forms.seal_receipt)
        if settings.MOTCUA_DEMO_PKI:  # the demo token's PIN, never a deployment's
            from .demo import demo_secrets

            demo_secrets()
