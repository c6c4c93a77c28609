"""The agencies and procedures the generator draws from, read once from the database, and
the synthetic commune committees it may add to reach a province's size.

Popularity is skewed (Zipf-like): a few procedures carry most dossiers. Procedures whose
names match the everyday ones (certified copies, signatures, birth and death registration…)
rank first; the others follow in an order drawn from the seed. Commune committees are
weighted by size (wards busier than rural communes), each agency gets its own lateness, so
that reports grouped by agency differ as they do in real life.
"""

import math
import random
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F

from motcua.catalogue.models import Channel, Procedure, ProcedureVersion
from motcua.catalogue.models import Level as CatalogueLevel
from motcua.catalogue.services import assign_local_agencies
from motcua.organisations.models import (
    AdministrativeUnit,
    Agency,
    Department,
    Membership,
    ReceptionPoint,
)
from motcua.organisations.roles import Role
from motcua.reports.scope import Level, level_of

K = Agency.Kind
ZIPF = 1.2
HOT = [  # the everyday procedures, most frequent first (casefolded name fragments)
    "chứng thực bản sao từ bản chính",
    "chứng thực chữ ký trong",
    "đăng ký khai sinh",
    "cấp bản sao trích lục hộ tịch",
    "đăng ký tạm trú",
    "đăng ký khai tử",
    "xác nhận tình trạng hôn nhân",
    "đăng ký thường trú",
    "lý lịch tư pháp",
    "đăng ký kết hôn",
    "đăng ký biến động",
    "chứng thực hợp đồng",
    "chứng thực giao dịch",
    "giấy phép xây dựng",
    "quyền sử dụng đất",
]
COMMUNE_DEPARTMENTS = [("VHXH", "Phòng Văn hóa - Xã hội"), ("VP", "Văn phòng HĐND và UBND")]
SYNTHETIC_USER = "du-lieu-mau"
OFFICER_ROLES = [Role.SPECIALIST, Role.DEPARTMENT_HEAD, Role.LEADER, Role.RECEIVING_CLERK]


@dataclass
class Place:
    """An agency as the generator sees it."""

    id: int
    code: str
    kind: str
    place: str
    province_unit: int | None
    weight: float = 1.0
    lateness: float = 1.0
    clerk: int | None = None  # a receiving clerk: received_by
    officer: int | None = None  # who signs supplement requests and apologies
    point: int | None = None  # its reception point
    departments: list[int] = field(default_factory=list)
    by_role: dict[str, int] = field(default_factory=dict)

    @property
    def is_commune(self) -> bool:
        return level_of(self.kind) == Level.COMMUNE


@dataclass
class Step:
    order: int
    name: str
    role: str
    agency_id: int | None
    department_id: int | None
    budget_hours: Decimal
    budget_seconds: int


@dataclass
class Plan:
    """A procedure as the generator sees it."""

    id: int
    version_id: int
    subject: str
    limit: tuple[Decimal, str] | None
    online: bool
    postal: bool
    clock: str
    competent: list[Place]
    cumulative: list[float]
    steps: list[Step]
    department: dict[int, int | None]
    lateness: float = 1.0

    @property
    def is_commune(self) -> bool:
        return any(p.is_commune for p in self.competent)

    def pick_agency(self, u: float) -> Place:
        return self.competent[bisect_right(self.cumulative, u * self.cumulative[-1])]


@dataclass
class Pool:
    """Procedures of one level with their cumulative Zipf weights."""

    plans: list[Plan]
    cumulative: list[float]

    def pick(self, u: float) -> Plan:
        return self.plans[bisect_right(self.cumulative, u * self.cumulative[-1])]

    def online_capable(self) -> float:
        """Share of this pool's dossiers whose procedure can be filed online."""
        weights = [b - a for a, b in zip([0.0, *self.cumulative], self.cumulative, strict=False)]
        capable = sum(w for w, plan in zip(weights, self.plans, strict=True) if plan.online)
        return capable / self.cumulative[-1]


@dataclass
class World:
    commune: Pool | None
    province: Pool | None
    centre: Place | None
    fallback_user: int
    places: dict[int, Place]


# --- Synthetic communes ---------------------------------------------------------------------


def _province_committee() -> Agency | None:
    return Agency.objects.filter(kind=K.PROVINCIAL_COMMITTEE).order_by("code").first()


def _commune_name(unit: AdministrativeUnit) -> str:
    return unit.name[:1].lower() + unit.name[1:]


@transaction.atomic
def ensure_communes(total: int) -> int:
    """At least `total` commune committees in the (first) province, made from its real
    commune units that have none, with the departments of an existing commune and every
    commune procedure of the province; returns how many were created."""
    committee = _province_committee()
    if committee is None or total <= 0:
        return 0
    province = committee.unit
    existing = list(Agency.objects.filter(kind=K.COMMUNE_COMMITTEE, unit__parent=province))
    missing = total - len(existing)
    if missing <= 0:
        return 0
    taken = set(Agency.objects.values_list("unit_id", flat=True))
    units = (
        AdministrativeUnit.objects.filter(
            parent=province, kind=AdministrativeUnit.Kind.COMMUNE, is_legacy=False
        )
        .exclude(pk__in=taken)
        .order_by("code")
    )
    numbers = _free_numbers(committee)
    departments = _commune_departments(existing)
    created = [
        _create_commune(committee, unit, next(numbers), departments) for unit in units[:missing]
    ]
    _implement_commune_procedures(existing, created)
    return len(created)


def _free_numbers(committee: Agency):
    prefix = f"{committee.code}.50."
    used = {
        code.removeprefix(prefix)
        for code in Agency.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    }
    number = 1
    while True:
        if f"{number:02d}" not in used:
            yield number
        number += 1


def _commune_departments(existing: list[Agency]) -> list[tuple[str, str]]:
    """The departments of the first existing commune, or the usual two."""
    first = min(existing, key=lambda agency: agency.code, default=None)
    found = list(first.departments.values_list("code", "name")) if first else []
    return found or COMMUNE_DEPARTMENTS


def _create_commune(
    committee: Agency, unit: AdministrativeUnit, number: int, departments: list[tuple[str, str]]
) -> Agency:
    name = _commune_name(unit)
    agency = Agency.objects.create(
        code=f"{committee.code}.50.{number:02d}",
        name=f"Ủy ban nhân dân {name}",
        short_name=f"UBND {name}"[:64],
        kind=K.COMMUNE_COMMITTEE,
        parent=committee,
        unit=unit,
    )
    Department.objects.bulk_create(
        Department(agency=agency, code=code, name=name) for code, name in departments
    )
    return agency


def _implement_commune_procedures(existing: list[Agency], created: list[Agency]) -> None:
    """The new communes carry out what the existing ones do (or, with none yet, every
    procedure published for the commune level)."""
    if not created:
        return
    current = ProcedureVersion.objects.filter(procedure__current_version=F("pk"))
    if existing:
        versions = current.filter(implementing_agencies__in=existing).distinct()
    else:
        versions = current.filter(procedure__levels_index__contains=f" {CatalogueLevel.COMMUNE} ")
    for version in versions.select_related("procedure__owner_agency"):
        procedure = version.procedure
        implementing = list(version.implementing_agencies.all())
        assign_local_agencies(
            procedure, owner=procedure.owner_agency, implementing=implementing + created, actor=None
        )


# --- Reading the world ----------------------------------------------------------------------


def _places(rng: random.Random) -> dict[int, Place]:
    agencies = Agency.objects.filter(is_active=True).select_related("unit").order_by("pk")
    places = {}
    for agency in agencies:
        unit = agency.unit
        province = unit.pk if unit.kind == AdministrativeUnit.Kind.PROVINCE else unit.parent_id
        place = Place(agency.pk, agency.code, agency.kind, unit.name, province)
        place.weight = (1.8 if unit.division_type == "phường" else 1.0) * rng.lognormvariate(
            0, 0.35
        )
        place.lateness = rng.lognormvariate(0, 0.6)
        places[agency.pk] = place
    _staff(places)
    for agency_id, dept_id in Department.objects.filter(is_active=True).values_list(
        "agency_id", "pk"
    ):
        if agency_id in places:
            places[agency_id].departments.append(dept_id)
    for agency_id, point_id in ReceptionPoint.objects.filter(is_active=True).values_list(
        "agency_id", "pk"
    ):
        if agency_id in places and places[agency_id].point is None:
            places[agency_id].point = point_id
    return places


def _staff(places: dict[int, Place]) -> None:
    memberships = Membership.objects.filter(is_active=True, user__is_active=True).order_by("pk")
    for agency_id, role, user_id in memberships.values_list("agency_id", "role", "user_id"):
        place = places.get(agency_id)
        if place is not None:
            place.by_role.setdefault(role, user_id)
    for place in places.values():
        place.clerk = place.by_role.get(Role.RECEIVING_CLERK)
        place.officer = next((place.by_role[r] for r in OFFICER_ROLES if r in place.by_role), None)


def _fallback_user() -> int:
    User = get_user_model()
    user = User.objects.filter(is_active=True, memberships__isnull=False).order_by("pk").first()
    if user is None:
        user, _ = User.objects.get_or_create(
            username=SYNTHETIC_USER, defaults={"is_active": False, "first_name": "Dữ liệu mẫu"}
        )
    return user.pk


def _steps(version: ProcedureVersion) -> list[Step]:
    return [
        Step(
            s.order,
            s.name,
            s.role,
            s.agency_id,
            s.department_id,
            s.budget_hours,
            int(s.budget_hours * 3600),
        )
        for s in version.steps.all()
    ]


def _department(steps: list[Step], place: Place, procedure_id: int) -> int | None:
    """The intake rule (the department of the first step at the competent agency that names
    one); when the process names none, one of the agency's departments, fixed per
    procedure, so that reports by department have something to show."""
    for step in steps:
        if step.department_id and (step.agency_id or place.id) == place.id:
            return step.department_id
    if place.departments:
        return place.departments[procedure_id % len(place.departments)]
    return None


def _plan(procedure: Procedure, places: dict[int, Place], rng: random.Random) -> Plan | None:
    version = procedure.current_version
    assert version is not None  # load_world reads published procedures only
    ids = [a.pk for a in version.implementing_agencies.all()]
    if not ids and procedure.owner_agency_id is not None:
        ids = [procedure.owner_agency_id]
    competent = [places[i] for i in ids if i in places]
    if not competent:
        return None
    limit = None
    if version.time_limit_value is not None and version.time_limit_unit:
        limit = (version.time_limit_value, version.time_limit_unit)
    channels = set(version.channels or Channel.values)
    steps = _steps(version)
    weights = [p.weight if p.is_commune else 1.0 for p in competent]
    return Plan(
        id=procedure.pk,
        version_id=version.pk,
        subject=version.name[:120],
        limit=limit,
        online=Channel.ONLINE in channels,
        postal=Channel.POSTAL in channels,
        clock=version.supplement_clock or settings.MOTCUA_SUPPLEMENT_CLOCK,
        competent=competent,
        cumulative=list(accumulate(weights)),
        steps=steps,
        department={p.id: _department(steps, p, procedure.pk) for p in competent},
        lateness=rng.lognormvariate(0, 0.4),
    )


def _rank(plans: list[Plan], names: dict[int, str], rng: random.Random) -> list[Plan]:
    """Everyday procedures first (for each fragment, the shortest name containing it),
    then the rest in an order drawn from the seed."""
    ranked, left = [], list(plans)
    for fragment in HOT:
        found = [p for p in left if fragment in names[p.id]]
        if found:
            best = min(found, key=lambda p: (len(names[p.id]), p.id))
            ranked.append(best)
            left.remove(best)
    rng.shuffle(left)
    return ranked + left


def _pool(plans: list[Plan], names: dict[int, str], rng: random.Random) -> Pool | None:
    if not plans:
        return None
    ranked = _rank(plans, names, rng)
    weights = [1 / math.pow(rank, ZIPF) for rank in range(1, len(ranked) + 1)]
    return Pool(ranked, list(accumulate(weights)))


def load_world(rng: random.Random) -> World:
    places = _places(rng)
    procedures = (
        Procedure.objects.filter(
            is_active=True, current_version__status=ProcedureVersion.Status.PUBLISHED
        )
        .select_related("current_version")
        .prefetch_related("current_version__implementing_agencies", "current_version__steps")
        .order_by("pk")
    )
    plans, names = [], {}
    for procedure in procedures:
        plan = _plan(procedure, places, rng)
        if plan is not None:
            plans.append(plan)
            names[plan.id] = procedure.current_version.name.casefold()
    by_level = defaultdict(list)
    for plan in plans:
        by_level[plan.is_commune].append(plan)
    centre = next((p for p in places.values() if p.kind == K.PROVINCIAL_SERVICE_CENTRE), None)
    return World(
        commune=_pool(by_level[True], names, rng),
        province=_pool(by_level[False], names, rng),
        centre=centre,
        fallback_user=_fallback_user(),
        places=places,
    )
