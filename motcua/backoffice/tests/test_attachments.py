"""Attachments through the back office: content-checked, stored outside public media,
downloaded only by staff who may see the dossier, recorded as events."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import PASSWORD
from motcua.dossiers.models import Attachment
from motcua.dossiers.status import Action
from motcua.portal.tests.tracking_samples import MONDAY_9AM, receive
from motcua.testing.files import blank_pdf

PDF = blank_pdf()  # a real PDF: a scan of a document must be readable (registry.quality)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def dossier(birth_registration, commune_agency, clerk):
    with time_machine.travel(MONDAY_9AM, tick=False):
        return receive(birth_registration, commune_agency, clerk)


def upload(client, dossier, content, name="scan.pdf", **extra):
    data = {
        "file": SimpleUploadedFile(name, content, content_type="application/pdf"),
        "kind": "scan",
        "component": "",
        **extra,
    }
    return client.post(reverse("backoffice:attach", args=[dossier.code]), data, follow=True)


def test_clerk_attaches_a_scan_of_a_document_and_it_is_marked_digitised(client, clerk, dossier):
    client.login(username=clerk.username, password=PASSWORD)
    component = dossier.components.first()
    response = upload(client, dossier, PDF, component=component.pk)

    attachment = Attachment.objects.get()
    assert response.status_code == 200
    assert attachment.content_type == "application/pdf" and attachment.size == len(PDF)
    assert attachment.file.name.startswith(f"dossiers/{dossier.code}/")
    component.refresh_from_db()
    assert component.is_digitised
    event = dossier.events.get(action=Action.ATTACH_FILE)
    assert event.data["attachment"] == attachment.pk and event.actor == clerk
    download = client.get(reverse("backoffice:attachment", args=[dossier.code, attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (b"MZ\x90\x00 not a pdf", "scan.pdf", "unsupported_file_type"),
        (b"<html><script>", "scan.png", "unsupported_file_type"),
        (b"", "empty.pdf", "empty"),
    ],
)
def test_files_are_checked_by_content_and_nothing_is_kept(
    client, clerk, dossier, content, name, code, tmp_path
):
    client.login(username=clerk.username, password=PASSWORD)
    response = upload(client, dossier, content, name=name)
    messages = [str(m) for m in response.context["messages"]]
    assert messages and all(m.startswith("Chưa thực hiện được") for m in messages)
    assert not Attachment.objects.exists()
    assert not dossier.events.filter(action=Action.ATTACH_FILE).exists()
    assert not list(tmp_path.rglob("*.*"))


def test_size_limit(client, clerk, dossier, settings):
    settings.MOTCUA_MAX_UPLOAD_MB = 0
    client.login(username=clerk.username, password=PASSWORD)
    upload(client, dossier, PDF)
    assert not Attachment.objects.exists()


def test_staff_of_another_agency_can_neither_attach_nor_download(
    client, clerk, clerk_of_other_agency, dossier
):
    client.login(username=clerk.username, password=PASSWORD)
    upload(client, dossier, PDF)
    attachment = Attachment.objects.get()
    client.logout()
    client.login(username=clerk_of_other_agency.username, password=PASSWORD)
    url = reverse("backoffice:attachment", args=[dossier.code, attachment.pk])
    assert client.get(url).status_code == 404
    response = client.post(
        reverse("backoffice:attach", args=[dossier.code]),
        {"file": SimpleUploadedFile("x.pdf", PDF), "kind": "scan"},
    )
    assert response.status_code == 404
    assert Attachment.objects.count() == 1


def test_uploaded_files_are_not_served_as_public_media(client, clerk, dossier):
    client.login(username=clerk.username, password=PASSWORD)
    upload(client, dossier, PDF)
    client.logout()
    assert client.get("/media/" + Attachment.objects.get().file.name).status_code == 404
