import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from motcua.organisations.actors import is_system

from . import lifecycle
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
    save: Iterable[str] = (),
    **data: Any,
) -> DossierEvent:
    """Append the event for a change just made to `dossier` (same transaction) and announce
    it to the lifecycle's subscribers (lifecycle.py: the statistics' tallies in this
    transaction, the outbox's consumers after commit). An event of the system
    (organisations.actors.SYSTEM) has no actor and `"system": true` in its data.

    `save`: the dossier's fields the change set and has not saved yet; they are saved after
    the subscribers, with the fields these changed (the dossier's tally), in one UPDATE."""
    values = {"created_at": at} if at is not None else {}
    if is_system(actor):
        data["system"] = True
    event = DossierEvent.objects.create(
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
    fields = [*save, *sorted(lifecycle.announce(dossier, event) - set(save))]
    if fields:
        dossier.save(update_fields=fields)
    return event
