from typing import Any

from django.db import models

from .models import AuditEvent


def record_event(action: str, target: models.Model, *, actor=None, **data: Any) -> AuditEvent:
    """Append an audit event for `target`; call it inside the transaction that made the change."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:255],
        data=data,
    )
