"""A throwaway PKI per test process (root, agency seal, official, timestamp authority with the
key usages real CAs use), a SoftHSM2 token set up like a Vietnamese CA's (CKA_ID 01), an NSS
database trusting the root for pdfsig, and the lifecycle's world of dossiers/tests/conftest.py
for the approval.

The external tools (softhsm2-util, pdfsig, certutil) are installed by `make test`
(scripts/ensure-signing-tools); where they are missing, the tests that need them fail under
`make test` (MOTCUA_SIGNING_TOOLS=required) and are skipped elsewhere."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.accounts.tests.conftest import idp  # noqa: F401
from motcua.dossiers.tests.conftest import (  # noqa: F401
    MONDAY,
    at,
    centre_clerk,
    commune_specialist,
    criminal_record,
    processing,
    receive,
)
from motcua.signing import pki, softhsm

PASSPHRASE = "mat-khau-demo"
PIN = "246810"


def need(*tools: str) -> None:
    missing = [t for t in tools if shutil.which(t) is None]
    if "softhsm2-util" in tools and softhsm.module_path() is None:
        missing.append("libsofthsm2.so")
    if missing:
        message = "missing tools: " + ", ".join(missing) + " (scripts/ensure-signing-tools)"
        if os.environ.get("MOTCUA_SIGNING_TOOLS") == "required":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def demo_pki(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pki")
    issued = pki.make()
    pki.write(issued, folder, PASSPHRASE.encode())
    return folder, issued


@pytest.fixture(scope="session")
def token(demo_pki):
    need("softhsm2-util")
    folder, issued = demo_pki
    conf = softhsm.create_token(
        folder / "softhsm",
        label="motcua-test",
        pin=PIN,
        so_pin="87654321",
        key_pem=issued.seal.key_pem,
        cert_der=issued.seal.der,
    )
    # SoftHSM2 reads its configuration once per process, when the module is first loaded.
    softhsm.use_conf(conf)
    return conf


@pytest.fixture(scope="session")
def nss(demo_pki, tmp_path_factory):
    """An NSS database trusting the test root, as pdfsig reads it (-nssdir sql:DIR)."""
    need("certutil", "pdfsig")
    folder, _ = demo_pki
    db = tmp_path_factory.mktemp("nss")
    subprocess.run(["certutil", "-N", "-d", f"sql:{db}", "--empty-password"], check=True)
    subprocess.run(
        ["certutil", "-A", "-d", f"sql:{db}", "-n", "motcua-test-root", "-t", "C,C,C",
         "-i", str(folder / "root.pem")],
        check=True,
    )  # fmt: skip
    return db


@pytest.fixture(autouse=True)
def _pki_settings(settings, demo_pki, monkeypatch):
    folder, _ = demo_pki
    settings.MOTCUA_DEMO_PKI = str(folder)
    settings.MOTCUA_SIGNING_TSA_URL = ""
    monkeypatch.setenv("MOTCUA_TEST_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("MOTCUA_TEST_PIN", PIN)


def pdfsig(path: Path, nssdir: Path) -> str:
    done = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{nssdir}", str(path)], capture_output=True, text=True
    )
    return done.stdout + done.stderr


def result_pdf() -> bytes:
    """A two-page result drawn by Typst, in Vietnamese."""
    import typst

    from motcua.documents.rendering import fonts

    source = (
        '#set page(paper: "a4")\n#set text(font: "Liberation Serif", lang: "vi")\n'
        "= Quyết định cấp Phiếu lý lịch tư pháp\nNội dung quyết định.\n#pagebreak()\nTrang 2."
    )
    return typst.compile(source.encode(), font_paths=fonts(), format="pdf")


def upload(name: str = "ket-qua.pdf", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data if data is not None else result_pdf())
