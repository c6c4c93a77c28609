"""Notes of a procedure's document table: guidance under the checklist, never a tick box."""

import pytest
from django.urls import reverse

from conftest import PASSWORD
from motcua.catalogue.models import Component

NOTE = "Cơ quan đăng ký hộ tịch từ chối giải quyết nếu nội dung cam đoan không đúng sự thật."


@pytest.fixture
def note(birth_registration):
    return Component.objects.create(
        version=birth_registration.current_version,
        order=3,
        case="* Lưu ý:",
        name=NOTE,
        is_mandatory=False,
        kind=Component.Kind.NOTE,
    )


def test_a_note_is_guidance_under_the_checklist_not_a_row_to_tick(client, clerk, note):
    client.login(username=clerk.username, password=PASSWORD)

    page = client.get(reverse("backoffice:intake", args=["1.001193"])).content.decode()

    assert f'name="c{note.pk}-handed_in"' not in page
    checklist, guidance = page.split('class="guidance"')
    assert NOTE not in checklist and NOTE in guidance
    assert "Giấy chứng sinh" in checklist


def test_the_public_procedure_page_shows_notes_apart_from_the_documents(client, note):
    page = client.get(reverse("catalogue:detail", args=["1.001193"])).content.decode()

    documents, notes = page.split("Lưu ý về thành phần hồ sơ")
    assert NOTE not in documents and NOTE in notes


def test_the_version_tells_documents_from_notes(birth_registration, note):
    version = birth_registration.current_version

    assert [c.name for c in version.documents()] == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]
    assert version.notes() == [note]


def test_receiving_without_a_mandatory_document_names_it_and_keeps_the_input(
    client, clerk, birth_registration, commune_agency
):
    from motcua.dossiers.models import Dossier

    from .test_intake_pages import intake_data

    client.login(username=clerk.username, password=PASSWORD)
    first = birth_registration.current_version.documents()[0]
    data = intake_data(birth_registration, commune_agency, name="Trần Thị Bình")
    del data[f"c{first.pk}-handed_in"]

    response = client.post(reverse("backoffice:intake", args=["1.001193"]), data)

    page = response.content.decode()
    assert response.status_code == 400 and not Dossier.objects.exists()
    assert "Tờ khai đăng ký khai sinh" in page.split("Bắt buộc: hướng dẫn")[0]
    assert page.count("Bắt buộc: hướng dẫn") == 1 and 'value="Trần Thị Bình"' in page
