"""Where a signature comes from (capabilities.md §4.4): a PKCS#12 file (an agency's seal on
forms, receipts and copies), a PKCS#11 token or HSM (keys chosen by CKA_ID in hex: choosing by
label alone fails with the tokens Vietnamese CAs issue, pyHanko #457), or an official's own
token through the two-step external flow (sessions.py), so that tokens never reach the server.

Secrets never sit in the database: a key names the environment variables that hold its
passphrase or PIN."""

import os
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from django.utils.translation import gettext as _
from pyhanko.sign import signers
from pyhanko.sign.general import SigningError
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from .errors import SigningFailed


class Backend:
    PKCS12 = "pkcs12"
    PKCS11 = "pkcs11"
    EXTERNAL = "external"


@dataclass(frozen=True)
class KeySpec:
    backend: str
    pkcs12_path: str = ""
    module: str = ""  # PKCS#11 module (.so)
    token_label: str = ""
    key_id: str = ""  # CKA_ID in hex, as `pkcs11-tool -O` prints it
    cert_id: str = ""  # defaults to key_id
    secret_env: str = ""  # the variable holding the passphrase (PKCS#12) or the PIN (PKCS#11)
    softhsm_conf: str = ""  # SoftHSM2 only: its configuration file (the demo token)


def _secret(spec: KeySpec) -> str:
    if not spec.secret_env:
        return ""
    value = os.environ.get(spec.secret_env)
    if value is None:
        raise SigningFailed(
            "secret_missing",
            _("The environment variable %s holding the key's secret is not set.") % spec.secret_env,
        )
    return value


class Pkcs12Signer(signers.SimpleSigner):
    """pyHanko's SimpleSigner, with the private key parsed once: SimpleSigner parses it again
    for every signature, and OpenSSL's check of an RSA key costs ~60 ms of the ~200 ms a
    signature takes (make bench)."""

    @cached_property
    def _private_key(self):
        return serialization.load_der_private_key(self.signing_key.dump(), password=None)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        key = self._private_key
        if mechanism.signature_algo == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
            return key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        return super().sign_raw(data, digest_algorithm)


@lru_cache(maxsize=32)
def _pkcs12(path: str, mtime: float, passphrase: str) -> Pkcs12Signer | None:
    """The file read and decrypted once per process (and again when it changes)."""
    loaded = signers.SimpleSigner.load_pkcs12(path, passphrase=passphrase.encode() or None)
    if loaded is None:
        return None
    return Pkcs12Signer(
        signing_cert=loaded.signing_cert,
        signing_key=loaded.signing_key,
        cert_registry=loaded.cert_registry,
    )


@contextmanager
def open_signer(spec: KeySpec):
    """A pyHanko signer for the key, with its token session closed afterwards."""
    if spec.backend == Backend.PKCS12:
        path = Path(spec.pkcs12_path)
        if not path.is_file():
            raise SigningFailed("key_missing", _("The key file %s is missing.") % path)
        signer = _pkcs12(str(path), path.stat().st_mtime, _secret(spec))
        if signer is None:
            raise SigningFailed(
                "key_unreadable", _("The key file cannot be read with its passphrase.")
            )
        yield signer
        return
    if spec.backend == Backend.PKCS11:
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

        if spec.softhsm_conf:
            os.environ.setdefault("SOFTHSM2_CONF", spec.softhsm_conf)
        if not Path(spec.module).is_file():
            raise SigningFailed(
                "module_missing", _("The PKCS#11 module %s is missing.") % spec.module
            )
        pin = _secret(spec) or None
        try:
            session = open_pkcs11_session(
                spec.module,
                token_criteria=TokenCriteria(label=spec.token_label or None),
                user_pin=pin,
            )
        except (SigningError, Exception) as exc:  # the token absent, locked, or the PIN wrong
            raise SigningFailed(
                "token_unavailable", _("The signing token cannot be opened: %s") % exc
            ) from exc
        try:
            key_id = bytes.fromhex(spec.key_id)
            yield PKCS11Signer(
                session, key_id=key_id, cert_id=bytes.fromhex(spec.cert_id or spec.key_id)
            )
        finally:
            session.close()
        return
    raise SigningFailed("no_server_key", _("This key signs on the official's own device."))
