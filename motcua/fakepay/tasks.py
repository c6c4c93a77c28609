from django.conf import settings
from django_tasks import task

from . import delivery


@task()
def send_due_callbacks() -> int:
    """The fake platform's delayed callbacks; nothing unless MOTCUA_FAKE_PAYMENTS is on."""
    if not settings.MOTCUA_FAKE_PAYMENTS:
        return 0
    return delivery.send_due()
