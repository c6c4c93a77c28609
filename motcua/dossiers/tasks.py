"""The dossiers' background work (django-tasks, run by the worker, outbox.schedule)."""

from django_tasks import task

from .deadlines import process_deadlines


@task()
def record_deadline_warnings() -> dict[str, int]:
    """Record the due-soon, apology-prompt and overdue warnings that are due
    (deadlines.process_deadlines); every MOTCUA_DEADLINES_INTERVAL seconds."""
    return {str(action): count for action, count in process_deadlines().counts.items()}
