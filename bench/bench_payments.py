"""Confirmations through the national payment platform's callback, per second.

In a throwaway database of its own (bench/scratch.py: a SQLite file in WAL mode, as deployed;
PostgreSQL with DATABASE_URL) with one commune, a fee-bearing procedure (one 50.000 đ charge)
and a receipt series, PAYMENTS dossiers are received through the services, each with a
platform attempt waiting. Then, through the callback's URL (Django's test client: the view,
the signature, the amount and currency checks):

* **whole path**: a signed "paid" callback for each attempt: the attempt confirmed, the
  request paid, the receipt numbered under its series' lock, the audit event, the outbox
  message, the notice kept; one transaction each;
* **bare callback handling**, same run, same attempts: the same callbacks again (replays):
  parsed, verified, the attempt found and locked, the notice kept, nothing confirmed;
* for scale, the signature alone (SHA-256 and compare_digest) in a loop.
"""

import json
import statistics
import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.test import Client, override_settings

from motcua.catalogue.models import Field, Level, OnlineLevel, TimeUnit
from motcua.catalogue.services import create_procedure
from motcua.dossiers.applicants import Applicant
from motcua.dossiers.intake import HandedIn, Intake, receive_dossier
from motcua.fakepay import merchant, signing
from motcua.organisations.models import AdministrativeUnit, Agency, Membership
from motcua.organisations.roles import Role
from motcua.payments import platform
from motcua.payments.models import (
    FeeItem,
    FeeKind,
    PaymentAttempt,
    PaymentRequest,
    Receipt,
    ReceiptSeries,
)

from .scratch import scratch_database

PAYMENTS = 300
CALLBACK = "/thanh-toan/nen-tang/xac-nhan/"


def run() -> None:
    with (
        scratch_database("motcua-bench-payments-") as where,
        override_settings(
            MOTCUA_FAKE_PAYMENTS=True, MOTCUA_PAYMENT_PLATFORM_URL="", ALLOWED_HOSTS=["testserver"]
        ),
    ):
        bodies = _setup()
        client = Client()
        whole = _measure(client, bodies)
        bare = _measure(client, bodies)
        confirmed = PaymentAttempt.objects.filter(state="confirmed").count()
        assert confirmed == Receipt.objects.count() == PAYMENTS, "every payment confirmed once"
        _report(where, whole, bare, _signatures(bodies[0]))


def _setup() -> list[bytes]:
    province = AdministrativeUnit.objects.create(code="42", name="Tỉnh Hà Tĩnh", kind="province")
    commune = AdministrativeUnit.objects.create(
        code="18073", name="Phường Thành Sen", kind="commune", parent=province
    )
    agency = Agency.objects.create(
        code="H42.50.01", name="UBND phường Thành Sen", kind="commune_committee", unit=commune
    )
    clerk = get_user_model().objects.create_user("clerk")
    Membership.objects.create(user=clerk, agency=agency, role=Role.RECEIVING_CLERK)
    procedure = create_procedure(
        "1.000001",
        actor=None,
        owner_agency=agency,
        values={
            "name": "Chứng thực",
            "field": Field.objects.create(code="ct", name="Chứng thực"),
            "levels": [Level.COMMUNE],
            "channels": ["in_person"],
            "online_level": OnlineLevel.PARTIAL,
            "time_limit_value": Decimal(1),
            "time_limit_unit": TimeUnit.WORKING_DAYS,
        },
        components=[{"order": 1, "name": "Tờ khai", "originals": 1, "copies": 0}],
        steps=[{"order": 1, "name": "Tiếp nhận", "role": Role.RECEIVING_CLERK, "budget_hours": 1}],
    )
    version = procedure.current_version
    assert version is not None
    FeeItem.objects.create(version=version, name="Lệ phí", kind=FeeKind.CHARGE, amount=50_000)
    ReceiptSeries.objects.create(
        agency=agency,
        template_symbol="01BLP0-001",
        series_symbol="BENCH-26E",
        collector_name="UBND phường Thành Sen",
        collector_tax_code="3000123456",
    )
    component = version.documents()[0]
    for n in range(PAYMENTS):
        applicant = Applicant("citizen", f"Người nộp {n}", f"04209{n + 1000:07d}", "0912345678")
        intake = Intake(
            procedure, agency, applicant, handed_in=[HandedIn(component.pk, originals=1)]
        )
        receive_dossier(intake, actor=clerk)
    return [_callback(_attempt(request)) for request in PaymentRequest.objects.order_by("pk")]


def _attempt(request: PaymentRequest) -> PaymentAttempt:
    attempt = PaymentAttempt.objects.create(
        request=request, method="platform", state="pending", amount=request.total
    )
    attempt.reference = f"{request.reference}-{attempt.pk}"
    attempt.save(update_fields=["reference"])
    return attempt


def _callback(attempt: PaymentAttempt) -> bytes:
    message = {
        "LoaiBanTin": "CONFIRM",
        "MaLoi": "00",
        "MaDoiTac": merchant.MERCHANT,
        "MaThamChieu": attempt.reference,
        "SoTien": attempt.amount,
        "MaTienTe": "VND",
        "MaGiaoDich": f"BENCH{attempt.pk}",
        "MaNganHang": "FAKEBANK",
        "ThoiGianGD": "20260309143005",
        "ThongTinGiaoDich": "bench",
    }
    message["MaXacThuc"] = signing.mac(message, signing.CONFIRM, merchant.SECRET)
    return json.dumps(message).encode()


def _measure(client: Client, bodies: list[bytes]) -> list[float]:
    timings = []
    for body in bodies:
        started = time.perf_counter()
        answer = client.post(CALLBACK, body, content_type="application/json")
        timings.append(time.perf_counter() - started)
        assert answer.status_code == 200, answer.content
    return timings


def _signatures(body: bytes, rounds: int = 20_000) -> float:
    message = json.loads(body)
    started = time.perf_counter()
    for _ in range(rounds):
        platform.has_valid_signature(message, platform.CONFIRM_FIELDS, merchant.SECRET)
    return rounds / (time.perf_counter() - started)


def _report(where: str, whole: list[float], bare: list[float], signatures: float) -> None:
    def line(label: str, timings: list[float]) -> str:
        rate = len(timings) / sum(timings)
        median = statistics.median(timings) * 1000
        return f"   {label:<44} {rate:7.0f} /s   median {median:6.2f} ms"

    print(f"   {PAYMENTS} platform callbacks through the view, {where}")
    print(line("whole path (confirm, receipt, audit, outbox)", whole))
    print(line("bare callback handling (replays, same run)", bare))
    print(f"   {'signature check alone':<44} {signatures:7.0f} /s")
    print(f"   ratio: the whole path at {sum(bare) / sum(whole):.2f}x the bare handling's rate")
