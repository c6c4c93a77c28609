"""QR codes on the printed forms: they open the public tracking page of the dossier
(Circular 01/2018 art. 19 allows barcodes and QR codes beside the dossier code).

The address is the deployment's public one (MOTCUA_PUBLIC_URL). In development with no
MOTCUA_PUBLIC_URL, a form printed from a page uses the address the browser reached the server
at (`served_at(request)`), so the QR code of a demo opens the running server.
"""

import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.http import HttpRequest

_request_base: ContextVar[str | None] = ContextVar("motcua_request_base", default=None)


def public_base() -> str:
    """The base address printed on the forms, without a trailing slash."""
    base = _request_base.get() or settings.MOTCUA_PUBLIC_URL
    return base.rstrip("/")


@contextmanager
def served_at(request: HttpRequest) -> Iterator[None]:
    """Forms rendered inside use the request's scheme and host, in development only and
    only when no public address is configured."""
    if not settings.DEBUG or getattr(settings, "MOTCUA_PUBLIC_URL_SET", True):
        yield
        return
    token = _request_base.set(request.build_absolute_uri("/"))
    try:
        yield
    finally:
        _request_base.reset(token)


def tracking_url(code: str) -> str:
    """`<public address>/tra-cuu/?ma=<code>`."""
    return f"{public_base()}/tra-cuu/?{urlencode({'ma': code})}"


def qr_svg(text: str, *, scalable: bool = False) -> str:
    """An SVG QR code (error correction M, quiet zone of 2 modules) scaled by the template;
    `scalable` leaves the size out (a viewBox only), for a page whose CSS sizes it."""
    buffer = io.BytesIO()
    segno.make_qr(text, error="m").save(
        buffer, kind="svg", border=2, xmldecl=False, nl=False, omitsize=scalable
    )
    return buffer.getvalue().decode("ascii")
