"""The organisation tree as interchange records (what `export_organisations` writes):
units first (provinces, then districts, then communes, each in code order), then agencies in
code order with their aliases, departments and reception points."""

from collections.abc import Iterator
from typing import Any

from django.db.models import Case, IntegerField, Prefetch, Value, When

from ..models import AdministrativeUnit, Agency, ReceptionPoint
from .records import agency_json, unit_json

CHUNK = 500
_KIND_ORDER = Case(
    When(kind=AdministrativeUnit.Kind.PROVINCE, then=Value(0)),
    When(kind=AdministrativeUnit.Kind.LEGACY_DISTRICT, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def export_records(units: bool = True, agencies: bool = True) -> Iterator[dict[str, Any]]:
    if units:
        rows = AdministrativeUnit.objects.select_related("parent", "successor")
        for unit in rows.order_by(_KIND_ORDER, "code").iterator(chunk_size=CHUNK):
            yield unit_json(unit)
    if agencies:
        keys = list(Agency.objects.order_by("code").values_list("pk", flat=True))
        for start in range(0, len(keys), CHUNK):
            chunk = _with_children(Agency.objects.filter(pk__in=keys[start : start + CHUNK]))
            for agency in chunk.order_by("code"):
                yield agency_json(agency)


def _with_children(agencies: Any) -> Any:
    return agencies.select_related("parent", "unit", "successor").prefetch_related(
        "aliases",
        "departments",
        Prefetch(
            "reception_points",
            queryset=ReceptionPoint.objects.select_related("unit")
            .prefetch_related("counters")
            .order_by("name", "pk"),
        ),
    )
