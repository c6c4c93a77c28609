"""The payments' periodic job: open payments on the national platform asked about (QUERY)
when their backoff says so (online.py)."""

from django_tasks import task

from . import online


@task()
def query_pending_payments() -> int:
    return online.check_due_attempts()
