"""What a signed PDF says about itself, judged by pyHanko against the configured trust roots:
who signed, when, whether the document is intact since, whether the signer is trusted, and the
timestamp. Used by the public verification page and API, and on receipt of uploads that claim
a signature (a citizen's signed declaration)."""

import io
from dataclasses import asdict, dataclass, field
from datetime import datetime

from asn1crypto import x509
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.misc import PdfReadError as HankoReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature

from .service import validation_context


@dataclass
class SignatureReport:
    field: str
    signer: str
    organisation: str
    certificate_sha256: str
    signed_at: datetime | None
    timestamp_at: datetime | None
    intact: bool
    valid: bool
    trusted: bool
    timestamp_ok: bool | None
    whole_document: bool  # nothing added since but later signatures and validation data
    modified_after: str  # pyHanko's modification level
    summary: str
    bottom_line: bool = False  # pyHanko's verdict: intact, valid, trusted, changes allowed

    @property
    def ok(self) -> bool:
        return self.bottom_line and self.whole_document

    def as_dict(self) -> dict:
        data = asdict(self)
        for key in ("signed_at", "timestamp_at"):
            data[key] = data[key].isoformat() if data[key] else None
        data["ok"] = self.ok
        return data


@dataclass
class Report:
    readable: bool
    signatures: list[SignatureReport] = field(default_factory=list)
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.readable and bool(self.signatures) and all(s.ok for s in self.signatures)


def _name_part(name: x509.Name, key: str) -> str:
    return str(name.native.get(key, "") or "")


def validate(pdf: bytes) -> Report:
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = list(reader.embedded_regular_signatures)
    except (HankoReadError, ValueError, KeyError, TypeError, IndexError) as exc:
        return Report(
            False, error=_("The file is not a readable PDF (%s).") % exc.__class__.__name__
        )
    if reader.encrypted:
        return Report(False, error=_("The PDF is encrypted."))
    report = Report(True)
    context = validation_context()
    for signature in embedded:
        try:
            status = validate_pdf_signature(signature, signer_validation_context=context)
        except Exception as exc:  # a malformed signature is reported, never a 500
            report.signatures.append(_broken(signature, exc))
            continue
        cert = status.signing_cert
        ts = status.timestamp_validity
        report.signatures.append(
            SignatureReport(
                field=signature.field_name,
                signer=_name_part(cert.subject, "common_name"),
                organisation=_name_part(cert.subject, "organization_name"),
                certificate_sha256=cert.sha256.hex(),
                signed_at=status.signer_reported_dt,
                timestamp_at=ts.timestamp if ts is not None else None,
                intact=status.intact,
                valid=status.valid,
                trusted=status.trusted,
                timestamp_ok=(ts.intact and ts.valid and ts.trusted) if ts is not None else None,
                whole_document=_covers(status),
                bottom_line=status.bottom_line,
                modified_after=status.modification_level.name if status.modification_level else "",
                summary=status.summary(),
            )
        )
    return report


ALLOWED_LATER = {"NONE", "LTA_UPDATES", "FORM_FILLING"}  # FORM_FILLING: a later signature


def _covers(status) -> bool:
    if status.coverage is None or status.coverage.name not in ("ENTIRE_FILE", "ENTIRE_REVISION"):
        return False
    if status.coverage.name == "ENTIRE_FILE":
        return True
    level = status.modification_level
    return status.docmdp_ok is not False and level is not None and level.name in ALLOWED_LATER


def _broken(signature, exc: Exception) -> SignatureReport:
    return SignatureReport(
        field=getattr(signature, "field_name", "") or "",
        signer="",
        organisation="",
        certificate_sha256="",
        signed_at=None,
        timestamp_at=None,
        intact=False,
        valid=False,
        trusted=False,
        timestamp_ok=None,
        whole_document=False,
        modified_after="",
        summary=exc.__class__.__name__,
    )
