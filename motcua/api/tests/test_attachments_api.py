"""Attachments through the JSON API with bearer tokens: the same service as the back office
(content-checked, size-limited, stored through Django's storage, recorded), the same
permission rules for downloads, errors in the API's shape."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import make_user
from motcua.dossiers.models import Attachment
from motcua.dossiers.status import Action
from motcua.organisations.roles import Role
from motcua.organisations.tokens import issue_token
from motcua.portal.tests.tracking_samples import MONDAY_9AM, receive
from motcua.testing.files import blank_pdf

PDF = blank_pdf()  # a real PDF: a scan of a document must be readable (registry.quality)
TIFF = b"II*\x00\x08\x00\x00\x00" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def dossier(birth_registration, commune_agency, clerk):
    with time_machine.travel(MONDAY_9AM, tick=False):
        return receive(birth_registration, commune_agency, clerk)


def auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user, name='t').plain}"}


def url(dossier, attachment_id: int | None = None) -> str:
    base = f"/api/v1/dossiers/{dossier.code}/attachments"
    return f"{base}/{attachment_id}" if attachment_id else base


def upload(client, user, dossier, content=PDF, name="to-khai.pdf", **fields):
    data = {"file": SimpleUploadedFile(name, content, content_type="application/pdf"), **fields}
    data.setdefault("kind", "scan")
    headers = auth(user) if user else {}
    return client.post(url(dossier), data, HTTP_ACCEPT_LANGUAGE="en", **headers)


def stored_files(tmp_path) -> list:
    return [path for path in tmp_path.rglob("*") if path.is_file()]


def test_clerk_uploads_a_scan_of_a_handed_in_document(client, clerk, dossier, tmp_path):
    component = dossier.components.first()

    with time_machine.travel(MONDAY_9AM, tick=False):
        response = upload(client, clerk, dossier, component_id=component.pk)

    assert response.status_code == 201, response.content
    attachment = Attachment.objects.get()
    assert response.json() == {
        "id": attachment.pk,
        "kind": "scan",
        "component_id": component.pk,
        "name": "to-khai.pdf",
        "content_type": "application/pdf",
        "size": len(PDF),
        "sha256": attachment.sha256,
        "uploaded_by": clerk.username,
        "uploaded_at": "2026-03-09T09:00:00+07:00",
        "url": url(dossier, attachment.pk),
    }
    assert attachment.dossier == dossier and attachment.uploaded_by == clerk
    assert attachment.file.name.startswith(f"dossiers/{dossier.code}/")
    assert [path.read_bytes() for path in stored_files(tmp_path)] == [PDF]
    component.refresh_from_db()
    assert component.is_digitised
    event = dossier.events.get(action=Action.ATTACH_FILE)
    assert event.actor == clerk
    assert event.data["attachment"] == attachment.pk and event.data["kind"] == "scan"


def test_list_and_download(client, clerk, dossier, django_assert_num_queries):
    upload(client, clerk, dossier)
    upload(client, clerk, dossier, content=TIFF, name="ket-qua.tif", kind="result")
    headers = auth(clerk)

    # Token and its first use, memberships and agencies below, the dossier, its files (the
    # same for any number of files).
    with django_assert_num_queries(6):
        listed = client.get(url(dossier), **headers)

    assert listed.status_code == 200
    files = listed.json()
    assert [(f["name"], f["kind"], f["content_type"]) for f in files] == [
        ("to-khai.pdf", "scan", "application/pdf"),
        ("ket-qua.tif", "result", "image/tiff"),
    ]
    pdf = client.get(files[0]["url"], **headers)
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content) == PDF
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Cache-Control"] == "private, no-store"
    assert pdf["Content-Disposition"].startswith("inline")
    tiff = client.get(files[1]["url"], **headers)
    assert tiff["Content-Disposition"].startswith("attachment")
    assert b"".join(tiff.streaming_content) == TIFF


def test_a_download_has_a_content_type_the_document_declares(client, clerk, dossier):
    """Found by the fuzz run (bench/fuzz_api.py): the document declared only
    application/octet-stream for the file while it is served with its own type."""
    upload(client, clerk, dossier, content=TIFF, name="ket-qua.tif", kind="result")
    declared = client.get("/api/v1/openapi.json").json()["paths"][
        "/api/v1/dossiers/{code}/attachments/{attachment_id}"
    ]["get"]["responses"]["200"]["content"]

    served = client.get(url(dossier, Attachment.objects.get().pk), **auth(clerk))

    assert served.status_code == 200 and served["Content-Type"] == "image/tiff"
    assert set(declared) == {"application/pdf", "image/jpeg", "image/png", "image/tiff"}


def test_a_supervisor_may_download_but_not_attach(client, clerk, dossier, commune_agency):
    upload(client, clerk, dossier)
    attachment = Attachment.objects.get()
    watcher = make_user("watcher", commune_agency, Role.SUPERVISOR)

    assert client.get(url(dossier, attachment.pk), **auth(watcher)).status_code == 200
    refused = upload(client, watcher, dossier)

    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"
    assert Attachment.objects.count() == 1


DOORS = ["list", "upload", "download"]


def knock(client, door: str, user, dossier):
    """List, upload or download (the one attachment there is) as `user` (None: no token)."""
    if door == "upload":
        return upload(client, user, dossier)
    headers = {**auth(user), "HTTP_ACCEPT_LANGUAGE": "en"} if user else {}
    attachment_id = Attachment.objects.get().pk if door == "download" else None
    return client.get(url(dossier, attachment_id), **headers)


@pytest.mark.parametrize("door", DOORS)
def test_without_a_token_nothing_is_listed_stored_or_served(client, clerk, dossier, tmp_path, door):
    upload(client, clerk, dossier)

    response = knock(client, door, None, dossier)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    assert Attachment.objects.count() == 1 and len(stored_files(tmp_path)) == 1


@pytest.mark.parametrize("door", DOORS)
def test_staff_of_another_agency_get_404_everywhere(
    client, clerk, clerk_of_other_agency, dossier, tmp_path, door
):
    upload(client, clerk, dossier)

    response = knock(client, door, clerk_of_other_agency, dossier)

    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Not found"}}
    assert Attachment.objects.count() == 1 and len(stored_files(tmp_path)) == 1


def test_an_attachment_of_another_dossier_is_not_found(client, clerk, dossier):
    upload(client, clerk, dossier)
    attachment = Attachment.objects.get()

    response = client.get(f"/api/v1/dossiers/H42.50.01-260309-0999/attachments/{attachment.pk}")
    assert response.status_code == 401
    response = client.get(url(dossier, attachment.pk + 1), **auth(clerk))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("content", "name", "fields", "status", "code"),
    [
        (b"MZ\x90\x00 not a pdf", "scan.pdf", {}, 422, "unsupported_file_type"),
        (b"<html><script>", "scan.png", {}, 422, "unsupported_file_type"),
        (b"", "empty.pdf", {}, 422, "empty_file"),
        (PDF, "scan.pdf", {"kind": "photo"}, 422, "invalid_input"),
        (PDF, "scan.pdf", {"component_id": 999_999}, 422, "unknown_component"),
    ],
)
def test_refused_files_leave_nothing_behind(
    client, clerk, dossier, tmp_path, content, name, fields, status, code
):
    response = upload(client, clerk, dossier, content=content, name=name, **fields)

    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert not Attachment.objects.exists()
    assert not dossier.events.filter(action=Action.ATTACH_FILE).exists()
    assert not stored_files(tmp_path)


def test_a_file_over_the_size_limit_is_refused_with_413(client, clerk, dossier, tmp_path, settings):
    settings.MOTCUA_MAX_UPLOAD_MB = 0

    response = upload(client, clerk, dossier)

    assert response.status_code == 413
    assert response.json() == {
        "error": {"code": "file_too_large", "message": "Files can be at most 0 MB."}
    }
    assert not Attachment.objects.exists() and not stored_files(tmp_path)


def test_a_missing_file_is_invalid_input(client, clerk, dossier):
    response = client.post(url(dossier), {"kind": "scan"}, **auth(clerk))

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"


def test_openapi_documents_the_three_endpoints(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    collection = paths["/api/v1/dossiers/{code}/attachments"]
    assert {"get", "post"} <= set(collection)
    body = collection["post"]["requestBody"]["content"]
    assert "multipart/form-data" in body
    single = paths["/api/v1/dossiers/{code}/attachments/{attachment_id}"]["get"]
    assert "application/pdf" in single["responses"]["200"]["content"]
