from dataclasses import dataclass

from django.db import transaction
from vietnam_provinces import Province, Ward

from motcua.audit.services import record_event

from .models import AdministrativeUnit

Kind = AdministrativeUnit.Kind


@dataclass
class UnitLoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _upsert_unit(existing: dict, result: UnitLoadResult, **values) -> AdministrativeUnit:
    unit = existing.get(values["code"])
    if unit is None:
        result.created += 1
        return AdministrativeUnit.objects.create(**values)
    changed = [k for k, v in values.items() if getattr(unit, k) != v]
    if not changed:
        result.unchanged += 1
        return unit
    for key in changed:
        setattr(unit, key, values[key])
    unit.save(update_fields=changed)
    result.updated += 1
    return unit


@transaction.atomic
def load_administrative_units(*, actor=None) -> UnitLoadResult:
    """Load the 34 provinces and 3,321 communes of the 2025 reform (NQ 202/2025/QH15,
    Law 72/2025/QH15) from the `vietnam-provinces` package. Idempotent: a second run
    changes nothing; legacy districts entered by hand are left alone."""
    result = UnitLoadResult()
    existing = {
        u.code: u
        for u in AdministrativeUnit.objects.exclude(kind=Kind.LEGACY_DISTRICT).select_related(
            "parent"
        )
    }
    provinces = {}
    for province in Province.iter_all():
        code = f"{int(province.code):02d}"
        provinces[int(province.code)] = _upsert_unit(
            existing,
            result,
            code=code,
            name=province.name,
            kind=Kind.PROVINCE,
            division_type=province.division_type.value,
            parent=None,
            is_legacy=False,
        )
    for ward in Ward.iter_all():
        _upsert_unit(
            existing,
            result,
            code=f"{int(ward.code):05d}",
            name=ward.name,
            kind=Kind.COMMUNE,
            division_type=ward.division_type.value,
            parent=provinces[int(ward.province_code)],
            is_legacy=False,
        )
    if result.created or result.updated:
        record_event(
            "units.loaded",
            provinces[min(provinces)],
            actor=actor,
            created=result.created,
            updated=result.updated,
        )
    return result


def sync_staff_flag(user) -> None:
    """Staff who hold an administrative capability (roles.ADMIN_CAPABILITIES) may open the
    admin site; nobody else may. Superusers keep their flag."""
    from .permissions import can_use_admin

    wanted = user.is_superuser or can_use_admin(user)
    if user.is_staff != wanted:
        user.is_staff = wanted
        user.save(update_fields=["is_staff"])


@transaction.atomic
def grant_membership(user, agency, role: str, *, actor, department=None):
    """Give `user` a role in `agency` (and department); audited; admin access follows."""
    from .models import Membership

    membership, created = Membership.objects.get_or_create(
        user=user,
        agency=agency,
        department=department,
        role=role,
        defaults={"is_active": True},
    )
    if not created and not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    record_event("membership.granted", membership, actor=actor, role=role)
    sync_staff_flag(user)
    return membership
