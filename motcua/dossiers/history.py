"""Historical dossiers from an older system, with their real timestamps.

Each row is validated on its own and reported with its line number; good rows are imported
in one transaction (an interrupted run changes nothing). The dossier code is the key: a row
whose code already exists is skipped, so re-running the same file imports nothing twice.
Events are written at the historical moments (received, resolved, returned...) so timelines
and reports treat imported and live dossiers alike. When an imported code has motcua's form
(<agency>-<YYMMDD>-<n>), that agency's daily counter is raised so new codes never collide.
"""

import csv
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from motcua.catalogue.models import ApplicantType, Channel, Procedure
from motcua.organisations.models import Agency

from .applicants import Applicant, clean_applicant
from .errors import DossierError
from .events import record
from .models import DailySequence, Dossier
from .status import Action, Status

REQUIRED = [
    "code",
    "procedure_code",
    "receiving_agency",
    "status",
    "applicant_name",
    "received_at",
]
TIMES = ["submitted_at", "received_at", "due_at", "finished_at", "returned_at"]
CODE = re.compile(r"^(?P<agency>[0-9A-Z.]+)-(?P<day>\d{6})-(?P<seq>\d+)$")
CLOSING_ACTIONS = {
    Status.WITHDRAWN: Action.WITHDRAW,
    Status.STOPPED: Action.STOP,
    Status.NOT_RECEIVED: Action.REFUSE_AT_RECEPTION,
}


@dataclass
class RowResult:
    line: int
    code: str
    action: str  # imported | skipped
    reason: str = ""


@dataclass
class HistoryImport:
    results: list[RowResult] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for r in self.results if r.action == action)


def read_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """(line number, row) pairs from a CSV file with a header or a JSON array / JSON Lines."""
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".csv":
        reader = csv.DictReader(text.splitlines())
        return [(reader.line_num, dict(row)) for row in reader]
    stripped = text.lstrip()
    if stripped.startswith("["):
        return [(number, row) for number, row in enumerate(json.loads(stripped), start=1)]
    return [(n, json.loads(line)) for n, line in enumerate(text.splitlines(), 1) if line.strip()]


def _moment(row: dict[str, Any], key: str) -> datetime | None:
    value = (row.get(key) or "").strip() if isinstance(row.get(key), str) else row.get(key)
    if not value:
        return None
    moment = parse_datetime(str(value))
    if moment is None:
        raise DossierError("invalid_time", _("%(key)s is not a date and time.") % {"key": key})
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _status(row: dict[str, Any]) -> Status:
    try:
        return Status(int(row["status"]))
    except (TypeError, ValueError):
        raise DossierError("invalid_status", _("status must be a national code 1-10.")) from None


def _check_times(status: Status, times: dict[str, datetime | None]) -> None:
    received, finished, returned = times["received_at"], times["finished_at"], times["returned_at"]
    if received is None and status != Status.SUBMITTED:
        raise DossierError("received_at_required", _("received_at is required."))
    if status in {Status.RESOLVED, Status.RETURNED, Status.WITHDRAWN, Status.STOPPED} and (
        finished is None
    ):
        raise DossierError(
            "finished_at_required", _("finished_at is required for a closed dossier.")
        )
    if status == Status.RETURNED and returned is None:
        raise DossierError(
            "returned_at_required", _("returned_at is required for a returned dossier.")
        )
    ordered = [t for t in (received, finished, returned) if t is not None]
    if ordered != sorted(ordered):
        raise DossierError(
            "times_out_of_order", _("Times must follow each other: received, finished, returned.")
        )


class _Importer:
    def __init__(self, source: str):
        self.source = source
        self.agencies = {a.code: a for a in Agency.objects.all()}
        self.procedures = {p.code: p for p in Procedure.objects.select_related("current_version")}
        self.existing = set(Dossier.objects.values_list("code", flat=True))

    def agency(self, code: str, label: str) -> Agency:
        try:
            return self.agencies[code]
        except KeyError:
            raise DossierError(
                "unknown_agency",
                _("Unknown %(label)s agency code %(code)s.") % {"label": label, "code": code},
            ) from None

    def row(self, line: int, row: dict[str, Any]) -> RowResult:
        missing = [key for key in REQUIRED if not str(row.get(key) or "").strip()]
        code = str(row.get("code") or "").strip()
        if missing:
            return RowResult(
                line, code, "skipped", _("Missing: %(keys)s") % {"keys": ", ".join(missing)}
            )
        if code in self.existing:
            return RowResult(line, code, "skipped", _("Already imported."))
        try:
            with transaction.atomic():
                self.create(code, row)
        except DossierError as error:
            return RowResult(line, code, "skipped", error.message)
        self.existing.add(code)
        return RowResult(line, code, "imported")

    def create(self, code: str, row: dict[str, Any]) -> Dossier:
        procedure = self.procedures.get(str(row["procedure_code"]).strip())
        if procedure is None or procedure.current_version is None:
            raise DossierError("unknown_procedure", _("Unknown procedure code."))
        status = _status(row)
        times = {key: _moment(row, key) for key in TIMES}
        _check_times(status, times)
        receiving = self.agency(str(row["receiving_agency"]).strip(), "receiving")
        competent_code = str(row.get("competent_agency") or "").strip()
        competent = self.agency(competent_code, "competent") if competent_code else receiving
        applicant = clean_applicant(
            Applicant(
                str(row.get("applicant_type") or ApplicantType.CITIZEN),
                str(row["applicant_name"]),
                str(row.get("applicant_id_number") or ""),
                str(row.get("applicant_phone") or ""),
                str(row.get("applicant_email") or ""),
                str(row.get("applicant_address") or ""),
                str(row.get("applicant_id_type") or ""),
            ),
            historical=True,
        )
        channel = str(row.get("channel") or Channel.IN_PERSON)
        if channel not in Channel.values:
            raise DossierError("invalid_channel", _("Unknown channel."))
        outcome = str(row.get("outcome") or "")
        if outcome not in {"", *Dossier.Outcome.values}:
            raise DossierError("invalid_outcome", _("outcome must be granted or refused."))
        dossier = Dossier.objects.create(
            code=code,
            procedure=procedure,
            procedure_version=procedure.current_version,
            receiving_agency=receiving,
            competent_agency=competent,
            channel=channel,
            status=status,
            outcome=outcome or ("granted" if status in {9, 10} else ""),
            applicant_type=applicant.type,
            applicant_name=applicant.name,
            applicant_id_type=applicant.id_type,
            applicant_id_number=applicant.id_number,
            applicant_phone=applicant.phone,
            applicant_email=applicant.email,
            applicant_address=applicant.address,
            subject=str(row.get("subject") or procedure.name)[:500],
            clock_start_at=times["received_at"],
            original_due_at=times["due_at"],
            **times,
        )
        self.history(dossier, status, times)
        _raise_counter(code, receiving)
        return dossier

    def history(self, dossier: Dossier, status: Status, times: dict[str, datetime | None]):
        source = {"imported_from": self.source}
        if times["received_at"]:
            record(
                dossier,
                Action.RECEIVE,
                actor=None,
                from_status=None,
                at=times["received_at"],
                **source,
            )
        if status in CLOSING_ACTIONS:
            record(
                dossier,
                CLOSING_ACTIONS[status],
                actor=None,
                from_status=None,
                at=times["finished_at"] or times["received_at"],
                **source,
            )
        if status in {Status.RESOLVED, Status.RETURNED}:
            action = (
                Action.REFUSE_AFTER_APPRAISAL
                if dossier.outcome == "refused"
                else Action.MARK_RESULT_READY
            )
            record(dossier, action, actor=None, from_status=None, at=times["finished_at"], **source)
        if status == Status.RETURNED:
            record(
                dossier,
                Action.RETURN_RESULT,
                actor=None,
                from_status=None,
                at=times["returned_at"],
                **source,
            )


def _raise_counter(code: str, agency: Agency) -> None:
    match = CODE.match(code)
    if not match or match["agency"] != agency.code:
        return
    try:
        day = datetime.strptime(match["day"], "%y%m%d").date()
    except ValueError:
        return
    sequence, _created = DailySequence.objects.get_or_create(agency=agency, day=day)
    if sequence.last_value < int(match["seq"]):
        sequence.last_value = int(match["seq"])
        sequence.save(update_fields=["last_value"])


@transaction.atomic
def import_history(rows: list[tuple[int, dict[str, Any]]], *, source: str) -> HistoryImport:
    importer = _Importer(source)
    result = HistoryImport()
    for line, row in rows:
        if not isinstance(row, dict):
            result.results.append(RowResult(line, "", "skipped", _("Not a record.")))
            continue
        result.results.append(importer.row(line, row))
    return result
