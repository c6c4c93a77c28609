"""A receipt of fees and charges sealed by the collecting agency (Decree 254/2026 art.
23.2.g) when the deployment signs what it hands out; kept with the dossier."""

import pytest
from django.urls import reverse

from motcua.payments.models import Receipt
from motcua.payments.tests.conftest import fee_items, series  # noqa: F401
from motcua.payments.tests.test_cashier_pages import pay, received  # noqa: F401
from motcua.signing import validation
from motcua.signing.backends import Backend
from motcua.signing.models import SignedDocument, SigningKey

from .conftest import pdfsig

pytestmark = pytest.mark.django_db


def test_the_receipt_is_sealed_by_the_collecting_agency(
    client,
    received,  # noqa: F811
    centre,
    centre_clerk,
    demo_pki,
    settings,
    nss,
    tmp_path,  # noqa: F811
):
    folder, _ = demo_pki
    SigningKey.objects.create(
        agency=centre,
        purpose=SigningKey.Purpose.SEAL,
        backend=Backend.PKCS12,
        name="Trung tâm",
        pkcs12_path=str(folder / "seal.p12"),
        secret_env="MOTCUA_TEST_PASSPHRASE",
    )
    settings.MOTCUA_SIGN_FORMS = True
    client.force_login(centre_clerk)
    pay(client, received)
    receipt = Receipt.objects.get()
    response = client.get(reverse("payments:receipt", args=[receipt.pk]))
    assert response.status_code == 200
    path = tmp_path / "bien-lai.pdf"
    path.write_bytes(response.content)
    assert "Signature is Valid" in pdfsig(path, nss)
    assert validation.validate(response.content).ok
    kept = SignedDocument.objects.get(kind="receipt")
    assert kept.dossier == received
