"""A SoftHSM2 token set up like the USB tokens Vietnamese CAs issue, for the demo and the
tests: the private key labelled PRIVKEY and the certificate labelled "… Test-CA SHA2
Certificate", both with CKA_ID 01 (capabilities.md §4.3). A key chosen by label alone is not
found on such a token (pyHanko #457): motcua chooses keys by CKA_ID.

SoftHSM2 reads its configuration from the SOFTHSM2_CONF environment variable when the module
is first initialised in a process; `use_conf` sets it before that happens."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

MODULE_PATHS = (
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/local/lib/softhsm/libsofthsm2.so",
)
KEY_ID = b"\x01"
KEY_LABEL = "PRIVKEY"
CERT_LABEL = "motcua Test-CA SHA2 Certificate"


def module_path() -> str | None:
    return next((p for p in MODULE_PATHS if Path(p).is_file()), None)


def available() -> bool:
    return module_path() is not None and shutil.which("softhsm2-util") is not None


def use_conf(conf: Path) -> None:
    os.environ["SOFTHSM2_CONF"] = str(conf)


def create_token(
    folder: Path,
    *,
    label: str,
    pin: str,
    so_pin: str,
    key_pem: bytes,
    cert_der: bytes,
    more: tuple[tuple[bytes, bytes], ...] = (),
) -> Path:
    """A fresh token in `folder` holding the key and its certificate under CKA_ID 01 (and the
    `more` (key, certificate) pairs under 02, 03…); returns the path of the configuration
    file to put in SOFTHSM2_CONF."""
    tokens = folder / "tokens"
    if tokens.exists():
        shutil.rmtree(tokens)
    tokens.mkdir(parents=True)
    conf = folder / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n"
    )
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}

    def util(*args: str) -> None:
        subprocess.run(["softhsm2-util", *args], env=env, check=True, capture_output=True)

    util("--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", so_pin)
    for index, (key, cert) in enumerate(((key_pem, cert_der), *more), start=1):
        key_id = bytes([index])
        with tempfile.NamedTemporaryFile(suffix=".pem") as key_file:
            key_file.write(key)
            key_file.flush()
            util(
                "--import", key_file.name, "--token", label, "--label", KEY_LABEL,
                "--id", key_id.hex(), "--pin", pin,
            )  # fmt: skip
        _write_certificate(conf, label, pin, cert, key_id)
    return conf


def _write_certificate(conf: Path, label: str, pin: str, cert_der: bytes, key_id: bytes) -> None:
    """softhsm2-util imports keys only; the certificate goes in through PKCS#11 itself, in a
    child process so that this one's module keeps whatever configuration it was started with."""
    import sys

    from cryptography import x509

    subject = x509.load_der_x509_certificate(cert_der).subject.public_bytes()
    code = (
        "import sys, pkcs11\n"
        "from pkcs11 import Attribute, ObjectClass, CertificateType\n"
        "lib = pkcs11.lib(sys.argv[1])\n"
        "token = lib.get_token(token_label=sys.argv[2])\n"
        "value, subject = sys.stdin.read().split()\n"
        "with token.open(rw=True, user_pin=sys.argv[3]) as s:\n"
        "    s.create_object({Attribute.CLASS: ObjectClass.CERTIFICATE,\n"
        "        Attribute.CERTIFICATE_TYPE: CertificateType.X_509, Attribute.TOKEN: True,\n"
        "        Attribute.ID: bytes.fromhex(sys.argv[4]), Attribute.LABEL: sys.argv[5],\n"
        "        Attribute.SUBJECT: bytes.fromhex(subject),\n"
        "        Attribute.VALUE: bytes.fromhex(value)})\n"
    )
    subprocess.run(
        [sys.executable, "-c", code, module_path() or "", label, pin, key_id.hex(), CERT_LABEL],
        input=f"{cert_der.hex()} {subject.hex()}",
        text=True,
        env={**os.environ, "SOFTHSM2_CONF": str(conf)},
        check=True,
        capture_output=True,
    )
