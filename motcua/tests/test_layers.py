"""The apps' dependencies, as docs/architecture.md §1 draws them: a new import between apps
fails here until it is added to ALLOWED with its reason. Doors (api, backoffice, portal)
depend on the domain; readers (reports, documents, runtime's metrics) read it; the domain core
(dossiers) imports neither, and learns of the apps that react to it through its lifecycle
registry. Tests and migrations are left out."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]  # the motcua package
DOORS = {"api", "backoffice", "portal"}
READERS = {"reports", "documents", "synthetic", "backups"}

ALLOWED: dict[str, set[str]] = {
    "audit": set(),
    # Audited changes; the organisations file in Excel through the one formula-safe writer.
    "organisations": {"audit", "interchange", "spreadsheets"},
    "throttle": {"audit", "organisations"},
    "runtime": {"dossiers", "outbox"},  # /metrics counts dossiers and waiting messages
    "outbox": {"audit", "organisations", "runtime"},  # the heartbeat; admins only for system admins
    "workdays": {"audit", "organisations", "outbox"},  # a calendar change moves deadlines
    "catalogue": {"audit", "interchange", "organisations", "spreadsheets"},
    "dossiers": {"catalogue", "organisations", "outbox", "runtime", "throttle", "workdays"},
    # QĐ 766 3.5 and 3.6 are counted from the payments' records (payments.indicators), group 5
    # and Circular 01 indicator 8 from the ratings and the feedback register (feedback.indicators).
    "reports": {  # audit: the appraised scores of the nine indicators are audited changes
        "audit", "catalogue", "dossiers", "feedback", "organisations", "outbox", "payments",
        "registry", "workdays",
    },
    "documents": {"catalogue", "dossiers", "organisations", "reports", "spreadsheets"},
    # runtime: the planner statistics after a bulk load
    "synthetic": {"catalogue", "dossiers", "organisations", "reports", "runtime", "workdays"},
    "backups": {"dossiers", "runtime"},
    # Fees: what a dossier owes (lifecycle subscriber), counter payments, receipts through the
    # outbox, audited; the receipt PDF with the documents' fonts and form layout. The citizen's
    # payment page for the signed-in account (accounts) and its address (throttle's client_ip);
    # the fake payment platform's demo merchant in development (fakepay, as accounts/fakeidp);
    # the reconciliation report in Excel through the one formula-safe writer.
    "payments": {
        "accounts", "audit", "catalogue", "documents", "dossiers", "fakepay", "organisations",
        "outbox", "spreadsheets", "throttle",
    },
    # Notices to applicants: hears dossier events (lifecycle, in the transaction), sends from
    # outbox consumers; its admin for system administrators, its changes audited.
    "notifications": {"audit", "dossiers", "organisations", "outbox"},
    # The demo province, its catalogue, months of synthetic history and live dossiers moved
    # through the services (seed_demo --dossiers): a newcomer opens on a living centre.
    # (and the demo procedures' e-forms, kept with the filing app that reads them).
    "demo": {"catalogue", "dossiers", "filing", "organisations", "synthetic", "workdays"},
    "portal": {"catalogue", "dossiers", "throttle"},
    # Citizen accounts: identity numbers checked by the dossiers' rules (dossiers/identity.py),
    # audited creation and links, the fake provider's demo clients for development.
    # Local accounts: codes sent through the notices' channels, limits on throttle's counters;
    # the forms the applicant was handed (receipt, apology…) as the documents app draws them.
    "accounts": {"audit", "documents", "dossiers", "fakeidp", "notifications", "throttle"},
    "fakeidp": set(),  # the fake national identity provider stands alone
    # Signatures: results signed when a leader's approval is recorded (a lifecycle subscriber),
    # the keys and images per agency (organisations), audited; the appearance drawn with the
    # documents' fonts; the demo's token for the demo agencies' leaders; the public
    # verification page limited per address (throttle).
    # Receipts of fees sealed by their collecting agency (payments' receipt finisher).
    "signing": {"audit", "documents", "dossiers", "organisations", "payments", "throttle"},
    # The registry of digitised documents and results: scans made electronic copies signed by
    # the agency's seal (signing) when the dossiers' lifecycle says a scan was attached, the
    # result registered when it is ready; reused at later intakes through the attach service.
    "registry": {"audit", "catalogue", "dossiers", "organisations", "signing"},
    # Ratings of dossiers and the feedback register: audited, deadlines from the calendar, files
    # checked as the dossiers' are, the sender's notice through the notices' channels from an
    # outbox consumer, the citizen's pages for the signed-in account, Excel formula-safe.
    "feedback": {
        "accounts", "audit", "catalogue", "dossiers", "notifications", "organisations", "outbox",
        "spreadsheets", "workdays",
    },
    "fakepay": {"outbox"},  # the fake payment platform: delayed callbacks by a periodic job
    # Online filing: drafts with e-forms (the catalogue's), submitted through the dossiers' intake.
    # The acknowledgement's QR code is the documents' (the same tracking address as Mẫu 01).
    # A daily job removes expired drafts (outbox.schedule); the DVCQG deep link finds the
    # agency by its code or alias (organisations) and signs in through accounts' providers.
    # Documents reused from earlier dossiers are recorded as reuses of the registry (4.3).
    "filing": {
        "accounts", "catalogue", "documents", "dossiers", "organisations", "outbox", "registry",
        "workdays",
    },
    # The queue: tickets become dossiers through the dossiers' lifecycle (a subscriber), the
    # counters are the organisations', ticket hours the calendar's, duty changes audited; the
    # lookup kiosk reads the catalogue and the public tracking with throttle's client address;
    # the rating tablet opens the ratings' device page (feedback.devices); "your turn is near"
    # leaves through the outbox and the notices' SMS channel; the month's figures download
    # through spreadsheets (formula-safe).
    "queueing": {
        "audit", "catalogue", "dossiers", "feedback", "notifications", "organisations", "outbox",
        "spreadsheets", "throttle", "workdays",
    },
    # api → feedback: the register, ratings and the citizen's own items as JSON; audit: an
    # item's history.
    "api": {
        "audit", "catalogue", "documents", "dossiers", "feedback", "organisations", "reports",
        "runtime", "signing", "throttle", "workdays",
    },
    "backoffice": {
        "audit", "catalogue", "documents", "dossiers", "organisations", "registry", "reports",
        "throttle", "workdays",
    },
}  # fmt: skip


def _imported_apps(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
            if node.module == "motcua":
                names = [f"motcua.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        found |= {name.split(".")[1] for name in names if name.startswith("motcua.")}
    return found


def _dependencies(app: str) -> dict[str, set[str]]:
    """Each other part of motcua the app's modules import, with the modules importing it."""
    edges: dict[str, set[str]] = {}
    for path in (ROOT / app).rglob("*.py"):
        if {"tests", "migrations"} & set(path.relative_to(ROOT).parts):
            continue
        for other in _imported_apps(path) - {app}:
            edges.setdefault(other, set()).add(str(path.relative_to(ROOT.parent)))
    return edges


APPS = sorted(p.name for p in ROOT.iterdir() if (p / "apps.py").exists())


def test_every_app_is_in_the_table():
    assert set(APPS) == set(ALLOWED)


@pytest.mark.parametrize("app", APPS)
def test_an_app_imports_only_what_the_table_allows(app):
    unexpected = {
        other: sorted(modules)
        for other, modules in _dependencies(app).items()
        if other not in ALLOWED[app] and other not in {"settings", "testing", "i18n"}
    }
    assert not unexpected, f"{app} imports {unexpected}: add the edge to ALLOWED with its reason"


def test_the_domain_core_imports_no_door_and_no_reader():
    assert not (ALLOWED["dossiers"] & (DOORS | READERS))
    assert not (set(_dependencies("dossiers")) & (DOORS | READERS))


@pytest.mark.parametrize("app", sorted(set(ALLOWED) - DOORS))
def test_no_app_below_the_doors_imports_one(app):
    assert not (ALLOWED[app] & DOORS)
