"""Scans become signed electronic copies at receipt, the same person's next dossier reuses
them, and QĐ 766 4.3 counts it (issue 17 §2). Through the back office's doors."""

import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from conftest import PASSWORD
from motcua.audit.models import AuditEvent
from motcua.dossiers.applicants import Applicant
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Attachment, Dossier
from motcua.registry import indicators
from motcua.registry.models import DigitisedDocument, Reuse
from motcua.signing import validation
from motcua.signing.backends import Backend
from motcua.signing.models import SignedDocument, SigningKey
from motcua.testing.files import blank_pdf, scan_jpeg

pytestmark = pytest.mark.django_db
OTHER = Applicant("citizen", "Lê Thị Khác", "042095000321", "0912000000")


@pytest.fixture
def seal(centre, demo_pki):
    folder, _ = demo_pki
    return SigningKey.objects.create(
        agency=centre,
        purpose=SigningKey.Purpose.SEAL,
        backend=Backend.PKCS12,
        name="Trung tâm",
        pkcs12_path=str(folder / "seal.p12"),
        secret_env="MOTCUA_TEST_PASSPHRASE",
    )


def upload(client, dossier, data: bytes, name="giay-khai-sinh.jpg", content_type="image/jpeg"):
    component = dossier.components.first()
    return client.post(
        reverse("backoffice:attach", args=[dossier.code]),
        {
            "file": SimpleUploadedFile(name, data, content_type=content_type),
            "kind": "scan",
            "component": component.pk,
        },
        follow=True,
    )


def errors(response) -> list[str]:
    return [str(m) for m in response.context["messages"] if m.level_tag == "error"]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (scan_jpeg(150), "150 dpi"),
        (scan_jpeg(300, colour=False), "màu"),
    ],
)
def test_a_scan_below_the_rules_is_refused_and_nothing_is_kept(
    client, receive, centre_clerk, data, reason
):
    dossier = receive()
    client.login(username=centre_clerk.username, password=PASSWORD)
    response = upload(client, dossier, data)
    (error,) = errors(response)
    assert reason in error, error
    assert not Attachment.objects.exists() and not DigitisedDocument.objects.exists()
    assert not dossier.components.filter(is_digitised=True).exists()


def test_a_scan_becomes_a_signed_electronic_copy(client, receive, centre_clerk, seal, tmp_path):
    dossier = receive()
    client.login(username=centre_clerk.username, password=PASSWORD)
    response = upload(client, dossier, scan_jpeg(300))
    assert not errors(response)
    document = DigitisedDocument.objects.get()
    assert (document.kind, document.owner_id_number, document.dpi, document.colour) == (
        "component",
        dossier.applicant_id_number,
        300,
        True,
    )
    signed = SignedDocument.objects.get(kind="copy")
    assert document.signed == signed and signed.key == seal and signed.timestamp_at is not None
    data = signed.file.read()
    assert data.startswith(b"%PDF-") and validation.validate(data).ok
    # "SAO Y" at the top right of page 1: the corner has ink, the rest of the top does not.
    path = tmp_path / "copy.pdf"
    path.write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-png", str(path), str(tmp_path / "p")],
        check=True,
    )
    page = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    width, height = page.size
    corner = page.crop((int(width * 0.6), 0, width, int(height * 0.06)))
    left = page.crop((0, 0, int(width * 0.35), int(height * 0.06)))
    assert sum(corner.histogram()[:100]) > 20 and sum(left.histogram()[:200]) == 0
    # The scan's download is the signed copy.
    attachment = document.attachment
    served = client.get(reverse("backoffice:attachment", args=[dossier.code, attachment.pk]))
    assert b"".join(served.streaming_content) == data
    assert served["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(action="digitised_document.created").exists()


def test_without_a_seal_key_the_copy_is_registered_unsigned(client, receive, centre_clerk):
    dossier = receive()
    client.login(username=centre_clerk.username, password=PASSWORD)
    upload(client, dossier, blank_pdf(), name="to-khai.pdf", content_type="application/pdf")
    document = DigitisedDocument.objects.get()
    assert document.signed is None and document.dpi is None


def test_the_next_dossier_of_the_same_person_reuses_it(client, receive, centre_clerk, seal):
    first = receive()
    client.login(username=centre_clerk.username, password=PASSWORD)
    upload(client, first, scan_jpeg(300))
    document = DigitisedDocument.objects.get()
    second, someone_else = receive(), receive(applicant=OTHER)
    page = client.get(reverse("backoffice:dossier", args=[second.code])).content.decode()
    assert "Dùng lại thay bản giấy" in page
    other_page = client.get(
        reverse("backoffice:dossier", args=[someone_else.code])
    ).content.decode()
    assert "Dùng lại thay bản giấy" not in other_page
    component = second.components.first()
    url = reverse("registry:reuse", args=[second.code, component.pk, document.pk])
    response = client.post(url, follow=True)
    assert not errors(response)
    component.refresh_from_db()
    assert component.is_digitised
    reuse = Reuse.objects.get()
    assert reuse.dossier == second and reuse.attachment.component == component
    document.refresh_from_db()
    assert document.reuse_count == 1
    assert DigitisedDocument.objects.count() == 1  # not copied and signed again
    # Twice: refused, nothing doubled.
    assert errors(client.post(url, follow=True))
    assert Reuse.objects.count() == 1
    # Someone else's dossier cannot take it.
    other = someone_else.components.first()
    response = client.post(
        reverse("registry:reuse", args=[someone_else.code, other.pk, document.pk]), follow=True
    )
    assert errors(response) and not Reuse.objects.filter(dossier=someone_else).exists()
    # QĐ 766 4.3: one of the three dossiers took a registered document, on the quality page's
    # build too (its denominator from the tallies).
    assert indicators.figure_4_3(Dossier.objects.all()) == (1, 3)
    from motcua.reports import indicators as quality
    from motcua.reports.scope import Period, Scope

    day = timezone.localdate(second.received_at)
    built = quality.build(Period(day, day), Scope())
    figure = next(x for g in built.groups for x in g.figures if x.code == "4.3")
    assert (figure.numerator, figure.denominator) == (1, 3)


def test_a_ready_result_is_registered_for_its_owner(
    processing, specialist, department_head, commune_specialist, leader, centre_clerk
):
    from motcua.dossiers.attachments import attach_file
    from motcua.dossiers.processing import approve, complete_step
    from motcua.dossiers.results import mark_result_ready

    for actor in (specialist, department_head, commune_specialist):
        complete_step(processing, actor=actor)
    attach_file(
        processing,
        actor=specialist,
        upload=SimpleUploadedFile("ket-qua.pdf", blank_pdf()),
        kind="result",
    )
    approve(processing, actor=leader)
    mark_result_ready(Dossier.objects.get(pk=processing.pk), actor=centre_clerk)
    document = DigitisedDocument.objects.get()
    assert document.kind == "result" and document.owner_id_number == processing.applicant_id_number
    assert document.issuer == processing.competent_agency.name


def test_a_200_dpi_scan_in_a_pdf_is_accepted_exactly():
    """A scanner's 200 dpi PDF (1654 px across 595.44 pt) is 200 dpi, not 199 (rounding)."""
    import io

    from PIL import Image

    from motcua.registry import quality

    pages = [Image.open(io.BytesIO(scan_jpeg(200))) for _ in range(2)]
    buffer = io.BytesIO()
    pages[0].save(buffer, format="PDF", save_all=True, append_images=pages[1:], resolution=200.0)
    judged = quality.judge(buffer.getvalue(), "application/pdf")
    assert (judged.pages, judged.dpi, judged.colour) == (2, 200, True)
    quality.check(judged)
    low = quality.judge(scan_jpeg(199), "image/jpeg")
    with pytest.raises(DossierError, match="199 dpi"):
        quality.check(low)


def test_a_grey_pdf_scan_is_refused_by_its_colour_space():
    import io

    from PIL import Image

    from motcua.registry import quality

    grey = Image.open(io.BytesIO(scan_jpeg(300, colour=False)))
    buffer = io.BytesIO()
    grey.save(buffer, format="PDF", resolution=300.0)
    judged = quality.judge(buffer.getvalue(), "application/pdf")
    assert (judged.dpi, judged.colour) == (300, False)
    with pytest.raises(DossierError, match="màu"):
        quality.check(judged)
