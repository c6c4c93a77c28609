"""The signing settings (settings.py reads them from the environment; docs/signing.md)."""

from functools import cache
from pathlib import Path

from asn1crypto import pem, x509
from django.conf import settings


def demo_folder() -> Path | None:
    """The throwaway PKI of the demo and the tests (MOTCUA_DEMO_PKI: `manage.py make_demo_pki`
    writes it). Its root is trusted and its timestamp authority answers in-process. Never set
    in production."""
    value = getattr(settings, "MOTCUA_DEMO_PKI", "")
    return Path(value) if value else None


def tsa_url() -> str:
    """An RFC 3161 timestamp authority (MOTCUA_SIGNING_TSA_URL). Without one, and without the
    demo's, signatures are PAdES B-B (no timestamp): the report says so."""
    return getattr(settings, "MOTCUA_SIGNING_TSA_URL", "")


def fetch_revocation() -> bool:
    """B-LT: fetch CRL/OCSP for the signer's chain and embed them (MOTCUA_SIGNING_LTV, off by
    default: a commune PC often cannot reach the CA's servers)."""
    return bool(getattr(settings, "MOTCUA_SIGNING_LTV", False))


def trust_root_paths() -> list[Path]:
    paths = [Path(p) for p in getattr(settings, "MOTCUA_SIGNING_TRUST_ROOTS", []) if p]
    folder = demo_folder()
    if folder is not None and (folder / "root.pem").is_file():
        paths.append(folder / "root.pem")
    return paths


@cache
def _load(path: str, mtime: float) -> tuple[x509.Certificate, ...]:
    data = Path(path).read_bytes()
    if pem.detect(data):
        return tuple(x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True))
    return (x509.Certificate.load(data),)


def trust_roots() -> list[x509.Certificate]:
    roots: list[x509.Certificate] = []
    for path in trust_root_paths():
        if path.is_file():
            roots.extend(_load(str(path), path.stat().st_mtime))
    return roots


def sign_forms() -> bool:
    """Sign the forms handed to applicants (receipt slip, supplement and refusal slips, the
    apology letter) with the agency's seal: MOTCUA_SIGN_FORMS, off by default (an agency
    without a seal key could otherwise not print them)."""
    return bool(getattr(settings, "MOTCUA_SIGN_FORMS", False))
