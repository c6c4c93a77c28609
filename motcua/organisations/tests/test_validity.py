"""When units and agencies existed: the model's rules (the admin and import_organisations
both go through full_clean) and the querysets the reports of a past period use."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from motcua.organisations.models import AdministrativeUnit, Agency

MERGED = date(2025, 7, 1)


@pytest.fixture
def old_province(db):
    return AdministrativeUnit.objects.create(
        code="02", name="Tỉnh Hà Giang", kind="province", is_legacy=True, valid_until=MERGED
    )


def errors_of(obj) -> dict:
    with pytest.raises(ValidationError) as info:
        obj.full_clean()
    return info.value.message_dict


def test_an_interval_ends_after_it_begins(provincial_committee):
    provincial_committee.valid_from = date(2020, 1, 1)
    provincial_committee.valid_until = date(2020, 1, 1)
    provincial_committee.is_active = False
    assert "valid_until" in errors_of(provincial_committee)


def test_only_what_ended_has_a_successor(provincial_committee, justice_department):
    justice_department.successor = provincial_committee
    assert "successor" in errors_of(justice_department)
    justice_department.valid_until = MERGED
    justice_department.is_active = False
    justice_department.full_clean()


def test_the_successor_exists_on_the_day_it_took_over(provincial_committee, justice_department):
    provincial_committee.valid_from = date(2026, 1, 1)
    provincial_committee.save()
    justice_department.valid_until, justice_department.is_active = MERGED, False
    justice_department.successor = provincial_committee
    assert "successor" in errors_of(justice_department)


def test_successors_form_no_cycle(provincial_committee, justice_department):
    provincial_committee.valid_until, provincial_committee.is_active = MERGED, False
    provincial_committee.successor = justice_department
    provincial_committee.save()
    justice_department.valid_until, justice_department.is_active = MERGED, False
    justice_department.successor = provincial_committee
    assert "successor" in errors_of(justice_department)


def test_a_commune_of_before_2025_may_belong_to_a_district(old_province):
    district = AdministrativeUnit.objects.create(
        code="D024", name="Huyện Vị Xuyên", kind="legacy_district", parent=old_province,
        is_legacy=True, valid_until=MERGED,
    )  # fmt: skip
    commune = AdministrativeUnit(code="C00745", name="Xã Đạo Đức", kind="commune", parent=district)
    assert "parent" in errors_of(commune)  # a current commune belongs to a province
    commune.is_legacy, commune.valid_until = True, MERGED
    commune.full_clean()


def test_a_unit_that_ended_is_legacy(province):
    province.valid_until = date(2020, 1, 1)
    assert "is_legacy" in errors_of(province)


def test_existed_on_counts_the_last_day_and_not_the_day_it_ended(old_province):
    assert old_province.existed_on(date(2025, 6, 30))
    assert not old_province.existed_on(MERGED)
    spring = AdministrativeUnit.objects.existed_during(date(2025, 4, 1), date(2025, 6, 30))
    summer = AdministrativeUnit.objects.existed_during(date(2025, 7, 1), date(2025, 9, 30))
    assert old_province in spring and old_province not in summer


def test_an_agency_founded_later_is_not_in_earlier_reports(provincial_committee):
    provincial_committee.valid_from = date(2025, 7, 1)
    provincial_committee.save()
    assert not Agency.objects.existed_during(date(2025, 1, 1), date(2025, 6, 30)).exists()
    assert Agency.objects.existed_during(date(2025, 6, 1), date(2025, 7, 1)).exists()
