"""Historical dossiers from an older system, with their real timestamps (import_dossiers).

What older systems export is accepted as they write it (docs/history-import.md): agency
codes in the QĐ 20/2020 form (``H56.12``), in the Circular 10/2016 form (``000.00.12.H56``,
mapped to the agency and kept as its alias) or as an alias recorded before; procedure codes
national (``1.001193``) or localised (``1.001193.000.00.00.H44``); moments ISO or
``dd/mm/yyyy [HH:MM[:SS]]``; an appointment given as a day (the close of business of that
day, by the working calendar) or as a moment; statuses as national codes 1-10 or their
Vietnamese names; channels, applicant types and outcomes in Vietnamese. A column it does not
know is reported once and ignored.

The file is read as a stream and written in batches, each in its own transaction: memory does
not grow with the file, and an interrupted run keeps the batches it committed. The dossier
code is the key: a row whose code already exists is counted as already imported, so a second
run imports nothing twice and a run after an interruption takes up where it stopped. A bad
row is reported with its line number and its reason (`on_reject`), for the command to write
to a rejects file of the same format that can be fixed and imported again.

Per batch, in one transaction and a fixed number of statements whatever its size: one query
for the codes already there; the lifecycle's batch subscribers told of the new dossiers at
once, before they are written (`lifecycle.announce_batch`: the statistics' tallies move by
the batch's points and set each dossier's, written with it); the dossiers and their events
(received, resolved or closed, returned, at their historical moments, so that timelines and
reports treat imported and live dossiers alike) each in one bulk insert; the other listeners
told of each dossier's last event, as they would have heard a live change
(`lifecycle.announce_written`, skipped when nobody listens); and the daily code counters
raised in one statement when an imported code has motcua's form (<agency>-<YYMMDD>-<n>), so
that new codes never collide. History announces no event to after-commit consumers other
than that last one per dossier: no notification is owed for a dossier of 2019.
"""

import csv
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from functools import cache
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from motcua.catalogue.models import ApplicantType, Channel, Procedure
from motcua.organisations.codes import from_old_agency_code
from motcua.organisations.models import Agency, AgencyAlias, Department
from motcua.workdays.loader import get_calendar

from . import lifecycle
from .applicants import Applicant, clean_applicant
from .errors import DossierError
from .models import DailySequence, Dossier, DossierEvent
from .status import Action, Status

REQUIRED = ["code", "procedure_code", "status", "applicant_name"]
OPTIONAL = [
    "receiving_agency",  # else the agency the dossier code starts with
    "competent_agency",  # else the receiving agency
    "department",  # a department code of the competent agency
    "channel",
    "applicant_type",
    "applicant_id_type",
    "applicant_id_number",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
    "subject",
    "submitted_at",
    "received_at",
    "due_at",
    "finished_at",
    "returned_at",
    "returned_method",
    "outcome",
    "digitised",  # the older system recorded the dossier as digitised (yes/no)
]
REJECT_COLUMN = "import_error"  # the reason, in a rejects file; ignored on import
KNOWN = frozenset([*REQUIRED, *OPTIONAL, REJECT_COLUMN])
# Column headings as Vietnamese exports write them (folded: case, accents, spacing), beside
# the names above. Moderate confidence: the headings of the TH-SYS and provincial one-stop
# systems' Excel exports seen in the field reports and public templates; a heading not here is
# reported once as unknown, and the column can be renamed to the name above.
HEADINGS: dict[str, str] = {
    "ma ho so": "code",
    "so ho so": "code",
    "ma thu tuc": "procedure_code",
    "ma tthc": "procedure_code",
    "trang thai": "status",
    "tinh trang": "status",
    "trang thai ho so": "status",
    "nguoi nop": "applicant_name",
    "ten nguoi nop": "applicant_name",
    "ho ten nguoi nop": "applicant_name",
    "chu ho so": "applicant_name",
    "ten to chuc, ca nhan": "applicant_name",
    "co quan tiep nhan": "receiving_agency",
    "ma co quan tiep nhan": "receiving_agency",
    "don vi tiep nhan": "receiving_agency",
    "co quan giai quyet": "competent_agency",
    "ma co quan giai quyet": "competent_agency",
    "don vi giai quyet": "competent_agency",
    "phong ban": "department",
    "phong chuyen mon": "department",
    "kenh nop": "channel",
    "hinh thuc nop": "channel",
    "loai doi tuong": "applicant_type",
    "doi tuong": "applicant_type",
    "loai giay to": "applicant_id_type",
    "so giay to": "applicant_id_number",
    "so cmnd": "applicant_id_number",
    "so cccd": "applicant_id_number",
    "so cmnd/cccd": "applicant_id_number",
    "so dinh danh": "applicant_id_number",
    "so dien thoai": "applicant_phone",
    "dien thoai": "applicant_phone",
    "thu dien tu": "applicant_email",
    "email": "applicant_email",
    "dia chi": "applicant_address",
    "trich yeu": "subject",
    "noi dung": "subject",
    "ngay nop": "submitted_at",
    "ngay tiep nhan": "received_at",
    "ngay hen tra": "due_at",
    "ngay hen tra ket qua": "due_at",
    "ngay co ket qua": "finished_at",
    "ngay hoan thanh": "finished_at",
    "ngay ket thuc": "finished_at",
    "ngay tra ket qua": "returned_at",
    "hinh thuc tra ket qua": "returned_method",
    "ket qua": "outcome",
    "da so hoa": "digitised",
    "so hoa": "digitised",
}
YES = frozenset({"1", "true", "yes", "y", "x", "co", "da so hoa"})
NO = frozenset({"", "0", "false", "no", "n", "khong", "chua so hoa"})
TIMES = ["submitted_at", "received_at", "due_at", "finished_at", "returned_at"]
CODE = re.compile(r"^(?P<agency>[0-9A-Z.]+)-(?P<day>\d{6,8})-(?P<seq>\d+)$")
LOCALISED_PROCEDURE = re.compile(r"^(?P<national>\d\.\d{6})\.(?P<agency>[0-9A-Z.]+)$")
CLOSING_ACTIONS = {
    Status.WITHDRAWN: Action.WITHDRAW,
    Status.STOPPED: Action.STOP,
    Status.NOT_RECEIVED: Action.REFUSE_AT_RECEPTION,
}
BATCH = 2_000
MAX_CODE: int = Dossier._meta.get_field("code").max_length or 64


@dataclass
class RowResult:
    line: int
    code: str
    action: str  # imported | skipped (already imported) | rejected
    reason: str = ""


@dataclass
class HistoryImport:
    imported: int = 0
    already: int = 0  # skipped: the code is already in the database (or earlier in the file)
    rejected: int = 0
    unknown_columns: list[str] = field(default_factory=list)
    aliases_recorded: list[tuple[str, str]] = field(default_factory=list)  # (old, agency)
    results: list[RowResult] = field(default_factory=list)  # rejected rows, without on_reject

    def count(self, action: str) -> int:
        return {
            "imported": self.imported,
            "skipped": self.already + self.rejected,
            "already": self.already,
            "rejected": self.rejected,
        }[action]


# --- Reading the file, as a stream -------------------------------------------------------


@dataclass(frozen=True)
class Unreadable:
    """A line of a JSON Lines file that is not a JSON object: rejected as it is."""

    text: str
    reason: str


class RowFile:
    """The rows of a CSV file with a header (comma, semicolon or tab), a JSON Lines file or a
    JSON array, as (line number, row) pairs read lazily; a JSON array is read whole (export
    large histories as CSV or JSON Lines)."""

    def __init__(self, path: Path):
        self.path = path
        suffix = path.suffix.lower()
        self.format = "csv" if suffix in {".csv", ".tsv", ".txt"} else "json"
        self.fieldnames: list[str] = []
        self.delimiter = ","
        if self.format == "json":
            with path.open(encoding="utf-8-sig") as handle:
                start = handle.read(4096).lstrip()
            self.format = "json_array" if start.startswith("[") else "jsonl"
        else:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                header = handle.readline()
            self.delimiter = max([",", ";", "\t"], key=header.count)
        self._array: list[Any] | None = None
        if self.format == "json_array":
            # A malformed array is refused before anything is imported.
            self._array = json.loads(path.read_text(encoding="utf-8-sig"))
            if not isinstance(self._array, list):
                raise ValueError("not a JSON array")

    def __iter__(self) -> Iterator[tuple[int, Any]]:
        if self._array is not None:
            yield from enumerate(self._array, start=1)
            return
        with self.path.open(encoding="utf-8-sig", newline="") as handle:
            if self.format == "csv":
                reader = csv.DictReader(handle, delimiter=self.delimiter)
                self.fieldnames = [name.strip() for name in reader.fieldnames or []]
                reader.fieldnames = self.fieldnames
                for row in reader:
                    row.pop(None, None)  # extra cells
                    yield reader.line_num, row
                return
            for number, text in enumerate(handle, start=1):
                if not text.strip():
                    continue
                try:
                    yield number, json.loads(text)
                except json.JSONDecodeError as error:
                    yield number, Unreadable(text.rstrip("\r\n"), str(error))

    def rejects(self, path: Path) -> "RejectsFile":
        return RejectsFile(path, self)


class RejectsFile:
    """The rows refused, in the format of the file they came from, with the reason in one
    more column (`import_error`, which an import ignores): fixed, the file imports again."""

    def __init__(self, path: Path, source: RowFile):
        self.path, self.source = path, source
        self.count = 0
        self._handle: IO[str] | None = None
        self._csv: csv.DictWriter | None = None

    def write(self, row: Any, reason: str) -> None:
        if self._handle is None:
            self._open()
        assert self._handle is not None
        self.count += 1
        if self._csv is not None:
            values = dict(row) if isinstance(row, dict) else {}
            self._csv.writerow({**values, REJECT_COLUMN: reason})
            return
        if isinstance(row, Unreadable):
            text = row.text
        else:
            values = {**row, REJECT_COLUMN: reason} if isinstance(row, dict) else row
            text = json.dumps(values, ensure_ascii=False, default=str)
        if self.source.format == "json_array":
            self._handle.write(("[\n" if self.count == 1 else ",\n") + text)
        else:
            self._handle.write(text + "\n")

    def _open(self) -> None:
        if self.source.format == "csv":
            self._handle = self.path.open("w", encoding="utf-8-sig", newline="")
            names = [n for n in self.source.fieldnames if n != REJECT_COLUMN] + [REJECT_COLUMN]
            self._csv = csv.DictWriter(
                self._handle, fieldnames=names, delimiter=self.source.delimiter, restval=""
            )
            self._csv.writeheader()
        else:
            self._handle = self.path.open("w", encoding="utf-8")

    def close(self) -> None:
        if self._handle is None:
            return
        if self.source.format == "json_array":
            self._handle.write("\n]\n")
        self._handle.close()
        self._handle = None


def read_rows(path: Path) -> list[tuple[int, Any]]:
    """Every (line number, row) of a file at once (small files, tests)."""
    return list(RowFile(path))


# --- The words older systems write ---------------------------------------------------------


def _plain(text: str) -> str:
    """Case, spacing and Unicode form folded: the key words are looked up by."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split()).strip(" .;:")


def _unaccented(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", _plain(text).replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Names seen in other systems and exports beside motcua's own labels (domain.md §3.3: the
# national names, the labels of TH-SYS and others, the DVCQG text states).
STATUS_VARIANTS: dict[str, Status] = {
    "Mới đăng ký": Status.SUBMITTED,
    "Mới tiếp nhận": Status.RECEIVED,
    "Hồ sơ mới tiếp nhận": Status.RECEIVED,
    "Đã tiếp nhận": Status.RECEIVED,
    "Tiếp nhận": Status.RECEIVED,
    "Không tiếp nhận": Status.NOT_RECEIVED,
    "Từ chối tiếp nhận": Status.NOT_RECEIVED,
    "Đang giải quyết": Status.PROCESSING,
    "Đang xử lý": Status.PROCESSING,
    "Chờ ký duyệt": Status.PROCESSING,
    "Chờ thực hiện liên thông": Status.PROCESSING,
    "Chờ bổ sung": Status.SUPPLEMENT,
    "Chờ bổ sung hồ sơ": Status.SUPPLEMENT,
    "Yêu cầu bổ sung": Status.SUPPLEMENT,
    "Yêu cầu bổ sung hồ sơ": Status.SUPPLEMENT,
    "Chờ thực hiện nghĩa vụ tài chính": Status.FINANCIAL,
    "Chờ nộp phí": Status.FINANCIAL,
    "Đã rút hồ sơ": Status.WITHDRAWN,
    "Rút hồ sơ": Status.WITHDRAWN,
    "Dừng giải quyết": Status.STOPPED,
    "Đã giải quyết": Status.RESOLVED,
    "Đã xử lý xong": Status.RESOLVED,
    "Chờ trả kết quả": Status.RESOLVED,
    "Đã trả kết quả": Status.RETURNED,
    "Đã trả": Status.RETURNED,
    # DVCQG text states as TH-SYS maps them (FormatTrangThaiHoSoDVCQG.cs)
    "receiving": Status.SUBMITTED,
    "new": Status.RECEIVED,
    "denied": Status.NOT_RECEIVED,
    "processing": Status.PROCESSING,
    "waiting": Status.SUPPLEMENT,
    "paying": Status.FINANCIAL,
    "cancelled": Status.WITHDRAWN,
    "unresolved": Status.STOPPED,
    "releasing": Status.RESOLVED,
    "done": Status.RETURNED,
}
CHANNEL_VARIANTS: dict[str, str] = {
    "Trực tiếp": Channel.IN_PERSON,
    "Nộp trực tiếp": Channel.IN_PERSON,
    "Tại quầy": Channel.IN_PERSON,
    "Trực tuyến": Channel.ONLINE,
    "Nộp trực tuyến": Channel.ONLINE,
    "Qua mạng": Channel.ONLINE,
    "Dịch vụ công trực tuyến": Channel.ONLINE,
    "Bưu chính công ích": Channel.POSTAL,
    "Qua bưu chính công ích": Channel.POSTAL,
    "Qua dịch vụ bưu chính công ích": Channel.POSTAL,
    "Bưu chính": Channel.POSTAL,
    "Qua bưu chính": Channel.POSTAL,
    "Qua bưu điện": Channel.POSTAL,
    "BCCI": Channel.POSTAL,
    # TH-SYS KenhThucHien (domain.md §3.3)
    "1": Channel.IN_PERSON,
    "2": Channel.ONLINE,
    "3": Channel.POSTAL,
}
APPLICANT_VARIANTS: dict[str, str] = {
    "Công dân": ApplicantType.CITIZEN,
    "Cá nhân": ApplicantType.CITIZEN,
    "Tổ chức": ApplicantType.ORGANISATION,
    # DVCQG catalogue (domain.md §5.3)
    "0": ApplicantType.CITIZEN,
    "1": ApplicantType.ENTERPRISE,
    "2": ApplicantType.HOUSEHOLD_BUSINESS,
}
OUTCOME_VARIANTS: dict[str, str] = {
    "Đồng ý": Dossier.Outcome.GRANTED,
    "Cấp": Dossier.Outcome.GRANTED,
    "Từ chối": Dossier.Outcome.REFUSED,
    "Không đồng ý": Dossier.Outcome.REFUSED,
}


def _vocabulary(choices, variants: dict[str, Any]) -> dict[str, Any]:
    """Value, member name, English and Vietnamese label and variants of each choice, folded
    (with and without accents; a word that would mean two choices unaccented is left out)."""
    words: dict[str, Any] = {}
    for member in choices:
        words[_plain(str(member.value))] = member.value
        words[_plain(member.name)] = member.value
        for language in ("en", "vi"):
            with translation.override(language):
                words[_plain(str(member.label))] = member.value
    for word, value in variants.items():
        words[_plain(word)] = value
    unaccented: dict[str, set] = {}
    for word, value in words.items():
        unaccented.setdefault(_unaccented(word), set()).add(value)
    for word, values in unaccented.items():
        if len(values) == 1:
            words.setdefault(word, values.pop())
    return words


@cache
def _words(kind: str) -> dict[str, Any]:
    if kind == "status":
        return _vocabulary(Status, STATUS_VARIANTS)
    if kind == "channel":
        return _vocabulary(Channel, CHANNEL_VARIANTS)
    if kind == "applicant_type":
        return _vocabulary(ApplicantType, APPLICANT_VARIANTS)
    return _vocabulary(Dossier.Outcome, OUTCOME_VARIANTS)


def _word(kind: str, value: str) -> Any:
    words = _words(kind)
    plain = _plain(value)
    found = words.get(plain)
    return found if found is not None else words.get(_unaccented(plain))


def _status(value: str) -> Status:
    found = _word("status", value)
    if found is None:
        raise DossierError(
            "invalid_status",
            _("status must be a national code 1-10 or its name (e.g. “Đã trả kết quả”)."),
        )
    return Status(found)


# --- Moments -----------------------------------------------------------------------------

_DMY = re.compile(
    r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})"
    r"(?:[ T,]+(?P<H>\d{1,2})[:hH](?P<M>\d{2})(?::(?P<S>\d{2}))?)?$"
)
_HM_DMY = re.compile(
    r"^(?P<H>\d{1,2})[:hH](?P<M>\d{2})(?::(?P<S>\d{2}))?[ ,]+"
    r"(?:ngày\s+)?(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})$"
)
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_moment(value: str, tz: tzinfo) -> datetime | date:
    """An aware datetime, or a date when the text gives no time: ISO 8601
    (``2019-03-10T08:15:00+07:00``, ``2019-03-10 08:15``, ``2019-03-10``) or the Vietnamese
    order (``10/03/2019``, ``10/03/2019 08:15``, ``08:15 10/03/2019``). A moment without an
    offset is local time. ValueError otherwise."""
    text = value.strip()
    match = _DMY.match(text) or _HM_DMY.match(text)
    if match:
        day = date(int(match["y"]), int(match["m"]), int(match["d"]))
        if match["H"] is None:
            return day
        clock = time(int(match["H"]), int(match["M"]), int(match["S"] or 0))
        return datetime.combine(day, clock, tzinfo=tz)
    if _ISO_DAY.match(text):
        return date.fromisoformat(text)
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=tz)


class _Moments:
    """The row's moments: a day alone is the close of business for the appointment (the
    working calendar's), and otherwise the earliest moment of that day that keeps the order
    submitted <= received <= finished <= returned (the opening of business, or the moment
    before it that day)."""

    def __init__(self, tz: tzinfo):
        self.tz = tz
        self.calendar = get_calendar()

    def __call__(self, row: dict[str, Any]) -> dict[str, datetime | None]:
        times: dict[str, datetime | None] = {}
        previous: datetime | None = None
        for key in TIMES:
            raw = row.get(key)
            text = raw.strip() if isinstance(raw, str) else ("" if raw is None else str(raw))
            if not text:
                times[key] = None
                continue
            try:
                value = parse_moment(text, self.tz)
            except ValueError:
                raise DossierError(
                    "invalid_time",
                    _("%(key)s is not a date and time (dd/mm/yyyy HH:MM or ISO): %(value)s")
                    % {"key": key, "value": text},
                ) from None
            if isinstance(value, datetime):
                moment = value
            elif key == "due_at":
                moment = self.calendar.close_of(value)
            else:
                moment = self.calendar.opening_of(value)
                if previous is not None and previous.astimezone(self.tz).date() == value:
                    moment = max(moment, previous)
            times[key] = moment
            if key != "due_at":
                previous = moment
        return times


def _check_times(status: Status, times: dict[str, datetime | None]) -> None:
    received, finished, returned = times["received_at"], times["finished_at"], times["returned_at"]
    if received is None and status not in {Status.SUBMITTED, Status.NOT_RECEIVED}:
        raise DossierError("received_at_required", _("received_at is required."))
    if status == Status.NOT_RECEIVED and finished is None and received is None:
        raise DossierError(
            "finished_at_required", _("finished_at is required for a dossier not received.")
        )
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


# --- Rows -> dossiers --------------------------------------------------------------------


def _text(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else str(value).strip()


@dataclass
class _Ready:
    """A row checked and ready to write: the dossier's columns by attribute name (the others
    take their defaults), its receiving agency, its events; `pk` once written."""

    line: int
    row: dict[str, Any]
    code: str
    values: dict[str, Any]
    receiving: Agency
    events: list[tuple[Action, datetime]]
    pk: int | None = None


class _Importer:
    def __init__(self, source: str):
        self.source = source
        self.tz = timezone.get_default_timezone()
        self.moments = _Moments(self.tz)
        agencies = list(Agency.objects.all())
        self.agencies = {a.code: a for a in agencies}
        by_id = {a.pk: a for a in agencies}
        self.aliases = {
            code: by_id[agency_id]
            for code, agency_id in AgencyAlias.objects.values_list("code", "agency_id")
        }
        self.new_aliases: dict[str, Agency] = {}
        self.departments = {
            (agency_id, code): pk
            for pk, agency_id, code in Department.objects.values_list("pk", "agency_id", "code")
        }
        procedures = list(Procedure.objects.select_related("current_version"))
        self.procedures = {p.code: p for p in procedures}
        self.localised: dict[str, list[Procedure]] = {}
        for procedure in procedures:
            match = LOCALISED_PROCEDURE.match(procedure.code)
            if match:
                self.localised.setdefault(match["national"], []).append(procedure)

    # Codes --------------------------------------------------------------------------------

    def find_agency(self, code: str) -> Agency | None:
        """The agency of a QĐ 20/2020 code, of an alias, or of an old-form code whose
        conversion is an agency's code (the old code is then kept as its alias)."""
        code = code.strip().upper()
        agency = self.agencies.get(code) or self.aliases.get(code)
        if agency is not None:
            return agency
        converted = from_old_agency_code(code)
        agency = self.agencies.get(converted) if converted else None
        if agency is not None:
            self.aliases[code] = self.new_aliases[code] = agency
        return agency

    def agency(self, code: str, label: str) -> Agency:
        agency = self.find_agency(code)
        if agency is None:
            raise DossierError(
                "unknown_agency",
                _("Unknown %(label)s agency code %(code)s.") % {"label": label, "code": code},
            )
        return agency

    def procedure(self, code: str, receiving: Agency) -> Procedure:
        """By its code; a localised code (``1.001193.000.00.00.H44``) also by its national
        code; a national code also by the one localised variant in the catalogue, or the
        variant localised to the receiving agency's province (level-1 code)."""
        found = self.procedures.get(code)
        if found is None:
            match = LOCALISED_PROCEDURE.match(code)
            if match:
                found = self.procedures.get(match["national"])
            else:
                found = self._localised_variant(code, receiving)
        if found is None or found.current_version is None:
            raise DossierError(
                "unknown_procedure", _("Unknown procedure code %(code)s.") % {"code": code}
            )
        return found

    def _localised_variant(self, national: str, receiving: Agency) -> Procedure | None:
        variants = self.localised.get(national, [])
        if len(variants) == 1:
            return variants[0]
        level1 = receiving.code.split(".")[0]
        for variant in variants:
            suffix = LOCALISED_PROCEDURE.match(variant.code)["agency"]  # type: ignore[index]
            localised_to = from_old_agency_code(suffix) or suffix
            if localised_to.split(".")[0] == level1:
                return variant
        return None

    # A row --------------------------------------------------------------------------------

    def prepare(self, line: int, row: dict[str, Any]) -> _Ready:
        missing = [key for key in REQUIRED if not _text(row, key)]
        code = _text(row, "code")
        receiving_code = _text(row, "receiving_agency")
        embedded = CODE.match(code)
        if not receiving_code and not (embedded and self.find_agency(embedded["agency"])):
            missing.insert(2, "receiving_agency")
        if missing:
            raise DossierError("missing", _("Missing: %(keys)s") % {"keys": ", ".join(missing)})
        if len(code) > MAX_CODE:
            raise DossierError("invalid_code", _("The dossier code is too long."))
        receiving = self.agency(receiving_code or embedded["agency"], "receiving")  # type: ignore[index]
        procedure = self.procedure(_text(row, "procedure_code").upper(), receiving)
        status = _status(_text(row, "status"))
        times = self.moments(row)
        _check_times(status, times)
        competent_code = _text(row, "competent_agency")
        competent = self.agency(competent_code, "competent") if competent_code else receiving
        department_id = None
        if department_code := _text(row, "department"):
            department_id = self.departments.get((competent.pk, department_code))
            if department_id is None:
                raise DossierError(
                    "unknown_department",
                    _("Unknown department %(code)s of the competent agency.")
                    % {"code": department_code},
                )
        applicant_type = _text(row, "applicant_type")
        applicant = clean_applicant(
            Applicant(
                _word("applicant_type", applicant_type) or applicant_type
                if applicant_type
                else ApplicantType.CITIZEN,
                _text(row, "applicant_name"),
                _text(row, "applicant_id_number"),
                _text(row, "applicant_phone"),
                _text(row, "applicant_email"),
                _text(row, "applicant_address"),
                _text(row, "applicant_id_type"),
            ),
            historical=True,
        )
        channel = self.choice("channel", _text(row, "channel"), Channel.IN_PERSON)
        returned_method = self.choice("channel", _text(row, "returned_method"), "")
        outcome = self.choice("outcome", _text(row, "outcome"), "")
        outcome = outcome or ("granted" if status in {9, 10} else "")
        values = {
            "code": code,
            "procedure_id": procedure.pk,
            "procedure_version_id": procedure.current_version_id,
            "receiving_agency_id": receiving.pk,
            "competent_agency_id": competent.pk,
            "department_id": department_id,
            "channel": channel,
            "status": int(status),
            "outcome": outcome,
            "returned_method": returned_method,
            "applicant_type": applicant.type,
            "applicant_name": applicant.name,
            "applicant_id_type": applicant.id_type,
            "applicant_id_number": applicant.id_number,
            "applicant_phone": applicant.phone,
            "applicant_email": applicant.email,
            "applicant_address": applicant.address,
            "subject": (_text(row, "subject") or procedure.name)[:500],
            "clock_start_at": times["received_at"],
            "original_due_at": times["due_at"],
            "digitised_before_import": _yes(_text(row, "digitised")),
            **times,
        }
        return _Ready(line, row, code, values, receiving, _events(outcome, status, times))

    def choice(self, kind: str, value: str, default: str) -> str:
        if not value:
            return default
        found = _word(kind, value)
        if found is None:
            messages = {
                "channel": _("Unknown channel %(value)s."),
                "outcome": _("outcome must be granted or refused: %(value)s."),
            }
            raise DossierError(f"invalid_{kind}", messages[kind] % {"value": value})
        return found

    # A batch ------------------------------------------------------------------------------

    def write(self, batch: list[_Ready]) -> None:
        """Dossiers, events, aliases, tallies and counters of `batch`, in the caller's
        transaction."""
        if self.new_aliases:
            AgencyAlias.objects.bulk_create(
                [AgencyAlias(code=c, agency=a) for c, a in self.new_aliases.items()],
                ignore_conflicts=True,
            )
        now = timezone.now()
        dossiers = _Rows(Dossier, {"created_at": now, "updated_at": now})
        rows = [dossiers.complete(ready.values) for ready in batch]
        # The statistics' tallies follow, set-based, and set each row's points (its tally).
        lifecycle.announce_batch(rows)
        _insert(Dossier, [dossiers.row(values) for values in rows])
        ids = dict(_select(Dossier, "code, id", "code", [r.code for r in batch]))
        events = _Rows(DossierEvent, {"from_status": None, "data": {"imported_from": self.source}})
        events_rows = []
        for ready in batch:
            ready.pk = pk = ids[ready.code]
            status = ready.values["status"]
            for action, at in ready.events:
                events_rows.append(
                    events.row(
                        {"dossier_id": pk, "action": action, "to_status": status, "created_at": at}
                    )
                )
        _insert(DossierEvent, events_rows)
        if lifecycle.hears_written():
            _announce_written(batch, list(ids.values()))
        _raise_counters(batch)


def _announce_written(batch: list[_Ready], ids: list[int]) -> None:
    """Tell the lifecycle's other listeners of each dossier's last event, as a live change
    would have told them (none for a dossier without event)."""
    last = dict(
        _select(DossierEvent, "dossier_id, MAX(id)", "dossier_id", ids, "GROUP BY dossier_id")
    )
    lifecycle.announce_written(
        [
            lifecycle.Written(ready.pk, last[ready.pk], str(ready.events[-1][0]))
            for ready in batch
            if ready.events and ready.pk is not None
        ]
    )


def _select(model, select: str, key: str, values: list, tail: str = "") -> list[tuple]:
    """`SELECT select FROM model's table WHERE key IN values tail` (columns named as in the
    table): on PostgreSQL with one array parameter (psycopg splits a query of thousands of
    placeholders slower than the server runs it), on SQLite in chunks of placeholders."""
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"SELECT {select} FROM {table} WHERE {key} "
    out: list[tuple] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"{sql}= ANY(%s) {tail}", [values])
            return list(cursor.fetchall())
        for start in range(0, len(values), 900):
            chunk = values[start : start + 900]
            cursor.execute(f"{sql}IN ({', '.join(['%s'] * len(chunk))}) {tail}", chunk)
            out += cursor.fetchall()
    return out


@cache
def _columns(model) -> list:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


_MISSING = object()


def _moment_adapter() -> Callable[[datetime], Any]:
    """An aware moment as the backend's DateTimeField stores it: on SQLite the text of the
    naive moment in the connection's time zone (what its adapt_datetimefield_value makes,
    without the checks, a tenth of the time), elsewhere the backend's own conversion."""
    if connection.vendor != "sqlite" or not settings.USE_TZ:
        return connection.ops.adapt_datetimefield_value
    zone = connection.timezone

    def adapt(moment: datetime) -> str:
        return str(moment.astimezone(zone).replace(tzinfo=None))

    return adapt


class _Rows:
    """Rows of `model` for _insert from values by attribute name, converted as the ORM would
    (moments as the backend stores them, JSON as text), without building model instances:
    the columns not given take `common`, then the field's default."""

    def __init__(self, model, common: dict[str, Any]):
        adapt = _moment_adapter()
        self.base: dict[str, Any] = {}  # by attribute name, as Python values
        self.defaults: list[Any] = []  # in column order, converted
        self.index: dict[str, int] = {}
        self.convert: dict[str, Callable[[Any], Any]] = {}
        self.called: list[tuple[int, Any, Callable[[Any], Any] | None]] = []
        for i, f in enumerate(_columns(model)):
            convert = (
                adapt
                if isinstance(f, models.DateTimeField)
                else json.dumps
                if isinstance(f, models.JSONField)
                else None
            )
            value = common.get(f.attname, _MISSING)
            if value is _MISSING:
                if f.has_default() and callable(f.default):  # computed per row
                    self.called.append((i, f, convert))
                value = f.get_default()
            self.base[f.attname] = value
            self.index[f.attname] = i
            self.defaults.append(_to(convert, value))
            if convert is not None:
                self.convert[f.attname] = convert

    def complete(self, values: dict[str, Any]) -> dict[str, Any]:
        """Every column's value by attribute name, as Python values (what the lifecycle's
        batch subscribers are shown)."""
        full = dict(self.base)
        for _i, f, _convert in self.called:
            if f.attname not in values:
                full[f.attname] = f.get_default()
        full.update(values)
        return full

    def row(self, values: dict[str, Any]) -> list:
        out = self.defaults.copy()
        index, converters, base = self.index, self.convert, self.base
        for name, value in values.items():
            if value is base[name]:
                continue  # the common value or the default, converted once
            convert = converters.get(name)
            out[index[name]] = value if convert is None or value is None else convert(value)
        for i, f, convert in self.called:
            if f.attname not in values:
                out[i] = _to(convert, f.get_default())
        return out


def _to(convert: Callable[[Any], Any] | None, value: Any) -> Any:
    return value if convert is None or value is None else convert(value)


def _insert(model, rows: list[list]) -> None:
    """One prepared INSERT for every row (SQLite), or COPY (PostgreSQL): far cheaper than
    the ORM's bulk_create, which prepares every value of every row through its field."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(f.column) for f in _columns(model))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(rows[0]))
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def _events(outcome: str, status: Status, times: dict[str, datetime | None]):
    """The events that tell the dossier's history: (action, moment)."""
    events: list[tuple[Action, datetime]] = []
    received, finished = times["received_at"], times["finished_at"]
    if received:
        events.append((Action.RECEIVE, received))
    if status in CLOSING_ACTIONS:
        events.append((CLOSING_ACTIONS[status], finished or received))  # type: ignore[arg-type]
    if status in {Status.RESOLVED, Status.RETURNED}:
        refused = outcome == Dossier.Outcome.REFUSED
        action = Action.REFUSE_AFTER_APPRAISAL if refused else Action.MARK_RESULT_READY
        events.append((action, finished))  # type: ignore[arg-type]
    if status == Status.RETURNED:
        events.append((Action.RETURN_RESULT, times["returned_at"]))  # type: ignore[arg-type]
    if not events and times["submitted_at"]:
        events.append((Action.SUBMIT_ONLINE, times["submitted_at"]))
    return events


def _raise_counters(batch: Iterable[_Ready]) -> None:
    """Raise each agency's daily counter to the highest imported number of motcua's form."""
    highest: dict[tuple[int, date], int] = {}
    for ready in batch:
        match = CODE.match(ready.code)
        if not match or match["agency"] != ready.receiving.code:
            continue
        try:
            day = datetime.strptime(match["day"], "%y%m%d").date()
        except ValueError:
            continue
        key = (ready.receiving.pk, day)
        highest[key] = max(highest.get(key, 0), int(match["seq"]))
    if not highest:
        return
    table = connection.ops.quote_name(DailySequence._meta.db_table)
    larger = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (agency_id, day, last_value) VALUES (%s, %s, %s) "
            f"ON CONFLICT (agency_id, day) DO UPDATE SET last_value = "
            f"{larger}({table}.last_value, excluded.last_value)",
            [(agency, day, value) for (agency, day), value in sorted(highest.items())],
        )


# --- The import --------------------------------------------------------------------------


def import_history(
    rows: Iterable[tuple[int, Any]],
    *,
    source: str,
    batch_size: int = BATCH,
    on_reject: Callable[[RowResult, Any], None] | None = None,
    on_unknown_column: Callable[[str], None] | None = None,
    progress: Callable[[int], None] | None = None,
    dry_run: bool = False,
) -> HistoryImport:
    """Import `rows` ((line, row) pairs, read lazily) in batches of `batch_size`, each
    committed on its own. `on_reject(result, row)` hears every refused row (without it they
    are kept in the result); `on_unknown_column(name)` each column not known, once;
    `progress(rows read)` is called after each batch. `dry_run`: every row read and checked
    as for real, the codes already imported counted, nothing written (`imported` counts what
    would be)."""
    importer = _Importer(source)
    result = HistoryImport()
    seen_columns: set[str] = set()
    batch: list[_Ready] = []
    read = 0

    def reject(line: int, code: str, reason: str, row: Any) -> None:
        result.rejected += 1
        outcome = RowResult(line, code, "rejected", reason)
        if on_reject is None:
            result.results.append(outcome)
        else:
            on_reject(outcome, row)

    def flush() -> None:
        nonlocal batch
        if batch:
            result.imported += _commit(importer, batch, result, dry_run=dry_run)
            result.aliases_recorded += [(c, a.code) for c, a in importer.new_aliases.items()]
            importer.new_aliases.clear()
        batch = []
        if progress is not None:
            progress(read)

    in_batch: set[str] = set()
    names: dict[str, str] = {}  # each heading met, as the name it stands for
    for line, original in rows:
        read += 1
        if isinstance(original, Unreadable):
            message = _("Not a JSON object: %(error)s") % {"error": original.reason}
            reject(line, "", message, original)
            continue
        if not isinstance(original, dict):
            reject(line, "", _("Not a record."), original)
            continue
        row = _named(original, names)
        for name in row.keys() - seen_columns:
            seen_columns.add(name)
            if name not in KNOWN:
                result.unknown_columns.append(name)
                if on_unknown_column is not None:
                    on_unknown_column(name)
        code = _text(row, "code")
        if code and code in in_batch:
            result.already += 1
            continue
        try:
            ready = importer.prepare(line, row)
        except DossierError as error:
            reject(line, code, error.message, original)
            continue
        batch.append(ready)
        in_batch.add(code)
        if len(batch) >= batch_size:
            flush()
            in_batch = set()
    flush()
    return result


def _yes(value: str) -> bool:
    """A yes/no column as old exports write it (1/0, true/false, có/không, x)."""
    word = _unaccented(value)
    if word in YES:
        return True
    if word in NO:
        return False
    raise DossierError(
        "invalid_flag", _("%(value)s is not yes or no (1/0, có/không).") % {"value": value}
    )


def _named(row: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """The row with Vietnamese headings as the names they stand for (HEADINGS); a name
    already given as such wins over a heading for it."""
    renamed: dict[str, Any] = {}
    for key, value in row.items():
        name = names.get(key)
        if name is None:
            name = names[key] = HEADINGS.get(_unaccented(str(key)), key)
        if name not in renamed or key == name:
            renamed[name] = value
    return renamed


def _commit(
    importer: _Importer, batch: list[_Ready], result: HistoryImport, *, dry_run: bool = False
) -> int:
    """Write the rows of `batch` whose codes are not in the database yet, in one transaction;
    the number written (with `dry_run`, that would be). A code written meanwhile by someone
    else makes the batch start over once without it."""
    for attempt in (1, 2):
        codes = [ready.code for ready in batch]
        there = {code for (code,) in _select(Dossier, "code", "code", codes)}
        todo = [ready for ready in batch if ready.code not in there]
        if dry_run:
            result.already += len(batch) - len(todo)
            return len(todo)
        try:
            with transaction.atomic():
                if todo:
                    importer.write(todo)
        except IntegrityError:
            if attempt == 2:
                raise
            for ready in todo:
                ready.pk = None
            continue
        result.already += len(batch) - len(todo)
        return len(todo)
    return 0
