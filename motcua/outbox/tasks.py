"""The outbox's own background tasks (django-tasks, run by the worker)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from . import delivery
from .models import OutboxMessage

# A drain stops after this long so that the worker gets back to its periodic jobs; the next
# round enqueues another while messages are due.
DRAIN_BUDGET_SECONDS = 30.0


@task()
def drain_outbox() -> dict[str, int]:
    """Deliver the messages that are due (outbox.delivery)."""
    summary = delivery.deliver_due(delivery.worker_id(), budget_seconds=DRAIN_BUDGET_SECONDS)
    return {"delivered": summary.delivered, "failed": summary.failed}


@task()
def prune() -> dict[str, int]:
    """Remove delivered messages and finished task results older than MOTCUA_OUTBOX_KEEP_DAYS
    (dead letters stay until an administrator retries or deletes them), and task results
    left running for a day by a worker that died (django-tasks-db never takes them again)."""
    now = timezone.now()
    before = now - timedelta(days=settings.MOTCUA_OUTBOX_KEEP_DAYS)
    messages, _ = OutboxMessage.objects.filter(
        state=OutboxMessage.State.DELIVERED, delivered_at__lt=before
    ).delete()
    finished, _ = DBTaskResult.objects.finished().filter(finished_at__lt=before).delete()
    orphans, _ = (
        DBTaskResult.objects.running().filter(started_at__lt=now - timedelta(days=1)).delete()
    )
    return {"messages": messages, "task_results": finished + orphans}
