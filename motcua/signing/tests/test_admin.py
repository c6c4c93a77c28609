"""Keys for system administrators; images for the agency administrator of their agencies,
recoloured on upload (Decree 30/2020 Annex I), audited; records read-only."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from conftest import PASSWORD, make_user
from motcua.audit.models import AuditEvent
from motcua.organisations.roles import Role
from motcua.signing import images
from motcua.signing.models import SignatureImage

from .test_backends import solid

pytestmark = pytest.mark.django_db


def login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def scan_jpeg() -> bytes:
    """A black pen stroke on white paper, as a scanner gives it."""
    image = Image.new("RGB", (300, 100), "white")
    for x in range(20, 280):
        image.putpixel((x, 50 + (x % 20) - 10), (10, 10, 10))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "model", ["signingkey", "signeddocument", "signingsession", "signatureimage"]
)
def test_the_lists_open_for_a_system_administrator(client, system_admin, model):
    assert login(client, system_admin).get(f"/admin/signing/{model}/").status_code == 200


def test_an_agency_administrator_uploads_a_signature_recoloured_blue(
    client, agency_admin, commune_agency, other_commune_agency
):
    official = make_user("chutich", commune_agency, Role.LEADER)
    make_user("other_leader", other_commune_agency, Role.LEADER)
    login(client, agency_admin)
    assert client.get("/admin/signing/signingkey/").status_code == 403
    page = client.get("/admin/signing/signatureimage/add/").content.decode()
    assert "chutich" in page and "other_leader" not in page
    response = client.post(
        "/admin/signing/signatureimage/add/",
        {
            "agency": commune_agency.pk,
            "kind": "signature",
            "official": official.pk,
            "title": "CHỦ TỊCH",
            "valid_from": "01/01/2026",
            "upload": SimpleUploadedFile("ky.jpg", scan_jpeg(), content_type="image/jpeg"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = SignatureImage.objects.get()
    assert solid(Image.open(io.BytesIO(bytes(saved.png)))) == images.BLUE
    assert AuditEvent.objects.filter(action="signatureimage.added").exists()
    # Another agency's administrator does not see it.
    other_admin = make_user("other_admin", other_commune_agency, Role.AGENCY_ADMIN)
    login(client, other_admin)
    assert client.get(f"/admin/signing/signatureimage/{saved.pk}/change/").status_code in (
        302,
        403,
        404,
    )


def test_a_seal_without_an_image_or_with_a_person_is_refused(client, agency_admin, commune_agency):
    login(client, agency_admin)
    response = client.post(
        "/admin/signing/signatureimage/add/",
        {"agency": commune_agency.pk, "kind": "seal", "valid_from": "01/01/2026"},
    )
    assert response.status_code == 200 and not SignatureImage.objects.exists()
