"""Sign a PDF: one service for every back end (capabilities.md §4.4).

PAdES baseline: B-T (a timestamp from the configured authority) by default, B-B when no
authority is configured, B-LT when revocation information may be fetched (conf.py). The
visible appearance is drawn by Typst (appearance.py) and placed as a static stamp.
"""

import io
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.general import SigningError
from pyhanko.stamp import StaticStampStyle
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from . import appearance as looks
from . import conf
from .errors import SigningFailed


class Profile:
    B_B = "PAdES-B-B"
    B_T = "PAdES-B-T"
    B_LT = "PAdES-B-LT"


def timestamper() -> timestamps.TimeStamper | None:
    url = conf.tsa_url()
    if url:
        from pyhanko.sign.timestamps.requests_client import HTTPTimeStamper

        return HTTPTimeStamper(url, timeout=10)
    folder = conf.demo_folder()
    if folder is not None and (folder / "tsa-key.pem").is_file():
        return demo_timestamper(folder)
    return None


def demo_timestamper(folder) -> timestamps.TimeStamper:
    from asn1crypto import keys, pem, x509
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    _, _, cert = pem.unarmor((folder / "tsa.pem").read_bytes())
    _, _, key = pem.unarmor((folder / "tsa-key.pem").read_bytes())
    return DummyTimeStamper(
        tsa_cert=x509.Certificate.load(cert), tsa_key=keys.PrivateKeyInfo.load(key)
    )


def profile() -> str:
    if conf.fetch_revocation():
        return Profile.B_LT
    return Profile.B_T if (conf.tsa_url() or conf.demo_folder()) else Profile.B_B


@dataclass(frozen=True)
class Placement:
    page: int  # 0-based; -1 is the last page
    box: tuple[int, int, int, int]


def placement(pdf: bytes, look: looks.Appearance) -> Placement:
    """The person's block on the last page, the text stamps on the first (appearance.py)."""
    try:
        reader = PdfReader(io.BytesIO(pdf))
        index = len(reader.pages) - 1 if look.kind == looks.Kind.PERSON else 0
        box = reader.pages[index].mediabox
    except (PdfReadError, ValueError, KeyError, IndexError) as exc:
        raise SigningFailed("not_a_pdf", _("The file is not a PDF that can be signed.")) from exc
    return Placement(index, looks.box_on(float(box.width), float(box.height), look))


@contextmanager
def stamped(pdf: bytes, look: looks.Appearance | None, at: datetime, name: str):
    """The new signature field and its appearance as a static stamp (none without `look`).
    pyHanko reads the stamp's file when it draws it, inside this block."""
    if look is None:
        yield fields.SigFieldSpec(name), None
        return
    where = placement(pdf, look)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as stamp:
        stamp.write(looks.render(look, at))
        stamp.flush()
        style = StaticStampStyle.from_pdf_file(stamp.name, border_width=0, background_opacity=1)
        yield fields.SigFieldSpec(name, on_page=where.page, box=where.box), style


def sign_pdf(
    pdf: bytes,
    *,
    signer: signers.Signer,
    look: looks.Appearance | None,
    reason: str = "",
    location: str = "",
    field_name: str | None = None,
    at: datetime | None = None,
) -> bytes:
    """The PDF signed by `signer` as an incremental update (what was there stays byte for
    byte), with a visible appearance when `look` is given."""
    at = at or timezone.now()
    name = field_name or f"motcua-{at.strftime('%Y%m%d%H%M%S%f')}"
    metadata = signers.PdfSignatureMetadata(
        field_name=name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
        use_pades_lta=False,
        embed_validation_info=conf.fetch_revocation(),
        validation_context=validation_context() if conf.fetch_revocation() else None,
    )
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except (PdfError, PdfReadError, ValueError, KeyError) as exc:
        raise SigningFailed("not_a_pdf", _("The file is not a PDF that can be signed.")) from exc
    if writer.security_handler is not None:
        raise SigningFailed("encrypted_pdf", _("An encrypted PDF cannot be signed."))
    try:
        with stamped(pdf, look, at, name) as (spec, style):
            pdf_signer = signers.PdfSigner(
                metadata,
                signer=signer,
                timestamper=timestamper(),
                stamp_style=style,
                new_field_spec=spec,
            )
            output = pdf_signer.sign_pdf(writer)
    except SigningError as exc:
        raise SigningFailed(
            "signing_failed", _("The signature could not be made: %s") % exc
        ) from exc
    return output.getvalue()


def validation_context():
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(trust_roots=conf.trust_roots(), allow_fetching=conf.fetch_revocation())
