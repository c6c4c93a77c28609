"""The public verification of a signed PDF (issue 17 §1): anyone uploads a PDF and learns who
signed it, when, whether it is intact and whether the signer is trusted. Limited per address
(MOTCUA_VERIFY_PER_HOUR, default 60): validation costs the server time. Nothing uploaded is
kept."""

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.throttle import services as throttle

from . import validation
from .errors import SigningFailed


def max_bytes() -> int:
    return int(getattr(settings, "MOTCUA_MAX_UPLOAD_MB", 20)) * 1024 * 1024


def verify_upload(upload, *, client: str) -> validation.Report:
    limit = int(getattr(settings, "MOTCUA_VERIFY_PER_HOUR", 60))
    if not throttle.hit(f"verify:{client}", limit=limit, window_seconds=3600):
        raise SigningFailed(
            "too_many", _("Too many checks from this address; try again later."), 429
        )
    if upload is None:
        raise SigningFailed("file_required", _("Choose the PDF file to check."))
    if upload.size > max_bytes():
        raise SigningFailed(
            "too_large", _("The file is larger than %(mb)s MB.") % {"mb": max_bytes() // 2**20}, 413
        )
    data = upload.read()
    if not data.startswith(b"%PDF-"):
        raise SigningFailed("not_a_pdf", _("The file is not a PDF."))
    return validation.validate(data)
