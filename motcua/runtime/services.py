import os
import socket

from django.utils import timezone

from .models import WorkerHeartbeat


def record_heartbeat(name: str) -> None:
    """Note that worker `name` finished a round (one upsert; several workers share a name)."""
    WorkerHeartbeat.objects.update_or_create(
        name=name,
        defaults={"last_run_at": timezone.now(), "host": socket.gethostname(), "pid": os.getpid()},
    )
