"""The forms as printed for a realistic dossier: birth registration 1.001193 of the demo
catalogue (13 rows), with a long applicant name and address. Page counts are what the
clerk sees; set FORMS_DIR to keep the PDFs and look at them (pdftoppm -png -r 60)."""

import json
import os
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation

from motcua.catalogue.models import Procedure
from motcua.documents import forms
from motcua.documents.pdf import control_slip_pdf, receipt_pdf, supplement_slip_pdf
from motcua.documents.rendering import _compiler, render_pdf, template_path
from motcua.dossiers.applicants import Applicant
from motcua.dossiers.consultations import answer_consultation, request_consultation
from motcua.dossiers.delays import apologise
from motcua.dossiers.intake import (
    HandedIn,
    Intake,
    Missing,
    receive_dossier,
    request_supplement_at_reception,
)
from motcua.dossiers.processing import assign_step, complete_step, hand_over
from motcua.dossiers.supplements import receive_supplement, request_supplement
from motcua.organisations.models import Agency

from .conftest import MONDAY_0830
from .pdfs import A5, page_sizes, reader, text

LONG = Applicant(
    "citizen",
    "Nguyễn Thị Phương Thảo Hoàng Ngọc Bảo Trâm",
    "042190001234",
    "0912 345 678",
    "phuongthao.hoangngocbaotram@example.org",
    "Số 128/4B ngõ 35 đường Nguyễn Thị Minh Khai, tổ dân phố 7, khu đô thị mới Bắc Thành Sen, "
    "phường Thành Sen, tỉnh Hà Tĩnh",
)


def keep(name: str, pdf: bytes) -> None:
    """With FORMS_DIR set, the PDF and one PNG per page (Typst renders them, 60 dpi)."""
    folder = os.environ.get("FORMS_DIR")
    if not folder:
        return
    Path(folder, f"{name}.pdf").write_bytes(pdf)
    template, build, args = PRINTED[name]
    with translation.override("vi"):
        payload = json.dumps(build(*args), ensure_ascii=False, cls=DjangoJSONEncoder)
    pages = _compiler().compile(
        input=str(template_path(template)), format="png", ppi=60, sys_inputs={"data": payload}
    )
    for number, page in enumerate(pages if isinstance(pages, list) else [pages], start=1):
        Path(folder, f"{name}-{number}.png").write_bytes(page or b"")


PRINTED: dict = {}


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=StringIO())
    staff = {user.username: user for user in get_user_model().objects.all()}
    birth = Procedure.objects.get(code="1.001193")
    return staff, birth, Agency.objects.get(code="H42.50.01")


def test_receipt_for_the_demo_birth_registration_is_one_a5_page(demo):
    staff, birth, agency = demo
    checklist = birth.current_version.documents()
    intake = Intake(birth, agency, LONG, handed_in=[HandedIn(c.pk, originals=1) for c in checklist])
    with time_machine.travel(MONDAY_0830, tick=False):
        dossier = receive_dossier(intake, actor=staff["tiepnhan.thanhsen"])
    pdf = receipt_pdf(dossier)
    PRINTED["mau01"] = ("receipt", forms.receipt_context, (dossier,))
    keep("mau01", pdf)
    assert len(reader(pdf).pages) == 1
    assert page_sizes(pdf) == {A5}
    content = text(pdf)
    for expected in (LONG.name, "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ", dossier.code):
        assert expected in content, expected


def test_supplement_slip_at_reception_lists_exactly_the_missing_items(demo):
    staff, birth, agency = demo
    checklist = birth.current_version.documents()
    handed = [HandedIn(c.pk, originals=1) for c in checklist[2:]]
    missing = [
        Missing(checklist[0].pk, checklist[0].name, "Chưa có bản chính"),
        Missing(checklist[1].pk, checklist[1].name, "Thiếu chữ ký của người đi khai sinh"),
    ]
    intake = Intake(birth, agency, LONG, handed_in=handed)
    with time_machine.travel(MONDAY_0830, tick=False):
        dossier = request_supplement_at_reception(
            intake, actor=staff["tiepnhan.thanhsen"], missing=missing
        )
    pdf = supplement_slip_pdf(dossier)
    PRINTED["mau02"] = ("supplement", forms.supplement_context, (dossier, None))
    keep("mau02", pdf)
    assert len(reader(pdf).pages) == 1
    content = text(pdf)
    assert "Chưa có bản chính" in content
    assert "Thiếu chữ ký của người đi khai sinh" in content
    for other in checklist[2:]:
        assert other.name[:40] not in content, other.name


def test_receipt_with_the_thirteen_rows_of_the_national_record_is_one_page(demo):
    """The national record of 1.001193 has 13 rows, notes included: even all of them as
    documents, the receipt stays one A5 page with both signatures."""
    staff, birth, agency = demo
    rows = list(birth.current_version.components.all())
    assert len(rows) >= 13
    handed = [HandedIn(c.pk, originals=1) for c in birth.current_version.documents()]
    intake = Intake(birth, agency, LONG, handed_in=handed)
    with time_machine.travel(MONDAY_0830, tick=False):
        dossier = receive_dossier(intake, actor=staff["tiepnhan.thanhsen"])
    with translation.override("vi"):
        context = forms.receipt_context(dossier)
    context["components"] = [
        {"no": str(n), "name": c.name, "originals": "1", "certified_copies": "", "copies": "1"}
        for n, c in enumerate(rows, start=1)
    ]
    pdf = render_pdf("receipt", context)
    assert len(reader(pdf).pages) == 1
    assert page_sizes(pdf) == {A5}
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in text(pdf)


def test_control_slip_lists_every_hand_over_of_a_dossier_with_detours(demo):
    staff, birth, agency = demo
    clerk, head, officer = (
        staff[n] for n in ("tiepnhan.thanhsen", "phancong.thanhsen", "hotich.thanhsen")
    )
    handed = [HandedIn(c.pk, originals=1) for c in birth.current_version.documents()]
    with time_machine.travel(MONDAY_0830, tick=False):
        dossier = receive_dossier(Intake(birth, agency, LONG, handed_in=handed), actor=clerk)
        hand_over(dossier, actor=clerk, note="Bàn giao bản giấy kèm 8 thành phần")
        complete_step(dossier, actor=head)
        assign_step(dossier, actor=head, assignee=officer)
        consultation = request_consultation(
            dossier, actor=officer, to_agency=agency, deadline_days=1,
            content="Đề nghị xác nhận thông tin cư trú của người mẹ tại tổ dân phố 7",
        )  # fmt: skip
        answer_consultation(consultation, actor=officer, answer="Thông tin cư trú chính xác")
        request_supplement(
            dossier, actor=officer, reason="Giấy chứng sinh bị mờ, không đọc được ngày sinh",
            items=["Giấy chứng sinh"],
        )  # fmt: skip
        receive_supplement(dossier, actor=clerk, note="Đã nhận bản chính Giấy chứng sinh")
        dossier.refresh_from_db()
        assert dossier.due_at is not None
        apologise(
            dossier, actor=clerk, reason="Chờ xác minh thông tin cư trú",
            new_due_at=dossier.due_at + timedelta(days=7),
        )  # fmt: skip
    dossier.refresh_from_db()
    pdf = control_slip_pdf(dossier)
    PRINTED["mau05"] = ("control", forms.control_context, (dossier,))
    keep("mau05", pdf)
    content = text(pdf)
    for expected in ("Thông tin cư trú chính xác", "không đọc được", "Chờ xác minh"):
        assert expected in content, expected
