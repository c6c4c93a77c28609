"""QR codes on the printed forms: they open the public tracking page of the dossier
(Circular 01/2018 art. 19 allows barcodes and QR codes beside the dossier code)."""

import io
from urllib.parse import urlencode

import segno
from django.conf import settings


def tracking_url(code: str) -> str:
    """`<MOTCUA_PUBLIC_URL>/tra-cuu/?ma=<code>`."""
    base = settings.MOTCUA_PUBLIC_URL.rstrip("/")
    return f"{base}/tra-cuu/?{urlencode({'ma': code})}"


def qr_svg(text: str) -> str:
    """An SVG QR code (error correction M, quiet zone of 2 modules) scaled by the template."""
    buffer = io.BytesIO()
    segno.make_qr(text, error="m").save(buffer, kind="svg", border=2, xmldecl=False, nl=False)
    return buffer.getvalue().decode("ascii")
