"""The filing app's background work (django-tasks, run by the worker, outbox.schedule)."""

from django_tasks import task

from .services import expire_drafts


@task()
def remove_expired_drafts() -> int:
    """Drafts left without a change for MOTCUA_DRAFT_DAYS go, with their files; daily."""
    return expire_drafts()
