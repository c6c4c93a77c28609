"""History import rate (import_dossiers), beside a plain bulk insert of the same rows.

In a throwaway database of its own (bench/scratch.py: a SQLite file in WAL mode; PostgreSQL
with DATABASE_URL, e.g. `scripts/with-postgres .venv/bin/python -m bench import`): a province
with a few agencies and two procedures (one national, one localised), and a CSV file of ROWS
dossiers shaped like a 2018-2019 export: old-form agency codes (000.00.12.H56), localised
procedure codes, dd/mm/yyyy dates, statuses and channels in Vietnamese, 9-digit identity
cards, an unknown column. Figures:

* the bound, measured first: the same dossiers already built as objects, bulk-inserted in
  batches of the import's size and committed, nothing else (then deleted);
* `import_dossiers` of the file through the management command (parse, validate, dossiers,
  their events, tallies, counters), rows per second;
* the same file again: nothing imported (the idempotent re-run a resume makes).

BENCH_IMPORT_ROWS sets the number of rows (default 50,000). No assertion on time.
"""

import csv
import io
import os
import random
import tempfile
import time
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from django.core.management import call_command
from django.db import connection, transaction

from motcua.catalogue.models import Field, Level, OnlineLevel, TimeUnit
from motcua.catalogue.services import create_procedure
from motcua.dossiers.history import BATCH
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.organisations.models import AdministrativeUnit, Agency
from motcua.reports.models import DayTally

from .scratch import scratch_database

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "50000"))
HEADER = [
    "code", "procedure_code", "receiving_agency", "competent_agency", "channel", "status",
    "applicant_name", "applicant_id_number", "received_at", "due_at", "finished_at",
    "returned_at", "ghi_chu",
]  # fmt: skip
STATUSES = ["Đã trả kết quả"] * 7 + ["Đã xử lý xong", "Đang xử lý", "Công dân yêu cầu rút hồ sơ"]
CHANNELS = ["Trực tiếp"] * 6 + ["Trực tuyến"] * 3 + ["Bưu chính công ích"]
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em"]


def run() -> None:
    with scratch_database("motcua-bench-import-") as where:
        agencies, procedures = _setup()
        with tempfile.TemporaryDirectory(prefix="motcua-bench-import-") as folder:
            path = Path(folder) / "lich-su-2018-2019.csv"
            _write_file(path, agencies, procedures)
            load = os.getloadavg()[0]
            bound = _bulk_bound(path)
            imported, output = _import(path)
            again, output_again = _import(path)
            load = max(load, os.getloadavg()[0])
        _report(where, bound, imported, again, output, output_again)
        # The machine's other work weighs on every figure: say how busy it was.
        print(f"   load average (1 min) during the run: up to {load:.1f} on {os.cpu_count()} CPUs")


def _setup() -> tuple[list[str], list[str]]:
    province = AdministrativeUnit.objects.create(code="56", name="Tỉnh Khánh Hòa", kind="province")
    committee = Agency.objects.create(
        code="H56", name="UBND tỉnh", kind="provincial_committee", unit=province
    )
    codes = []
    for n in range(10, 16):
        agency = Agency.objects.create(
            code=f"H56.{n}",
            name=f"Sở {n}",
            kind="provincial_department",
            unit=province,
            parent=committee,
        )
        codes.append(f"000.00.{n}.H56")  # as the old system wrote them
        del agency
    field = Field.objects.create(code="ho-tich", name="Hộ tịch")
    values = {
        "name": "Đăng ký khai sinh",
        "field": field,
        "levels": [Level.PROVINCE],
        "channels": ["in_person", "online", "postal"],
        "online_level": OnlineLevel.END_TO_END,
        "time_limit_value": Decimal(3),
        "time_limit_unit": TimeUnit.WORKING_DAYS,
    }
    components = [{"order": 1, "name": "Tờ khai", "originals": 1, "copies": 0}]
    steps = [{"order": 1, "name": "Giải quyết", "role": "specialist", "budget_hours": 8}]
    create_procedure("1.001193", actor=None, values=values, components=components, steps=steps)
    create_procedure(
        "2.000635.000.00.00.H56",
        actor=None,
        values={**values, "name": "Cấp bản sao trích lục"},
        components=components,
        steps=steps,
    )
    return codes, ["1.001193.000.00.00.H56", "2.000635"]


def _write_file(path: Path, agencies: list[str], procedures: list[str]) -> None:
    rng = random.Random(2019)
    start = datetime(2018, 1, 2, 7, 30)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(ROWS):
            received = start + timedelta(minutes=n * 7 % (720 * 24 * 60))
            received = received.replace(hour=7 + n % 9)
            status = STATUSES[n % len(STATUSES)]
            finished = received + timedelta(days=rng.randint(0, 6), hours=1)
            returned = finished + timedelta(days=rng.randint(0, 2), hours=1)
            due = received.date() + timedelta(days=4)
            closed = status != "Đang xử lý"
            agency = agencies[n % len(agencies)]
            writer.writerow(
                [
                    f"{agency}-{received:%y%m%d}-{n:06d}",
                    procedures[n % 2],
                    agency,
                    "",
                    CHANNELS[n % len(CHANNELS)],
                    status,
                    NAMES[n % len(NAMES)],
                    f"{201000000 + n:09d}",
                    f"{received:%d/%m/%Y %H:%M}",
                    f"{due:%d/%m/%Y}",
                    f"{finished:%d/%m/%Y %H:%M}" if closed else "",
                    f"{returned:%d/%m/%Y %H:%M}" if status == "Đã trả kết quả" else "",
                    "",
                ]
            )


def _bulk_bound(path: Path) -> float:
    """Seconds to bulk-insert the file's dossiers, built beforehand, in committed batches."""
    agencies = {a.code: a for a in Agency.objects.all()}
    from motcua.catalogue.models import Procedure

    procedure = Procedure.objects.select_related("current_version").get(code="1.001193")
    now = datetime.now().astimezone()
    objects = []
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            agency = agencies["H56." + row["receiving_agency"].split(".")[2]]
            objects.append(
                Dossier(
                    code="bound-" + row["code"],
                    procedure=procedure,
                    procedure_version=procedure.current_version,
                    receiving_agency=agency,
                    competent_agency=agency,
                    channel="in_person",
                    status=10,
                    applicant_type="citizen",
                    applicant_name=row["applicant_name"],
                    applicant_id_type="old_id_card",
                    applicant_id_number=row["applicant_id_number"],
                    received_at=now,
                    due_at=now,
                    finished_at=now,
                    returned_at=now,
                )
            )
    started = time.perf_counter()
    for first in range(0, len(objects), BATCH):
        with transaction.atomic():
            Dossier.objects.bulk_create(objects[first : first + BATCH])
    elapsed = time.perf_counter() - started
    Dossier.objects.filter(code__startswith="bound-").delete()
    return elapsed


def _import(path: Path) -> tuple[float, str]:
    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    call_command("import_dossiers", str(path), stdout=out, stderr=err)
    return time.perf_counter() - started, out.getvalue()


def _report(where: str, bound: float, imported: float, again: float, output: str, second: str):
    summary = output.strip().splitlines()[-1]
    events = DossierEvent.objects.count()
    print(f"   {ROWS:,} rows of a 2018-2019-shaped CSV on {where} ({connection.vendor})")
    print(f"   bulk insert of the dossiers alone (bound)   {ROWS / bound:>9,.0f} rows/s")
    print(f"   import_dossiers                             {ROWS / imported:>9,.0f} rows/s")
    print(f"     {summary}")
    print(
        f"     {Dossier.objects.count():,} dossiers, {events:,} events, "
        f"{DayTally.objects.count():,} day-tally rows"
    )
    print(f"   the same file again (nothing to import)     {ROWS / again:>9,.0f} rows/s")
    print(f"     {second.strip().splitlines()[-1]}")
    print(f"   import / bound: {imported / bound:.1f}x the time of the bulk insert alone")
