import json
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from motcua.reports.tallies import sync as sync_statistics

from .models import Dossier, DossierEvent, DossierStep
from .status import Action


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def record(
    dossier: Dossier,
    action: Action,
    *,
    actor,
    from_status: int | None,
    step: DossierStep | None = None,
    note: str = "",
    at: datetime | None = None,
    **data: Any,
) -> DossierEvent:
    """Append the event for a change just made to `dossier` (same transaction), and bring
    the statistics' running tallies in line with it (reports.tallies)."""
    values = {"created_at": at} if at is not None else {}
    sync_statistics(dossier)
    return DossierEvent.objects.create(
        dossier=dossier,
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        from_status=from_status,
        to_status=dossier.status,
        step=step,
        note=note,
        data=_jsonable(data),
        **values,
    )
