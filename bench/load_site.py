"""The database side of the load bench and of the crash test, run as a subprocess with the
scratch server's environment (bench/production.py `site`), printing JSON:

- `python -m bench.load_site clerks N`: after `seed_demo`, N receiving clerks at the demo's
  provincial service centre (where `tiepnhan` works), each with an API token, and the
  provincial procedures such a clerk receives (the centre receives for the province's
  departments: dossiers.routing).
- `python -m bench.load_site small N`: on an empty database, `migrate`, then instead of the
  demo (it takes ~10 s to load) the tracking bench's commune with its 4-step procedure, and
  N clerks with tokens there (one process: the crash test's setup stays short).
- `python -m bench.load_site check FILE`: the integrity check of `check` below, FILE being
  what the clients were told (JSON: {"dossiers": [{"code", "key", "handed_over"}]}).

The clients put their Idempotency-Key in each dossier's subject ("bench <key>"), so that the
check can count the dossiers made per request without relying on the idempotency feature.
"""

import json
import os
import sys
from collections import Counter, defaultdict
from pathlib import Path

SUBJECT_PREFIX = "bench "
CENTRE = "H42.01"  # the demo's provincial service centre (motcua/demo/organisations.py)
PROCEDURES = 20


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()


# --- Accounts ---------------------------------------------------------------------------------


def clerks(count: int) -> dict:
    from motcua.organisations.models import Agency

    centre = Agency.objects.get(code=CENTRE)
    return {
        "agency": centre.code,
        "clerks": _clerks(centre, count),
        "procedures": _provincial_procedures(centre),
    }


def small(count: int) -> dict:
    from django.core.management import call_command

    from bench.bench_tracking import _organisation

    call_command("migrate", verbosity=0)
    *_, procedure, agency = _organisation()
    return {"agency": agency.code, "clerks": _clerks(agency, count), "procedures": [procedure.code]}


def _clerks(agency, count: int) -> list[dict]:
    from django.contrib.auth import get_user_model

    from motcua.organisations.roles import Role
    from motcua.organisations.services import grant_membership
    from motcua.organisations.tokens import issue_token

    made = []
    for n in range(count):
        user = get_user_model().objects.create_user(username=f"bench.clerk.{n:03d}")
        grant_membership(user, agency, Role.RECEIVING_CLERK, actor=None)
        made.append({"username": user.username, "token": issue_token(user, name="bench").plain})
    return made


def _provincial_procedures(centre) -> list[str]:
    """Published procedures carried out by one provincial agency of the centre's province,
    with a checklist and an internal process: what the centre's counter receives most."""
    from motcua.catalogue.models import Procedure

    chosen = []
    versions = Procedure.objects.published().select_related("current_version").order_by("code")
    for procedure in versions:
        version = procedure.current_version
        agencies = list(version.implementing_agencies.select_related("unit"))
        if len(agencies) != 1 or agencies[0].unit_id != centre.unit_id:
            continue
        if version.components.exists() and version.steps.exists():
            chosen.append(procedure.code)
    step = max(1, len(chosen) // PROCEDURES)
    return chosen[::step][:PROCEDURES]


# --- The integrity check ----------------------------------------------------------------------


def check(told: dict) -> dict:
    """What the clients were told against what the database holds:

    - lost: acknowledged codes missing from the database;
    - half_written: dossiers (acknowledged or not) without their receive event, without the
      steps of their process, or acknowledged as handed over without that event;
    - duplicates: codes given twice, and requests (Idempotency-Key) that made two dossiers;
    - gaps: per agency and day, the sequence numbers not used between 1 and the day's last;
    - tallies: the statistics' running tallies against a rebuild from the dossier rows.
    """
    from motcua.dossiers.models import Dossier

    rows = {d["code"]: d for d in _dossiers()}
    acknowledged = told["dossiers"]
    lost = sorted({d["code"] for d in acknowledged} - set(rows))
    keys = {d["key"] for d in acknowledged}
    stored_keys = Counter(row["key"] for row in rows.values())
    return {
        "acknowledged": len({d["code"] for d in acknowledged}),
        "stored": len(rows),
        "stored_total": Dossier.objects.count(),
        "unacknowledged_stored": sorted(
            code for code, row in rows.items() if row["key"] not in keys
        ),
        "lost": lost,
        "half_written": _half_written(rows, acknowledged),
        "duplicate_codes": _duplicate_codes(acknowledged),
        "duplicate_requests": sorted(k for k, n in stored_keys.items() if n > 1),
        "gaps": _gaps(),
        "tallies": _tallies_against_rebuild(),
    }


def _dossiers() -> list[dict]:
    """The bench's dossiers with what the check needs (a few queries, not one per dossier)."""
    from django.db.models import Count, Q

    from motcua.dossiers.models import Dossier
    from motcua.dossiers.status import Action

    dossiers = Dossier.objects.filter(subject__startswith=SUBJECT_PREFIX).annotate(
        receive_events=Count("events", filter=Q(events__action=Action.RECEIVE), distinct=True),
        hand_over_events=Count("events", filter=Q(events__action=Action.HAND_OVER), distinct=True),
        step_count=Count("steps", distinct=True),
        planned_steps=Count("procedure_version__steps", distinct=True),
    )
    fields = ["code", "subject", "receive_events", "hand_over_events", "step_count"]
    return [
        {**row, "key": row["subject"].removeprefix(SUBJECT_PREFIX)}
        for row in dossiers.values(*fields, "planned_steps")
    ]


def _half_written(rows: dict, acknowledged: list[dict]) -> list[str]:
    bad = {
        code
        for code, row in rows.items()
        if row["receive_events"] != 1 or row["step_count"] != row["planned_steps"]
    }
    bad |= {
        d["code"]
        for d in acknowledged
        if d.get("handed_over") and d["code"] in rows and not rows[d["code"]]["hand_over_events"]
    }
    return sorted(bad)


def _duplicate_codes(acknowledged: list[dict]) -> list[str]:
    """A code told to two different requests (a replay of the same key is not one)."""
    keys_by_code = defaultdict(set)
    for d in acknowledged:
        keys_by_code[d["code"]].add(d["key"])
    return sorted(code for code, keys in keys_by_code.items() if len(keys) > 1)


def _gaps() -> dict[str, list[int]]:
    """Per agency and day (motcua/dossiers/codes.py), the numbers missing from 1..last and
    any beyond it, over every dossier in the database."""
    from motcua.dossiers.codes import format_code
    from motcua.dossiers.models import DailySequence, Dossier

    used = defaultdict(set)
    for code in Dossier.objects.values_list("code", flat=True):
        prefix, _, number = code.rpartition("-")
        used[prefix].add(int(number))
    gaps = {}
    for sequence in DailySequence.objects.select_related("agency"):
        prefix = format_code(sequence.agency.code, sequence.day, 0).rpartition("-")[0]
        expected = set(range(1, sequence.last_value + 1))
        wrong = sorted(expected ^ used.pop(prefix, set()))
        if wrong:
            gaps[prefix] = wrong
    gaps.update({prefix: sorted(numbers) for prefix, numbers in used.items()})  # no sequence
    return gaps


def _tallies_against_rebuild() -> dict:
    """Every tally row (per day, per month, and the month snapshots that exist) and every
    dossier's stored points, before and after `tallies.rebuild()` — the function behind
    `manage.py rebuild_tallies` —, the rebuild rolled back: the database is left as it was."""
    from django.db import transaction

    from motcua.reports import tallies

    before = _tally_rows()
    with transaction.atomic():
        result = tallies.rebuild()
        after = _tally_rows(months=before["months"])
        transaction.set_rollback(True)
    differing = {name: len(before[name] ^ after[name]) for name in ("day", "month", "stock")}
    return {
        "equal": not any(differing.values()) and result["changed"] == 0,
        "rows_differing": differing,
        "dossiers_with_other_points": result["changed"],
        "day_rows": len(before["day"]),
        "month_rows": len(before["month"]),
    }


def _tally_rows(months: frozenset | None = None) -> dict[str, frozenset]:
    """Non-zero rows as sets of tuples; the snapshots of `months` only (the running system
    makes a month's snapshot when a report first needs it, a rebuild makes them all)."""
    from motcua.reports.facts import COLUMNS, STOCKS
    from motcua.reports.models import DayTally, MonthStock, MonthTally, StockMonth
    from motcua.reports.tallies import KEY

    def rows(model, period: str, columns) -> frozenset:
        values = model.objects.values_list(period, *KEY, *columns)
        return frozenset(row for row in values if any(row[1 + len(KEY) :]))

    if months is None:
        months = frozenset(StockMonth.objects.values_list("month", flat=True))
    stocks = rows(MonthStock, "month", STOCKS)
    return {
        "day": rows(DayTally, "day", COLUMNS),
        "month": rows(MonthTally, "month", COLUMNS),
        "stock": frozenset(row for row in stocks if row[0] in months),
        "months": months,
    }


def present(told: dict) -> dict:
    """Which of the dossiers the clients were told of a restored database lacks, or holds
    without their receive event."""
    from motcua.dossiers.models import Dossier, DossierEvent
    from motcua.dossiers.status import Action

    codes = {d["code"] for d in told["dossiers"]}
    stored = set(Dossier.objects.filter(code__in=codes).values_list("code", flat=True))
    received = set(
        DossierEvent.objects.filter(dossier__code__in=codes, action=Action.RECEIVE).values_list(
            "dossier__code", flat=True
        )
    )
    return {
        "restored": Dossier.objects.count(),
        "missing": sorted(codes - stored),
        "no_event": sorted(stored - received),
    }


if __name__ == "__main__":
    _setup()
    action, argument = sys.argv[1], sys.argv[2]
    if action == "check":
        result = check(json.loads(Path(argument).read_text()))
    elif action == "present":
        result = present(json.loads(Path(argument).read_text()))
    else:
        result = {"clerks": clerks, "small": small}[action](int(argument))
    print(json.dumps(result, default=str))
