"""The subprocess side of bench/bench_pages.py, with DATABASE_URL naming the pages' database:

    python -m bench.pages_site build SIZE SEED   migrate, the demo, SIZE synthetic dossiers
                                                 with their steps, work for the demo officers
    python -m bench.pages_site measure RUNS      time the pages; JSON on stdout

Run by bench_pages only (its settings: DEBUG off, production-like; the test client's host)."""

import json
import os
import statistics
import sys
import time
from datetime import date, timedelta

BUILD_VERSION = 1  # part of the cached file's name (bench_pages): raise it when build() changes
FIRST = date(2022, 1, 1)
COMMUNES = 69  # Hà Tĩnh after the 2025 reform, as bench_reports
ASSIGNED = 200  # steps in progress given to the demo specialist (their queue)
CLERK, SPECIALIST, HEAD = "tiepnhan", "chuyenvien", "truongphong"
DEPARTMENT_AGENCY = "H42.12"  # the demo's Sở Tư pháp, where the specialist and head work


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()


def build(size: int, seed: int) -> None:
    from io import StringIO

    from django.core.management import call_command

    from motcua.synthetic.generator import Options, generate

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=StringIO())
    last = date.today() - timedelta(days=1)  # open dossiers fall due around now
    generate(
        Options(size, FIRST, last, seed=seed, communes=COMMUNES, steps=True),
        quiet=True,
        rebuild=False,  # the pages read no statistics
    )
    _give_work()


def _give_work() -> None:
    """The specialist's queue: steps in progress of their department, assigned to them."""
    from django.contrib.auth import get_user_model

    from motcua.dossiers.models import DossierStep

    specialist = get_user_model().objects.get(username=SPECIALIST)
    membership = specialist.memberships.get()
    steps = DossierStep.objects.filter(
        state=DossierStep.State.ACTIVE, agency=membership.agency, assignee__isnull=True
    ).order_by("-pk")[:ASSIGNED]
    DossierStep.objects.filter(pk__in=list(steps.values_list("pk", flat=True))).update(
        assignee=specialist
    )


def measure(runs: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # migrations added since the file was built
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    users = get_user_model().objects.in_bulk([CLERK, SPECIALIST, HEAD], field_name="username")
    pages = {
        "bare: GET /healthz": (None, "/healthz"),
        "dossier page (head)": (HEAD, reverse("backoffice:dossier", args=[_dossier_code()])),
        "my work (clerk)": (CLERK, reverse("backoffice:my-work")),
        "my work (specialist)": (SPECIALIST, reverse("backoffice:my-work")),
        "my work (head)": (HEAD, reverse("backoffice:my-work")),
        "counter: find a procedure": (
            CLERK,
            reverse("backoffice:intake-choose") + "?q=ly+lich+tu+phap",
        ),
        "counter: intake form": (CLERK, reverse("backoffice:intake", args=[_procedure_code()])),
    }
    found = {"dossiers": _dossier_count(), "pages": {}}
    for name, (username, url) in pages.items():
        client = Client()
        if username:
            client.force_login(users[username])
        for _ in range(3):  # warm up: templates, the calendar, the session's first save
            _get(client, url)
        with CaptureQueriesContext(connection) as queries:
            _get(client, url)
        count = len(queries.captured_queries)  # before the next request resets the log
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            _get(client, url)
            timings.append(time.perf_counter() - started)
        found["pages"][name] = {
            "queries": count,
            "median": statistics.median(timings),
            "p95": sorted(timings)[max(0, int(len(timings) * 0.95) - 1)],
        }
    return found


def _get(client, url: str) -> None:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url}: {response.status_code}")


def _dossier_code() -> str:
    """The latest dossier in processing with a step at the head's agency."""
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.status import Status

    return (
        Dossier.objects.filter(status=Status.PROCESSING, steps__agency__code=DEPARTMENT_AGENCY)
        .order_by("-pk")
        .values_list("code", flat=True)[0]
    )


def _procedure_code() -> str:
    from motcua.catalogue.models import Procedure

    found = Procedure.objects.published().filter(
        current_version__implementing_agencies__code=DEPARTMENT_AGENCY
    )
    return found.order_by("code").values_list("code", flat=True)[0]


def _dossier_count() -> int:
    from motcua.dossiers.models import Dossier

    return Dossier.objects.count()


if __name__ == "__main__":
    _setup()
    if sys.argv[1] == "build":
        build(int(sys.argv[2]), int(sys.argv[3]))
    else:
        print(json.dumps(measure(int(sys.argv[2]))))
