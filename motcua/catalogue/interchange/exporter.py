"""The published catalogue as interchange records (what `export_catalogue` writes)."""

from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet

from ..models import Procedure, ProcessStep
from .record import ProcedureRecord, from_version, to_json

CHUNK = 500


def with_current_content(procedures: QuerySet[Procedure]) -> QuerySet[Procedure]:
    """Procedures with their current version and its children in a fixed number of queries."""
    return procedures.select_related(
        "owner_agency", "current_version__field", "current_version__deciding_agency"
    ).prefetch_related(
        "current_version__components",
        "current_version__fees",
        Prefetch(
            "current_version__steps",
            queryset=ProcessStep.objects.select_related("agency", "department"),
        ),
        "current_version__implementing_agencies",
    )


def current_record(procedure: Procedure) -> ProcedureRecord | None:
    version = procedure.current_version
    if version is None:
        return None
    version.procedure = procedure  # already loaded, with its owner agency
    return from_version(version)


def export_records(codes: list[str] | None = None) -> Iterator[dict[str, Any]]:
    """Published procedures in code order (only `codes` when given), one dict each."""
    procedures = Procedure.objects.published().order_by("code")
    if codes:
        procedures = procedures.filter(code__in=codes)
    keys = list(procedures.values_list("pk", flat=True))
    for start in range(0, len(keys), CHUNK):
        chunk = with_current_content(Procedure.objects.filter(pk__in=keys[start : start + CHUNK]))
        for procedure in chunk.order_by("code"):
            record = current_record(procedure)
            if record is not None:
                yield to_json(record)
