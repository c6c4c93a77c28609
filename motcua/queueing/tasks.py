"""The queue's background work (django-tasks, run by the worker, outbox.schedule)."""

from django_tasks import task

from .closing import close_past_days


@task()
def close_past_tickets() -> int:
    """Tickets left open when their day ended are closed (closing.py); hourly."""
    return close_past_days()
