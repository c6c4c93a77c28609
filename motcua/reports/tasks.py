"""The statistics' background work (django-tasks, run by the worker, outbox.schedule)."""

from django.utils import timezone
from django_tasks import task

from . import tallies
from .scope import next_month


@task()
def make_month_snapshots() -> int:
    """Make the month snapshots up to next month that are missing (tallies.ensure_months):
    reports read them and never make them, so that a report never writes. Hourly; a month
    that is already there costs one read. Returns how many months have a snapshot."""
    return len(tallies.ensure_months(next_month(timezone.localdate())))
