"""The facts the quality indicators score, as plain values (scoring.py does the arithmetic,
indicators.py assembles): `Facts`, summed over tally rows (quality_reads.py; decision
0015), and what is read from the catalogue (the procedures a unit provides, whether they
are online, complete, with fees). The definitions, written out in docs/indicators.md:

* **Scored dossiers** (indicators 1-4, 6, 7): received dossiers whose processing ended with
  a result, granted or refused after appraisal (status 9 or 10), on a day of the period.
  Withdrawn and stopped dossiers have no result to judge and are left out.
* **Timing** of a dossier: the on-time rule (`dossiers.timeleft.judge`: by the local day of
  the appointment; Circular 01/2018 art. 13) against the appointment judged as in Biểu 06
  (figures.py): the appointment before an apology unless MOTCUA_APOLOGY_EXTENDS_DEADLINE.
* **Timing of the units** (indicator 2): the steps done by the end of processing, each
  against its own deadline, by the hour (`timeleft.step_verdict`: an allotment in working
  hours). Return steps end when the applicant collects the result, which
  is not the unit's time, so they are left out.
* **Officer work**: the steps done within the period, by the officer who completed them
  (the COMPLETE_STEP event's actor, else the step's assignee).
* **Received dossiers** (indicators 5, 9): received within the period.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, time
from types import SimpleNamespace

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalogue.models import OnlineLevel, Procedure
from motcua.dossiers.status import Status

from .scope import Period, Scope

ONLINE_LEVELS = (OnlineLevel.PARTIAL, OnlineLevel.END_TO_END)

# Inputs later issues will record. Until then each counts as none (no complaint, nothing
# posted, paid online, rated…) and every figure that uses one names it: never silently.
COMPLAINTS = "complaints"
POSTING = "posting"
OTHER_AGENCIES = "other_agencies"
ANNOUNCEMENT = "announcement"
NATIONAL_PORTAL = "national_portal"
REUSE = "reuse"
RATINGS = "ratings"
NOT_MEASURED = {
    COMPLAINTS: _(
        "founded complaints about a dossier's officers: the register does not say yet whether "
        "a complaint was founded, counted as none"
    ),
    POSTING: _("posting of procedures at the office: not recorded yet, counted as not posted"),
    OTHER_AGENCIES: _(
        "agencies the applicant contacted outside the one-stop section: not recorded, "
        "counted as none"
    ),
    ANNOUNCEMENT: _(
        "dates of the announcing decisions and of their legal bases: not recorded, counted "
        "as not on time"
    ),
    NATIONAL_PORTAL: _(
        "the national public service portal (DVCQG): not connected yet, counted as not "
        "entered and not synchronised"
    ),
    REUSE: _(
        "the citizen's data store on the national portal and the population database: not "
        "connected yet, counted as none"
    ),
    RATINGS: _("applicants' ratings: not recorded yet, counted as no dislike"),
}
WITH_RESULT = (Status.RESOLVED, Status.RETURNED)


def bounds(period: Period) -> tuple[datetime, datetime]:
    """The period as aware moments [start, end) in the local time zone."""
    tz = timezone.get_default_timezone()
    start = datetime.combine(period.first, time.min, tzinfo=tz)
    return start, datetime.combine(period.after, time.min, tzinfo=tz)


Key = tuple[int, int, int, int]  # receiving, competent, department (0: none), procedure


@dataclass
class Facts:
    """What the indicators score for a period and a scope, summed: per tally key the counts
    of quality_points.KEY_COLUMNS and ``late_online``; per officer ``dossiers`` (the
    dossiers whose steps they completed in the period), ``lo`` (of which one of those steps
    ended late or on time), ``late``, ``s_one`` / ``s_more`` (supplement requests they made
    on the dossier); and the agencies where each officer's steps ran.

    Read from the tallies by quality_reads.facts; the tests compute the same from the dossier
    rows (tests/quality_rows.py) and compare."""

    keys: dict[Key, Counter] = field(default_factory=dict)
    officers: dict[int, Counter] = field(default_factory=dict)
    officer_agencies: dict[int, set[int]] = field(default_factory=dict)


# --- Procedures -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ProcedureFacts:
    pk: int
    online: bool  # partial or end-to-end online (level 3/4)
    complete: bool  # its published record states every element of Decree 63/2010 art. 8.2
    with_fees: bool  # a fee or charge to pay (an amount above 0, or a rule)


def scoped_procedures(scope: Scope) -> QuerySet[Procedure]:
    """Published procedures, within the scope's field and procedure if it names them."""
    published = Procedure.objects.published()
    if scope.field_id is not None:
        published = published.filter(field_id=scope.field_id)
    if scope.procedure_id is not None:
        published = published.filter(pk=scope.procedure_id)
    return published


def provided_by(agency_ids: set[int] | None, scope: Scope) -> dict[int, set[int]]:
    """agency id -> ids of the published procedures it carries out or decides (the local
    catalogue: the version's implementing agencies and deciding agency). None: every
    agency named."""
    published = scoped_procedures(scope)
    found: dict[int, set[int]] = {}
    for path in ("current_version__implementing_agencies", "current_version__deciding_agency"):
        rows = published.filter(**{f"{path}__isnull": False}).order_by()
        # Filtered here, not by `agency IN (...)`: with a hundred agencies SQLite's plan for
        # that takes half a second, the whole list (a few thousand pairs) 10 ms.
        for agency_id, procedure_id in rows.values_list(path, "pk"):
            if agency_ids is None or agency_id in agency_ids:
                found.setdefault(agency_id, set()).add(procedure_id)
    return found


REQUIRED_TEXT = (
    ("name",),
    ("steps_text",),
    ("channels",),
    ("time_limit_text", "time_limit_value"),
    ("target_subjects", "applicant_types"),
    ("implementing_agency_text", "competent_authority_text"),
    ("result", "results"),
    ("legal_basis_text", "legal_basis"),
)


def is_complete(version, documents: int) -> bool:
    """Decree 63/2010 art. 8.2: name, sequence of steps, channels, documents, time limit,
    who may apply, implementing agency, result and legal basis (fees, forms and conditions
    only where the procedure has them)."""
    filled = all(
        any(getattr(version, name) not in (None, "", []) for name in names)
        for names in REQUIRED_TEXT
    )
    return filled and documents > 0


def _per_version(model, versions: set[int], condition: Q | None = None) -> dict[int, int]:
    rows = model.objects.filter(condition or Q(), version_id__in=list(versions))
    counts: dict[int, int] = {}
    for version in rows.values_list("version_id", flat=True):
        counts[version] = counts.get(version, 0) + 1
    return counts


def procedure_facts(ids: set[int]) -> dict[int, ProcedureFacts]:
    """Whether each procedure is online, its record complete and with fees: three reads of
    the catalogue, whatever the number of procedures."""
    from motcua.catalogue.models import Component, Fee

    fields = sorted({name for names in REQUIRED_TEXT for name in names})
    columns = ["pk", "online_level", "current_version_id"]
    columns += [f"current_version__{name}" for name in fields]
    rows = [
        SimpleNamespace(
            pk=row[0],
            online_level=row[1],
            current_version_id=row[2],
            current_version=SimpleNamespace(**dict(zip(fields, row[3:], strict=True)))
            if row[2] is not None
            else None,
        )
        for row in Procedure.objects.filter(pk__in=list(ids)).values_list(*columns)
    ]
    versions = {p.current_version_id for p in rows if p.current_version_id is not None}
    documents = _per_version(Component, versions)
    fee = Q(amount__gt=0) | Q(amount__isnull=True)
    fees = _per_version(Fee, versions, fee)
    return {
        p.pk: ProcedureFacts(
            p.pk,
            p.online_level in ONLINE_LEVELS,
            p.current_version is not None
            and is_complete(p.current_version, documents.get(p.current_version_id, 0)),
            fees.get(p.current_version_id, 0) > 0,
        )
        for p in rows
    }
