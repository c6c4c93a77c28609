"""Counter intake throughput, with and without printing the receipt (Mẫu 01).

In a throwaway database of its own (bench/scratch.py: a SQLite file in WAL mode, as deployed;
PostgreSQL with DATABASE_URL)
with one commune, one clerk and a two-document procedure built through the services, a
clerk receives DOSSIERS dossiers through motcua.dossiers.intake.receive_dossier, then as
many again each followed by motcua.documents.pdf.receipt_pdf, the way the counter does.
Baseline, same run: intake alone. Also: the receipt's cost split into context (queries,
QR code) and Typst compilation.
"""

import statistics
import time
from collections.abc import Callable
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import translation

from motcua.catalogue.models import Field, Level, OnlineLevel, Procedure, TimeUnit
from motcua.catalogue.services import create_procedure
from motcua.documents import forms
from motcua.documents.pdf import receipt_pdf
from motcua.documents.rendering import render_pdf
from motcua.dossiers.applicants import Applicant
from motcua.dossiers.intake import HandedIn, Intake, receive_dossier
from motcua.dossiers.models import Dossier
from motcua.organisations.models import AdministrativeUnit, Agency, Membership
from motcua.organisations.roles import Role

from .scratch import scratch_database

DOSSIERS = 300
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hương", "Khánh", "Lan", "Mai", "Yến"]


def run() -> None:
    with scratch_database("motcua-bench-intake-") as where:
        agency, clerk, procedure = _setup()
        make = _intakes(agency, procedure)
        receive_dossier(make(0), actor=clerk)  # warm up: calendar tables, fonts, templates
        plain = _measure(lambda n: receive_dossier(make(n), actor=clerk), 1)
        printed = _measure(lambda n: receipt_pdf(receive_dossier(make(n), actor=clerk)), 10_001)
        context, compiled = _receipt_parts(Dossier.objects.order_by("-id")[:DOSSIERS])
        _report(where, plain, printed, context, compiled)


def _setup() -> tuple[Agency, object, Procedure]:
    province = AdministrativeUnit.objects.create(code="42", name="Tỉnh Hà Tĩnh", kind="province")
    commune = AdministrativeUnit.objects.create(
        code="18073", name="Phường Thành Sen", kind="commune", parent=province
    )
    agency = Agency.objects.create(
        code="H42.50.01", name="UBND phường Thành Sen", kind="commune_committee", unit=commune
    )
    clerk = get_user_model().objects.create_user("clerk", first_name="Trần Thị", last_name="Bình")
    Membership.objects.create(user=clerk, agency=agency, role=Role.RECEIVING_CLERK)
    return agency, clerk, _procedure(agency)


def _procedure(agency: Agency) -> Procedure:
    values = {
        "name": "Đăng ký khai sinh",
        "field": Field.objects.create(code="ho-tich", name="Hộ tịch"),
        "levels": [Level.COMMUNE],
        "channels": ["in_person", "online", "postal"],
        "online_level": OnlineLevel.END_TO_END,
        "time_limit_value": Decimal(1),
        "time_limit_unit": TimeUnit.WORKING_DAYS,
    }
    components = [
        {"order": 1, "name": "Tờ khai đăng ký khai sinh", "originals": 1, "copies": 0},
        {"order": 2, "name": "Giấy chứng sinh", "originals": 1, "copies": 0},
    ]
    steps = [
        {"order": 1, "name": "Tiếp nhận", "role": Role.RECEIVING_CLERK, "budget_hours": 1},
        {"order": 2, "name": "Thẩm định", "role": Role.SPECIALIST, "budget_hours": 4},
        {"order": 3, "name": "Ký duyệt", "role": Role.LEADER, "budget_hours": 3},
    ]
    return create_procedure(
        "1.001193",
        actor=None,
        owner_agency=agency,
        values=values,
        components=components,
        steps=steps,
    )


def _intakes(agency: Agency, procedure: Procedure) -> Callable[[int], Intake]:
    checklist = list(procedure.current_version.documents())

    def make(n: int) -> Intake:
        name = f"{FAMILY[n % 10]} Thị {GIVEN[n // 10 % 10]}"
        applicant = Applicant(
            "citizen", name, f"0420{n:08d}", "0912345678", address="Phường Thành Sen, Hà Tĩnh"
        )
        handed_in = [HandedIn(c.pk, originals=1) for c in checklist]
        return Intake(procedure, agency, applicant, handed_in=handed_in)

    return make


def _measure(work: Callable[[int], object], first: int) -> list[float]:
    timings = []
    for n in range(first, first + DOSSIERS):
        started = time.perf_counter()
        work(n)
        timings.append(time.perf_counter() - started)
    return timings


def _receipt_parts(dossiers) -> tuple[list[float], list[float]]:
    """The receipt's two halves on already received dossiers: context, then Typst."""
    contexts, context_times, compile_times = [], [], []
    with translation.override("vi"):
        for dossier in dossiers:
            started = time.perf_counter()
            contexts.append(forms.receipt_context(dossier))
            context_times.append(time.perf_counter() - started)
    for context in contexts:
        started = time.perf_counter()
        render_pdf("receipt", context)
        compile_times.append(time.perf_counter() - started)
    return context_times, compile_times


def _report(where: str, plain, printed, context, compiled) -> None:
    def line(label: str, timings: list[float], with_rate: bool = True) -> str:
        rate = f"{len(timings) / sum(timings):7.0f} dossiers/s" if with_rate else " " * 18
        return f"   {label:<34} {rate}   median {statistics.median(timings) * 1000:6.2f} ms"

    print(f"   {DOSSIERS} dossiers each, one clerk, {where}")
    print(line("receive_dossier (baseline)", plain))
    print(line("receive_dossier + receipt_pdf", printed))
    print(line("  of which receipt context", context, with_rate=False))
    print(line("  of which Typst compilation", compiled, with_rate=False))
    ratio = sum(plain) / sum(printed)
    print(f"   ratio: with the receipt, {ratio:.2f}x the baseline's throughput")
