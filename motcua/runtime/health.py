"""GET /healthz: what a monitor (or a load balancer) needs to know, without personal data.

200 while the database answers and the disk has room; 503 otherwise, so a balancer takes the
node out. A late worker makes the status "degraded" but keeps 200: the pages still work, and
the monitor alerts on the field.
"""

import shutil
import time
import tomllib
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .models import WorkerHeartbeat


@cache
def version() -> str:
    with open(settings.BASE_DIR / "pyproject.toml", "rb") as handle:
        number = tomllib.load(handle)["project"]["version"]
    revision = getattr(settings, "MOTCUA_REVISION", "")
    return f"{number}+{revision}" if revision else number


def check_database() -> dict:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 2)}


def check_worker() -> dict:
    try:
        last = WorkerHeartbeat.objects.order_by("-last_run_at").values_list(
            "last_run_at", flat=True
        )
        last_run = last.first()
    except DatabaseError:
        return {"ok": False, "error": "unreadable"}
    if last_run is None:
        return {"ok": False, "lag_seconds": None}
    lag = (timezone.now() - last_run).total_seconds()
    return {"ok": lag <= settings.MOTCUA_HEALTH_WORKER_LAG, "lag_seconds": round(lag)}


def check_disk() -> dict:
    places = {settings.MEDIA_ROOT}
    name = settings.DATABASES["default"]["NAME"]
    if connection.vendor == "sqlite" and name and str(name) != ":memory:":
        places.add(Path(name).parent)
    free_mb = min(shutil.disk_usage(_existing(p)).free for p in places) // (1024 * 1024)
    return {"ok": free_mb >= settings.MOTCUA_HEALTH_MIN_FREE_MB, "free_mb": free_mb}


def _existing(path):
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


@never_cache
@require_GET
def healthz(request):
    checks = {"database": check_database(), "worker": check_worker(), "disk": check_disk()}
    serving = checks["database"]["ok"] and checks["disk"]["ok"]
    status = "ok" if serving and checks["worker"]["ok"] else ("degraded" if serving else "down")
    body = {"status": status, "version": version(), "checks": checks}
    return JsonResponse(body, status=200 if serving else 503)
