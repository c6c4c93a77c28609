"""GET /metrics: Prometheus text format for a province's monitoring, off unless
MOTCUA_METRICS_TOKEN is set (then the scraper sends it as a bearer token). Gauges read from
the database, so every server process tells the same; the dossier counts are cached for a
minute, since a scrape every few seconds must not count millions of rows each time; so are
the outbox's (waiting and dead messages: alert on dead ones, docs/deployment.md)."""

import hmac

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from motcua.dossiers.models import Dossier
from motcua.outbox.models import OutboxMessage

from .health import check_database, check_disk, check_worker, version

COUNTS_KEY = "motcua:metrics:dossier-counts"


def _allowed(request) -> bool:
    token = settings.MOTCUA_METRICS_TOKEN
    if not token:
        raise Http404
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return hmac.compare_digest(given.encode(), token.encode())


def _dossier_counts() -> dict[str, int]:
    counts = cache.get(COUNTS_KEY)
    if counts is None:
        now = timezone.now()
        messages = OutboxMessage.objects.all()
        waiting = [OutboxMessage.State.PENDING, OutboxMessage.State.LEASED]
        counts = {
            "open": Dossier.objects.open().count(),
            "overdue": Dossier.objects.overdue(now).count(),
            "outbox_waiting": messages.filter(state__in=waiting).count(),
            "outbox_dead": messages.filter(state=OutboxMessage.State.DEAD).count(),
        }
        cache.set(COUNTS_KEY, counts, 60)
    return counts


def _lines() -> list[str]:
    database, worker, disk = check_database(), check_worker(), check_disk()
    counts = _dossier_counts() if database["ok"] else {}
    gauges = [
        ("motcua_database_up", "Database answers", int(database["ok"])),
        ("motcua_database_ping_seconds", "Time of SELECT 1", database.get("ms", 0) / 1000),
        ("motcua_worker_lag_seconds", "Since the worker's last round", worker.get("lag_seconds")),
        ("motcua_disk_free_bytes", "Free where data lives", disk["free_mb"] * 1024 * 1024),
        ("motcua_dossiers_open", "Dossiers being processed", counts.get("open")),
        ("motcua_dossiers_overdue", "Open dossiers past their appointment", counts.get("overdue")),
        (
            "motcua_outbox_waiting",
            "Outbox messages not yet delivered",
            counts.get("outbox_waiting"),
        ),
        ("motcua_outbox_dead", "Outbox messages failed for good", counts.get("outbox_dead")),
    ]
    lines = [
        "# HELP motcua_build_info Version of motcua",
        "# TYPE motcua_build_info gauge",
        f'motcua_build_info{{version="{version()}"}} 1',
    ]
    for name, help_text, value in gauges:
        if value is not None:
            lines += [f"# HELP {name} {help_text}", f"# TYPE {name} gauge", f"{name} {value}"]
    return lines


@never_cache
@require_GET
def metrics(request):
    if not _allowed(request):
        return HttpResponse("unauthorised\n", status=401, content_type="text/plain")
    body = "\n".join(_lines()) + "\n"
    return HttpResponse(body, content_type="text/plain; version=0.0.4; charset=utf-8")
