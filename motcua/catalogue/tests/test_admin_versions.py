from django.urls import reverse

from conftest import PASSWORD
from motcua.audit.models import AuditEvent
from motcua.catalogue.models import Procedure, ProcedureVersion
from motcua.testing.admin_forms import admin_post_data


def change_url(version):
    return reverse("admin:catalogue_procedureversion_change", args=[version.pk])


def test_agency_admin_changing_a_procedure_creates_a_new_published_version(
    client, agency_admin, birth_registration
):
    client.login(username=agency_admin.username, password=PASSWORD)
    first = birth_registration.current_version
    response = client.get(change_url(first))
    assert response.status_code == 200
    data = admin_post_data(response)
    data["name"] = "Đăng ký khai sinh (sửa đổi)"
    data["change_note"] = "Cập nhật theo quyết định mới"
    data["components-0-copies"] = "2"

    response = client.post(change_url(first), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    procedure = Procedure.objects.get(pk=birth_registration.pk)
    second = procedure.current_version
    assert second.number == 2 and second.status == ProcedureVersion.Status.PUBLISHED
    assert second.name == "Đăng ký khai sinh (sửa đổi)" and procedure.name == second.name
    assert [c.copies for c in second.components.all()] == [2, 0]
    assert second.steps.count() == 3 and second.fees.count() == 1
    assert second.levels == ["commune"] and set(second.channels) == {
        "in_person",
        "online",
        "postal",
    }
    first.refresh_from_db()
    assert first.status == ProcedureVersion.Status.SUPERSEDED
    assert first.name == "Đăng ký khai sinh" and first.components.first().copies == 0
    assert "sua doi" in procedure.search_text
    assert AuditEvent.objects.filter(
        action="procedure.version_published", target_id=str(second.pk), actor=agency_admin
    ).exists()


def test_invalid_edit_creates_no_version(client, agency_admin, birth_registration):
    client.login(username=agency_admin.username, password=PASSWORD)
    first = birth_registration.current_version
    data = admin_post_data(client.get(change_url(first)))
    data["time_limit_value"] = "-3"

    response = client.post(change_url(first), data)

    assert response.status_code == 200
    assert ProcedureVersion.objects.filter(procedure=birth_registration).count() == 1


def test_admin_of_another_agency_cannot_change_the_procedure(
    client, other_agency_admin, birth_registration
):
    client.login(username=other_agency_admin.username, password=PASSWORD)
    first = birth_registration.current_version
    response = client.get(change_url(first))
    assert response.status_code == 200  # view only: the catalogue is public information
    assert response.context["has_change_permission"] is False
    response = client.post(change_url(first), {"name": "x"})
    assert response.status_code == 403
    assert ProcedureVersion.objects.filter(procedure=birth_registration).count() == 1
