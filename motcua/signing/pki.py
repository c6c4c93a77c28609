"""A throwaway public-key infrastructure for the demo and the tests: a root, an agency's seal,
an official, and a timestamp authority, with the key usages real Vietnamese CAs put in their
certificates (capabilities.md §4.3: pyHanko requires nonRepudiation of a signer and a critical
timeStamping extended key usage of a TSA, or it judges the signature invalid).

Nothing here is used in production: a deployment configures the certificates its CA issued
(docs/signing.md)."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

KEY_SIZE = 2048  # what Vietnamese CA tokens hold
# Valid since 2020, so that the demo's history and tests set in the past sign too.
SINCE = datetime(2020, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Issued:
    certificate: x509.Certificate
    key: rsa.RSAPrivateKey

    @property
    def der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)

    @property
    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def key_pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    def pkcs12(self, passphrase: bytes, chain: tuple["Issued", ...] = ()) -> bytes:
        return pkcs12.serialize_key_and_certificates(
            b"motcua",
            self.key,
            self.certificate,
            [c.certificate for c in chain] or None,
            serialization.BestAvailableEncryption(passphrase),
        )


def _name(common: str, organisation: str = "", uid: str = "") -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organisation:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    if uid:  # Vietnamese CAs put the tax code or the identity number in UID
        parts.append(x509.NameAttribute(NameOID.USER_ID, uid))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common))
    return x509.Name(parts)


def _usage(*, sign_certs: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=not sign_certs,  # nonRepudiation
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=sign_certs,
        crl_sign=sign_certs,
        encipher_only=False,
        decipher_only=False,
    )


def _issue(
    subject: x509.Name,
    issuer: "Issued | None",
    *,
    ca: bool = False,
    eku: list | None = None,
    days: int = 3650,
    now: datetime | None = None,
) -> Issued:
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    now = now or datetime.now(UTC)
    signer_key = issuer.key if issuer else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.certificate.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(min(now - timedelta(days=1), SINCE))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(_usage(sign_certs=ca), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False,
        )
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=True)
    return Issued(builder.sign(signer_key, hashes.SHA256()), key)


def root(now: datetime | None = None) -> Issued:
    return _issue(_name("motcua demo root CA", "motcua"), None, ca=True, now=now)


def seal(issuer: Issued, agency: str, uid: str, now: datetime | None = None) -> Issued:
    return _issue(_name(agency, agency, uid), issuer, now=now)


def person(issuer: Issued, name: str, organisation: str, uid: str, now=None) -> Issued:
    return _issue(_name(name, organisation, uid), issuer, now=now)


def tsa(issuer: Issued, now: datetime | None = None) -> Issued:
    return _issue(
        _name("motcua demo timestamp authority", "motcua"),
        issuer,
        eku=[ExtendedKeyUsageOID.TIME_STAMPING],
        now=now,
    )


@dataclass(frozen=True)
class DemoPki:
    root: Issued
    seal: Issued  # an agency's seal (PKCS#12 and the SoftHSM2 token)
    official: Issued  # a leader, signing through the external two-step flow
    tsa: Issued


def make(
    agency: str = "UBND phường Thành Sen",
    official: str = "Nguyễn Văn Phúc",
    now: datetime | None = None,
) -> DemoPki:
    top = root(now)
    return DemoPki(
        root=top,
        seal=seal(top, agency, "MST:3001234567", now),
        official=person(top, official, agency, "CCCD:042090001111", now),
        tsa=tsa(top, now),
    )


def write(pki: DemoPki, folder: Path, passphrase: bytes) -> None:
    """The files a deployment would be given: the root to trust, the seal as PKCS#12, the
    TSA's certificate and key (for the in-process demo authority), the official's PKCS#12
    (which in real life stays on the official's token)."""
    folder.mkdir(parents=True, exist_ok=True)
    write_root_and_tsa(pki.root, pki.tsa, folder)
    (folder / "seal.p12").write_bytes(pki.seal.pkcs12(passphrase, (pki.root,)))
    (folder / "official.p12").write_bytes(pki.official.pkcs12(passphrase, (pki.root,)))
    for name in ("seal.p12", "official.p12"):
        (folder / name).chmod(0o600)


def write_root_and_tsa(top: Issued, authority: Issued, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "root.pem").write_bytes(top.pem)
    (folder / "root-key.pem").write_bytes(top.key_pem)
    (folder / "tsa.pem").write_bytes(authority.pem)
    (folder / "tsa-key.pem").write_bytes(authority.key_pem)
    for name in ("root-key.pem", "tsa-key.pem"):
        (folder / name).chmod(0o600)
