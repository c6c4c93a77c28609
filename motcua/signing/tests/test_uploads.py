"""Uploads that claim a signature are validated on receipt (issue 17 §1): a signed PDF
attached by staff or filed online carries its verdict, shown beside the file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.dossiers.attachments import attach_file
from motcua.signing import backends, service
from motcua.signing.models import SignatureCheck
from motcua.testing.files import blank_pdf

from .test_backends import COPY, flipped, p12_spec, result_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(demo_pki) -> bytes:
    folder, _ = demo_pki
    with backends.open_signer(p12_spec(folder)) as signer:
        return service.sign_pdf(result_pdf(), signer=signer, look=COPY)


def test_a_signed_declaration_is_validated_when_it_arrives(client, receive, centre_clerk, signed):
    dossier = receive()
    good = attach_file(
        dossier,
        actor=centre_clerk,
        upload=SimpleUploadedFile("to-khai-ky-so.pdf", signed),
        kind="scan",
    )
    bad = attach_file(
        dossier,
        actor=centre_clerk,
        upload=SimpleUploadedFile("da-sua.pdf", flipped(signed)),
        kind="scan",
    )
    plain = attach_file(
        dossier, actor=centre_clerk, upload=SimpleUploadedFile("giay.pdf", blank_pdf()), kind="scan"
    )
    assert SignatureCheck.objects.get(attachment=good).ok is True
    check = SignatureCheck.objects.get(attachment=bad)
    assert check.ok is False and check.report[0]["intact"] is False
    assert not SignatureCheck.objects.filter(attachment=plain).exists()
    assert SignatureCheck.objects.get(attachment=good).signers == "UBND phường Thành Sen"
    client.force_login(centre_clerk)
    page = client.get(reverse("backoffice:dossier", args=[dossier.code])).content.decode()
    assert "có chữ ký số hợp lệ" in page and "chữ ký số không hợp lệ" in page
