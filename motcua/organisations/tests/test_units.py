import pytest
from django.core.exceptions import ValidationError

from motcua.organisations.models import AdministrativeUnit


def test_a_legacy_district_belongs_to_a_province(province):
    district = AdministrativeUnit(
        code="D436",
        name="Huyện Thạch Hà (cũ)",
        kind="legacy_district",
        parent=province,
        is_legacy=True,
    )
    district.full_clean()


@pytest.mark.parametrize("kind", ["commune", "legacy_district"])
def test_communes_and_districts_need_a_province_parent(db, kind):
    with pytest.raises(ValidationError) as info:
        AdministrativeUnit(code="X1", name="X", kind=kind).full_clean()
    assert "parent" in info.value.message_dict


def test_a_province_has_no_parent(province):
    with pytest.raises(ValidationError):
        AdministrativeUnit(code="99", name="Y", kind="province", parent=province).full_clean()


def test_system_admin_adds_a_legacy_district_in_the_admin(client, system_admin, province):
    from conftest import PASSWORD

    client.login(username=system_admin.username, password=PASSWORD)
    response = client.post(
        "/admin/organisations/administrativeunit/add/",
        {
            "code": "D436",
            "name": "Huyện Thạch Hà",
            "kind": "legacy_district",
            "parent": province.pk,
            "is_legacy": "on",
        },
    )
    assert response.status_code == 302
    assert AdministrativeUnit.objects.get(code="D436").parent == province


def test_agency_admin_cannot_change_administrative_units(client, agency_admin, province):
    from conftest import PASSWORD

    client.login(username=agency_admin.username, password=PASSWORD)
    response = client.post(
        f"/admin/organisations/administrativeunit/{province.pk}/change/",
        {"code": "42", "name": "Đổi tên", "kind": "province"},
    )
    assert response.status_code == 403
    province.refresh_from_db()
    assert province.name == "Tỉnh Hà Tĩnh"
