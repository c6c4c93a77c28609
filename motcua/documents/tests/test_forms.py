"""Forms 01-05: valid A5 PDFs with the dossier's data, fonts that cover Vietnamese, and user
text printed literally (never evaluated as Typst)."""

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest
import time_machine

from motcua.documents import forms
from motcua.documents.errors import DocumentError
from motcua.documents.pdf import (
    apology_pdf,
    control_slip_pdf,
    receipt_pdf,
    refusal_slip_pdf,
    supplement_slip_pdf,
)
from motcua.documents.qr import qr_svg, tracking_url
from motcua.documents.rendering import render_pdf
from motcua.dossiers.applicants import Applicant
from motcua.dossiers.intake import (
    Missing,
    receive_dossier,
    refuse_at_reception,
    request_supplement_at_reception,
)
from motcua.dossiers.models import Apology, SupplementRequest

from .conftest import LAN, MONDAY_0830, VN
from .pdfs import A5, font_names, page_sizes, reader, text

SHIPPED_FONTS = {"LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic"}
INJECTION = '#set text(red) [x] $y$ \\ "quotes"'
# Every Vietnamese vowel with every tone mark, upper and lower case, and đ/Đ.
VIETNAMESE = (
    "aàáảãạ ăằắẳẵặ âầấẩẫậ eèéẻẽẹ êềếểễệ iìíỉĩị oòóỏõọ ôồốổỗộ ơờớởỡợ uùúủũụ ưừứửữự "
    "yỳýỷỹỵ đ AÀÁẢÃẠ ĂẰẮẲẴẶ ÂẦẤẨẪẬ EÈÉẺẼẸ ÊỀẾỂỄỆ IÌÍỈĨỊ OÒÓỎÕỌ ÔỒỐỔỖỘ ƠỜỚỞỠỢ UÙÚỦŨỤ "
    "ƯỪỨỬỮỰ YỲÝỶỸỴ Đ"
)


def test_receipt_is_one_a5_page_with_the_dossier_and_the_appointment(received):
    pdf = receipt_pdf(received)

    assert page_sizes(pdf) == {A5}
    content = text(pdf)
    for expected in (
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "UBND PHƯỜNG THÀNH SEN",
        "Thành Sen, ngày 09 tháng 3 năm 2026",
        "Mã hồ sơ: H42.50.01-260309-0001",
        "Nguyễn Thị Lan",
        "042090001234",
        "Số 12 đường Hà Huy Tập",
        "0912345678",
        "lan.nguyen@example.org",
        "Đăng ký khai sinh",
        "Tờ khai đăng ký khai sinh",
        "Giấy chứng sinh",
        "01 bộ",
        "1 ngày làm việc",
        "08 giờ 30 phút, ngày 09 tháng 3 năm 2026",
        "17 giờ 00 phút, ngày 10 tháng 3 năm 2026",
        "Quyển số: 2026, Số thứ tự: 1",
        "Trần Thị Bình",  # the receiving officer
        "http://127.0.0.1:8000/tra-cuu/?ma=H42.50.01-260309-0001",
    ):
        assert expected in content, expected
    assert len(reader(pdf).pages) == 1


def test_the_same_dossier_gives_the_same_bytes(received):
    assert receipt_pdf(received) == receipt_pdf(received)


def test_user_text_is_printed_literally_never_run_as_typst(make_intake, officer):
    applicant = Applicant("citizen", INJECTION, "042090001234", address=INJECTION)
    with time_machine.travel(MONDAY_0830, tick=False):
        dossier = receive_dossier(
            make_intake(applicant=applicant, subject=f'{INJECTION} #import "x.typ"'),
            actor=officer,
        )
    content = text(receipt_pdf(dossier))
    assert content.count(INJECTION) >= 3  # name, address, the applicant's signature
    assert '#import "x.typ"' in content


def test_vietnamese_is_covered_by_the_shipped_serif_font(make_intake, officer):
    """Typst falls back to its built-in fonts for a missing glyph, which would then be
    embedded too: only Liberation Serif in the PDF means every glyph came from it."""
    applicant = Applicant("citizen", "Đặng Thị Ngọc Hưởng", "042090001234", address=VIETNAMESE)
    with time_machine.travel(MONDAY_0830, tick=False):
        dossier = receive_dossier(make_intake(applicant=applicant), actor=officer)
    pdf = receipt_pdf(dossier)
    assert font_names(pdf) == SHIPPED_FONTS
    assert VIETNAMESE in text(pdf)


def test_qr_code_links_to_the_public_tracking_page(settings, received):
    settings.MOTCUA_PUBLIC_URL = "https://dichvucong.example.gov.vn/"
    url = tracking_url(received.code)
    assert url == "https://dichvucong.example.gov.vn/tra-cuu/?ma=H42.50.01-260309-0001"
    svg = qr_svg(url)
    assert svg.startswith("<svg") and "<path" in svg
    assert url in text(receipt_pdf(received))


@pytest.mark.parametrize(
    "build",
    [receipt_pdf, control_slip_pdf, apology_pdf, refusal_slip_pdf],
    ids=lambda build: build.__name__,
)
def test_only_a_received_dossier_has_a_receipt_or_a_control_slip(make_intake, officer, build):
    with time_machine.travel(MONDAY_0830, tick=False):
        dossier = request_supplement_at_reception(
            make_intake(), actor=officer, missing=[Missing(None, "Giấy chứng sinh", "Thiếu")]
        )
    with pytest.raises(DocumentError):
        build(dossier)


def test_supplement_slip_at_reception_lists_every_item_with_its_reason(make_intake, officer):
    with time_machine.travel(MONDAY_0830, tick=False):
        dossier = request_supplement_at_reception(
            make_intake(),
            actor=officer,
            missing=[
                Missing(None, "Giấy chứng sinh", "Chưa có bản chính"),
                Missing(None, "Tờ khai đăng ký khai sinh", "Thiếu chữ ký người đi khai"),
            ],
        )
    pdf = supplement_slip_pdf(dossier)
    assert page_sizes(pdf) == {A5}
    content = text(pdf)
    for expected in (
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        dossier.code,
        "Nguyễn Thị Lan",
        "1 Giấy chứng sinh Chưa có bản chính",
        "2 Tờ khai đăng ký khai sinh Thiếu chữ ký người đi khai",
        "NGƯỜI HƯỚNG DẪN",
        "Trần Thị Bình",
    ):
        assert expected in content, expected


def test_supplement_slip_after_appraisal_uses_the_latest_request(received, officer):
    # Written directly: the slip reads SupplementRequest rows, whoever creates them
    # (supplements.request_supplement in the lifecycle).
    SupplementRequest.objects.create(
        dossier=received,
        requested_at=datetime(2026, 3, 9, 14, 0, tzinfo=VN),
        requested_by=officer,
        reason="Thông tin trên Giấy chứng sinh không khớp với Tờ khai",
        items=[{"name": "Giấy chứng sinh", "reason": "Sai ngày sinh"}, "Bản sao CCCD"],
        clock=SupplementRequest.Clock.RESTART,
    )
    content = text(supplement_slip_pdf(received))
    assert "1 Giấy chứng sinh Sai ngày sinh" in content
    assert "2 Bản sao CCCD" in content
    assert "Thông tin trên Giấy chứng sinh không khớp với Tờ khai" in content
    assert "khoản 4 Điều 19 Nghị định 61/2018/NĐ-CP" in content


def test_without_a_supplement_request_there_is_no_slip(received):
    with pytest.raises(DocumentError) as info:
        supplement_slip_pdf(received)
    assert info.value.code == "no_supplement"


def test_refusal_slip_prints_each_reason(make_intake, officer):
    with time_machine.travel(MONDAY_0830, tick=False):
        dossier = refuse_at_reception(
            make_intake(),
            actor=officer,
            reasons="Không thuộc thẩm quyền của UBND phường.\nNgười đi khai không có quyền khai.",
        )
    pdf = refusal_slip_pdf(dossier)
    assert page_sizes(pdf) == {A5}
    content = text(pdf)
    for expected in (
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        dossier.code,
        "Nguyễn Thị Lan",
        "Không thuộc thẩm quyền của UBND phường.",
        "Người đi khai không có quyền khai.",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Trần Thị Bình",
    ):
        assert expected in content, expected


def test_apology_names_the_old_and_the_new_appointment(received, officer):
    # Written directly: the slip reads the Apology row (delays.apologise in the lifecycle).
    Apology.objects.create(
        dossier=received,
        created_at=datetime(2026, 3, 10, 9, 0, tzinfo=VN),
        created_by=officer,
        reason="Cần xác minh Giấy chứng sinh với bệnh viện",
        previous_due_at=received.due_at,
        new_due_at=datetime(2026, 3, 12, 16, 0, tzinfo=VN),
    )
    received.refresh_from_db()
    pdf = apology_pdf(received)
    assert page_sizes(pdf) == {A5}
    content = text(pdf)
    for expected in (
        "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        "Kính gửi: Ông/Bà Nguyễn Thị Lan",
        "Ngày 09 tháng 3 năm 2026, UBND phường Thành Sen tiếp nhận",
        received.code,
        "17 giờ 00 phút, ngày 10 tháng 3 năm 2026",
        "Cần xác minh Giấy chứng sinh với bệnh viện",
        "16 giờ 00 phút, ngày 12 tháng 3 năm 2026",
        "THỦ TRƯỞNG CƠ QUAN",
    ):
        assert expected in content, expected


def test_no_apology_no_slip(received):
    with pytest.raises(DocumentError) as info:
        apology_pdf(received)
    assert info.value.code == "no_apology"


def test_forms_render_in_parallel_threads(received):
    """Typst compilers are per thread: a web server's threads may print at once."""
    with time_machine.travel(MONDAY_0830, tick=False):
        context = forms.receipt_context(received)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: render_pdf("receipt", context), range(12)))
    assert len(set(results)) == 1 and results[0].startswith(b"%PDF")


def test_applicant_fields_are_complete_on_the_applicants_own_slip(received):
    applicant = forms.applicant(received)
    assert applicant["id_number"] == LAN.id_number  # not masked: it is their own slip
    assert applicant["id_label"] == "Số định danh cá nhân"


def test_templates_compile_without_typst_warnings(received, caplog):
    with caplog.at_level("WARNING", logger="motcua.documents.rendering"):
        receipt_pdf(received)
        control_slip_pdf(received)
    assert caplog.records == []
