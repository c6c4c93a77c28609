"""Each back end signs a PDF that two validators written by others accept: pdfsig (poppler,
NSS trusting the test root) and pyHanko's validator (validation.py); one flipped byte is
reported invalid by both. A token is chosen by CKA_ID: by label alone, as pyHanko #457's
Vietnamese user found, the key is not found."""

import asyncio
import io
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from motcua.signing import appearance as looks
from motcua.signing import backends, images, service, validation
from motcua.signing.errors import SigningFailed

from .conftest import pdfsig, result_pdf


def p12_spec(folder: Path) -> backends.KeySpec:
    return backends.KeySpec(
        backends.Backend.PKCS12,
        pkcs12_path=str(folder / "seal.p12"),
        secret_env="MOTCUA_TEST_PASSPHRASE",
    )


def hsm_spec(conf: Path, **changes) -> backends.KeySpec:
    from motcua.signing import softhsm

    values = {
        "backend": backends.Backend.PKCS11,
        "module": softhsm.module_path() or "",
        "token_label": "motcua-test",
        "key_id": "01",
        "secret_env": "MOTCUA_TEST_PIN",
        "softhsm_conf": str(conf),
    }
    values.update(changes)
    return backends.KeySpec(**values)


COPY = looks.Appearance(looks.Kind.COPY, organisation="Ủy ban nhân dân phường Thành Sen")


def sign(spec: backends.KeySpec, pdf: bytes | None = None, look=COPY) -> bytes:
    with backends.open_signer(spec) as signer:
        return service.sign_pdf(pdf or result_pdf(), signer=signer, look=look, reason="Thử")


def flipped(pdf: bytes) -> bytes:
    """One byte changed inside the signed content (the page's text stream)."""
    at = pdf.index(b"stream", 200) + 20
    return pdf[:at] + bytes([pdf[at] ^ 0x01]) + pdf[at + 1 :]


def check_both(tmp_path: Path, nss: Path, signed: bytes) -> None:
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    out = pdfsig(path, nss)
    assert "Signature is Valid" in out and "Certificate is Trusted" in out, out
    report = validation.validate(signed)
    assert report.ok, [s.summary for s in report.signatures]
    (only,) = report.signatures
    assert only.summary == "INTACT:TRUSTED,TIMESTAMP_TOKEN<INTACT:TRUSTED>,UNTOUCHED"
    assert only.timestamp_at is not None and only.signer
    bad = tmp_path / "tampered.pdf"
    bad.write_bytes(flipped(signed))
    out = pdfsig(bad, nss)
    assert "Signature is Valid" not in out and "Digest Mismatch" in out, out
    report = validation.validate(bad.read_bytes())
    assert not report.ok and not report.signatures[0].intact


def test_pkcs12_signature_is_valid_in_pdfsig_and_pyhanko(demo_pki, nss, tmp_path):
    folder, issued = demo_pki
    signed = sign(p12_spec(folder))
    check_both(tmp_path, nss, signed)
    assert validation.validate(signed).signatures[0].signer == "UBND phường Thành Sen"


def test_pkcs11_token_chosen_by_cka_id(token, nss, tmp_path):
    signed = sign(hsm_spec(token))
    check_both(tmp_path, nss, signed)


def test_a_label_alone_does_not_find_the_key_on_such_a_token(token):
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.general import SigningError
    from pyhanko.sign.pkcs11 import PKCS11Error, PKCS11Signer, open_pkcs11_session

    from motcua.signing import softhsm

    session = open_pkcs11_session(
        softhsm.module_path() or "",
        token_criteria=TokenCriteria(label="motcua-test"),
        user_pin="246810",
    )
    try:
        signer = PKCS11Signer(session, cert_label=softhsm.CERT_LABEL)
        with pytest.raises((SigningError, PKCS11Error), match="Could not find private key"):
            asyncio.run(signer.async_sign_raw(b"data", "sha256"))
    finally:
        session.close()


def test_a_wrong_pin_or_missing_secret_is_a_clear_refusal(token, monkeypatch):
    monkeypatch.setenv("MOTCUA_TEST_PIN", "000000")
    with pytest.raises(SigningFailed) as refused:
        sign(hsm_spec(token))
    assert refused.value.code == "token_unavailable"
    monkeypatch.delenv("MOTCUA_TEST_PIN")
    with pytest.raises(SigningFailed) as refused:
        sign(hsm_spec(token))
    assert refused.value.code == "secret_missing"


def test_not_a_pdf_is_refused(demo_pki):
    folder, _ = demo_pki
    with pytest.raises(SigningFailed) as refused:
        sign(p12_spec(folder), pdf=b"%PDF-1.4 rubbish")
    assert refused.value.code == "not_a_pdf"


def test_the_copy_stamp_reads_as_decree_30_asks():
    """Part II.I: the form of copy, the organisation, the ISO 8601 time (Vietnam's offset)."""
    from datetime import datetime

    at = datetime.fromisoformat("2026-12-05T03:41:07+00:00")
    stamp = looks.render(COPY, at)
    text = PdfReader(io.BytesIO(stamp)).pages[0].extract_text()
    assert text.split("\n") == [
        "SAO Y",
        "Ủy ban nhân dân phường Thành Sen",
        "2026-12-05T10:41:07+07:00",
    ]
    fonts = {f["/BaseFont"] for f in _fonts(stamp)}
    assert any("LiberationSerif" in f for f in fonts), fonts


def _fonts(pdf: bytes):
    reader = PdfReader(io.BytesIO(pdf))
    resources: Any = reader.pages[0]["/Resources"]
    return [f.get_object() for f in resources["/Font"].values()]


def test_external_signer_value_checked_against_the_certificate(demo_pki):
    """The agent's signature over the signed attributes is verified with the certificate's key
    (the same check finish_session makes)."""
    from motcua.signing.sessions import _certificate, _check_value

    folder, issued = demo_pki
    key, cert, _chain = pkcs12.load_key_and_certificates(
        (folder / "official.p12").read_bytes(), b"mat-khau-demo"
    )
    assert isinstance(key, rsa.RSAPrivateKey) and cert is not None
    data = b"signed attributes"
    value = key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    der = cert.public_bytes(serialization.Encoding.DER)
    _check_value(_certificate(der), value, data)
    with pytest.raises(SigningFailed):
        _check_value(_certificate(der), value, data + b"!")


def test_images_are_recoloured_as_the_decree_requires():
    from PIL import Image

    blue = Image.open(io.BytesIO(images.recolour(images.demo_image("signature"), images.BLUE)))
    assert solid(blue) == images.BLUE
    seal = images.demo_image("seal", top="A", middle="", bottom="B")
    assert solid(Image.open(io.BytesIO(images.recolour(seal, images.RED)))) == images.RED
    with pytest.raises(ValidationError):
        images.recolour(b"not an image", images.RED)


def solid(image) -> tuple[int, ...]:
    """The one colour of an image whose ink is only in its alpha channel (none: not solid)."""
    red, green, blue, alpha = image.split()
    assert alpha.getextrema()[1] == 255  # some ink
    ranges = [band.getextrema() for band in (red, green, blue)]
    assert all(low == high for low, high in ranges), ranges
    return tuple(low for low, _ in ranges)
