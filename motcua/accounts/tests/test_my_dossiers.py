"""My dossiers (issue 15 §1): everything filed for the signed-in person, online or received
at a counter, matched by the identity number the national provider verified; nobody else's,
through every door (list, page, result file)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import complete_intake
from motcua.dossiers.applicants import Applicant
from motcua.dossiers.attachments import attach_file
from motcua.dossiers.intake import receive_dossier
from motcua.testing.files import blank_pdf

from .conftest import sign_in

pytestmark = pytest.mark.django_db
AN = "042090001234"  # the fake provider's nguyen-van-an
PDF = blank_pdf()  # a real PDF: scans of documents are read (registry.quality)


@pytest.fixture
def received(birth_registration, commune_agency, clerk):
    """One dossier of An received at the counter, with a result file and a scan; one of
    someone else."""

    def receive(number, name):
        applicant = Applicant("citizen", name, number, "0912345678")
        intake = complete_intake(birth_registration, commune_agency, applicant)
        return receive_dossier(intake, actor=clerk)

    mine, theirs = receive(AN, "Nguyễn Văn An"), receive("042095000321", "Lê Thị Khác")
    result = attach_file(
        mine, actor=clerk, upload=SimpleUploadedFile("ket-qua.pdf", PDF), kind="result"
    )
    scan = attach_file(mine, actor=clerk, upload=SimpleUploadedFile("scan.pdf", PDF), kind="scan")
    return mine, theirs, result, scan


def test_the_person_sees_their_dossier_received_at_a_counter(client, idp, received):
    mine, theirs, result, _scan = received
    sign_in(client)
    home = client.get("/tai-khoan/").content.decode()
    assert mine.code in home and theirs.code not in home
    listing = client.get("/tai-khoan/ho-so/").content.decode()
    assert mine.code in listing and theirs.code not in listing
    page = client.get(f"/tai-khoan/ho-so/{mine.code}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "ket-qua.pdf" in text and "scan.pdf" not in text  # results, not the clerk's scans
    download = client.get(f"/tai-khoan/ho-so/{mine.code}/ket-qua/{result.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Cache-Control"] == "private, no-store"


def test_nobody_elses_dossier_nor_file(client, idp, received):
    mine, theirs, result, scan = received
    sign_in(client)
    assert client.get(f"/tai-khoan/ho-so/{theirs.code}/").status_code == 404
    assert client.get(f"/tai-khoan/ho-so/{theirs.code}/ket-qua/{result.pk}/").status_code == 404
    assert client.get(f"/tai-khoan/ho-so/{mine.code}/ket-qua/{scan.pk}/").status_code == 404
    assert client.get("/tai-khoan/ho-so/KHONG-CO/").status_code == 404


def test_signed_out_or_staff_are_sent_to_sign_in(client, received, clerk):
    mine = received[0]
    response = client.get(f"/tai-khoan/ho-so/{mine.code}/")
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]
    client.force_login(clerk)  # a staff session is not a citizen's
    response = client.get("/tai-khoan/ho-so/")
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]


def test_the_person_downloads_the_forms_they_were_handed(client, idp, received):
    """The receipt (Mẫu 01) of their dossier, as a PDF to them only; no apology (Mẫu 04)
    before one was made; nothing of someone else's."""
    mine, theirs, _result, _scan = received
    sign_in(client)
    page = client.get(f"/tai-khoan/ho-so/{mine.code}/").content.decode()
    assert f"/tai-khoan/ho-so/{mine.code}/mau/01/" in page and "/mau/04/" not in page
    receipt = client.get(f"/tai-khoan/ho-so/{mine.code}/mau/01/")
    assert receipt.status_code == 200 and receipt.content.startswith(b"%PDF")
    assert receipt["Cache-Control"] == "private, no-store"
    assert client.get(f"/tai-khoan/ho-so/{mine.code}/mau/04/").status_code == 404
    assert client.get(f"/tai-khoan/ho-so/{mine.code}/mau/05/").status_code == 404
    assert client.get(f"/tai-khoan/ho-so/{theirs.code}/mau/01/").status_code == 404
