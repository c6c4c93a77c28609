"""The demo's signatures (`manage.py seed_demo_signing`, called by seed_demo): a throwaway PKI
in MOTCUA_DEMO_PKI (var/signing), a SoftHSM2 token holding each demo agency's key like a
Vietnamese CA token (CKA_ID 01, 02…; a PKCS#12 file instead where SoftHSM2 is not installed),
the seal and signature images, and the keys that sign approved results and copies."""

import os
from pathlib import Path

from django.conf import settings
from django.db import transaction

from motcua.organisations.models import Agency, Membership
from motcua.organisations.roles import Role

from . import images, pki, softhsm
from .backends import Backend
from .models import SignatureImage, SigningKey

PIN_ENV = "MOTCUA_DEMO_TOKEN_PIN"
PASS_ENV = "MOTCUA_DEMO_KEY_PASSPHRASE"
DEMO_PIN = "123456"  # the demo's only; a deployment's PIN lives in its environment file
TOKEN_LABEL = "motcua-demo"
AGENCIES = ("H42.12", "H42.50.01")  # the department of justice and the Thành Sen ward


def folder() -> Path:
    return Path(settings.MOTCUA_DEMO_PKI or settings.BASE_DIR / "var" / "signing")


def demo_secrets() -> None:
    """The demo keys' secrets, for a process that has not been given them."""
    os.environ.setdefault(PIN_ENV, DEMO_PIN)
    os.environ.setdefault(PASS_ENV, DEMO_PIN)


@transaction.atomic
def seed() -> list[str]:
    """Idempotent: a PKI already written is kept, keys and images are created once."""
    demo_secrets()
    where = folder()
    agencies = list(Agency.objects.filter(code__in=AGENCIES).order_by("code"))
    done: list[str] = []
    if not agencies:
        return done
    if not (where / "root.pem").is_file():
        top = pki.root()
        pki.write_root_and_tsa(top, pki.tsa(top), where)
        seals = [pki.seal(top, a.name, f"MST:{3001234560 + i}") for i, a in enumerate(agencies)]
        for agency, issued in zip(agencies, seals, strict=True):
            path = where / f"seal-{agency.code}.p12"
            path.write_bytes(issued.pkcs12(DEMO_PIN.encode(), (top,)))
            path.chmod(0o600)
        if settings.MOTCUA_DEMO_SOFTHSM and softhsm.available():
            softhsm.create_token(
                where / "softhsm",
                label=TOKEN_LABEL,
                pin=DEMO_PIN,
                so_pin="12345678",
                key_pem=seals[0].key_pem,
                cert_der=seals[0].der,
                more=tuple((s.key_pem, s.der) for s in seals[1:]),
            )
        for agency in agencies:
            leader = _leader(agency)
            if leader is not None:
                issued = pki.person(
                    top, leader.get_full_name(), agency.name, f"CCCD:0420900{leader.pk:05d}"
                )
                path = where / f"official-{leader.get_username()}.p12"
                path.write_bytes(issued.pkcs12(DEMO_PIN.encode(), (top,)))
                path.chmod(0o600)
        done.append(f"PKI written to {where}")
    token = (
        settings.MOTCUA_DEMO_SOFTHSM
        and softhsm.available()
        and (where / "softhsm" / "softhsm2.conf").is_file()
    )
    for index, agency in enumerate(agencies, start=1):
        for purpose in (SigningKey.Purpose.RESULT, SigningKey.Purpose.SEAL):
            if SigningKey.objects.filter(agency=agency, purpose=purpose).exists():
                continue
            if token:
                SigningKey.objects.create(
                    agency=agency,
                    purpose=purpose,
                    backend=Backend.PKCS11,
                    name=f"{agency.name}: SoftHSM2 token {TOKEN_LABEL}, CKA_ID {index:02x}",
                    module=softhsm.module_path() or "",
                    token_label=TOKEN_LABEL,
                    key_id=f"{index:02x}",
                    secret_env=PIN_ENV,
                    softhsm_conf=str(where / "softhsm" / "softhsm2.conf"),
                )
            else:
                SigningKey.objects.create(
                    agency=agency,
                    purpose=purpose,
                    backend=Backend.PKCS12,
                    name=f"{agency.name}: seal-{agency.code}.p12",
                    pkcs12_path=str(where / f"seal-{agency.code}.p12"),
                    secret_env=PASS_ENV,
                )
            done.append(f"{purpose} key for {agency.code}")
        if not SignatureImage.objects.filter(agency=agency, kind=SignatureImage.Kind.SEAL).exists():
            art = images.demo_image(
                "seal",
                top="ỦY BAN NHÂN DÂN" if agency.code != "H42.12" else "UBND TỈNH HÀ TĨNH",
                middle="",
                bottom=agency.name.upper().replace("UBND ", "")[:24],
            )
            SignatureImage.objects.create(
                agency=agency, kind=SignatureImage.Kind.SEAL, png=images.recolour(art, images.RED)
            )
        leader = _leader(agency)
        if leader is not None and not SignatureImage.objects.filter(official=leader).exists():
            SignatureImage.objects.create(
                agency=agency,
                kind=SignatureImage.Kind.SIGNATURE,
                official=leader,
                title="CHỦ TỊCH" if agency.code != "H42.12" else "GIÁM ĐỐC",
                png=images.recolour(images.demo_image("signature"), images.BLUE),
            )
    return done


def _leader(agency: Agency):
    membership = (
        Membership.objects.filter(agency=agency, role=Role.LEADER)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None
