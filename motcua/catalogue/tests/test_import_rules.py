"""The portal repair rules, one by one (pure functions, no database)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.catalogue.interchange.documents import (
    is_note,
    repair_documents,
    split_form_files,
    strip_bullet,
)
from motcua.catalogue.interchange.parse import RecordError, parse_record
from motcua.catalogue.interchange.portal import (
    applicant_types,
    channel_amounts,
    channel_time,
    fees,
    headline_time,
    online_level,
    split_groups,
)
from motcua.catalogue.interchange.references import field_code_for

from .import_samples import channel, document, portal_record


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("- Giấy chứng sinh", "Giấy chứng sinh"),
        ("+ Bản khai chung;", "Bản khai chung;"),
        ("a) Tờ khai", "Tờ khai"),
        ("• Đơn đề nghị", "Đơn đề nghị"),
        ("(i) Bản sao hộ chiếu", "Bản sao hộ chiếu"),
        ("1. Tờ khai đăng ký", "Tờ khai đăng ký"),
        ("++ Phương án kinh doanh", "Phương án kinh doanh"),
        ("Giấy tờ 1.2", "Giấy tờ 1.2"),
        ("-", "-"),
    ],
)
def test_leading_bullets_are_stripped(raw, expected):
    assert strip_bullet(raw) == expected


@pytest.mark.parametrize(
    ("name", "note"),
    [
        ("Trường hợp nộp qua bưu chính thì gửi kèm phong bì", True),
        ("- Trường hợp ủy quyền", True),
        ("* Lưu ý: mang theo bản chính", True),
        ("(Trường hợp người yêu cầu là người nước ngoài)", True),
        ("+ Đối với giấy tờ do nước ngoài cấp", True),
        ("Ghi chú: không", True),
        ("Giấy chứng sinh", False),
        ("- Tờ khai", False),
    ],
)
def test_rows_that_start_like_a_note_are_recognised(name, note):
    assert is_note(name) is note


@pytest.mark.parametrize(
    ("name", "stem", "files"),
    [
        (
            "Tờ khai (mẫu NA5) ngày 30/6/2023.NA5.doc",
            "Tờ khai (mẫu NA5) ngày 30/6/2023.",
            ["NA5.doc"],
        ),
        (
            "Đơn theo Nghị định 39/2026/NĐ -CPmau so 12.doc",
            "Đơn theo Nghị định 39/2026/NĐ -CP",
            ["mau so 12.doc"],
        ),
        ("Đơn đề nghị theo mẫu1.004286.docx", "Đơn đề nghị theo mẫu", ["1.004286.docx"]),
        ("Đơn theo quy định1.4. Don de nghi.docx", "Đơn theo quy định", ["1.4. Don de nghi.docx"]),
        ("Văn bản.Mẫu số 01.docxMẫu số 04.docx", "Văn bản.", ["Mẫu số 01.docx", "Mẫu số 04.docx"]),
        ("Báo cáo chăn nuôi08.pdf", "Báo cáo chăn nuôi", ["08.pdf"]),
        ("Giấy chứng sinh", "Giấy chứng sinh", []),
    ],
)
def test_template_file_names_glued_to_a_name_are_split_off(name, stem, files):
    notes = []
    assert split_form_files(name, set(), notes) == (stem, files)
    assert [n.rule for n in notes] == (["form_file_split"] if files else [])


def test_a_known_form_file_name_marks_the_boundary():
    assert split_form_files("Tờ khaiTK 01 (1).docx", {"TK 01 (1).docx"}, []) == (
        "Tờ khai",
        ["TK 01 (1).docx"],
    )


def test_a_file_name_whose_start_cannot_be_found_is_left_and_reported():
    notes = []
    name = "Tờ khai theo mẫu số 01/PH01-PH.doc"
    assert split_form_files(name, set(), notes) == (name, [])
    assert [n.rule for n in notes] == ["form_file_unsplit"]


def test_uncounted_note_rows_move_to_the_documents_note():
    rows = [
        document("Tờ khai"),
        document("Trường hợp ủy quyền thì nộp giấy ủy quyền", 0, 0),
        document("Giấy tờ phải nộp:", 0, 0),
        document("Bản sao sổ hộ khẩu", 0, 0),
        document("   ", 1, 0),
    ]
    components, note, notes = repair_documents(rows, "Ghi chú cuối bảng")

    assert [(c["order"], c["name"]) for c in components] == [
        (1, "Tờ khai"),
        (2, "Bản sao sổ hộ khẩu"),
    ]
    assert note.splitlines() == [
        "Trường hợp ủy quyền thì nộp giấy ủy quyền",
        "Giấy tờ phải nộp:",
        "Ghi chú cuối bảng",
    ]
    assert [n.rule for n in notes] == [
        "document_note_moved",
        "document_heading_moved",
        "document_without_count",
        "document_empty",
    ]


@pytest.mark.parametrize(
    ("time_limit", "fee", "value", "unit", "rule"),
    [
        ("7 Ngày làm việc", "Miễn phí", Decimal(7), "working_days", None),
        ("30 Ngày", "Miễn phí", Decimal(30), "calendar_days", None),
        ("8 Giờ", "Miễn phí", Decimal(8), "working_hours", None),
        ("3 Tháng", "Miễn phí", Decimal(3), "months", None),
        ("1", "Miễn phí", Decimal(1), "working_days", "time_unit_assumed"),
        ("10-25", "Phí : 0 Đồng", Decimal(25), "working_days", "time_range_upper"),
        ("1100", "VNĐ(Phí công bố: 100.000 đồng/lần)", None, None, "time_fee_run_together"),
        ("Không quy định", "Phí : 0 Đồng", None, None, "time_limit_missing"),
        ("0", "Miễn phí", None, None, "time_limit_missing"),
        (None, "Miễn phí", None, None, "time_limit_missing"),
    ],
)
def test_channel_time_limits(time_limit, fee, value, unit, rule):
    row, notes = channel_time(channel("in_person", time_limit, fee=fee))

    assert (row["value"], row["unit"]) == (value, unit)
    assert [n.rule for n in notes] == ([rule] if rule else [])


def test_an_unknown_time_unit_is_reported():
    entry = {
        "channel": "online",
        "time_limit": "2 Tuần",
        "time_limit_value": 2,
        "time_limit_unit": "Tuần",
    }
    row, notes = channel_time(entry)
    assert row["value"] is None and [n.rule for n in notes] == ["time_unit_unknown"]


def test_the_headline_limit_is_the_in_person_one_else_the_first():
    online = {"channel": "online", "value": Decimal(3), "unit": "working_days"}
    in_person = {"channel": "in_person", "value": Decimal(5), "unit": "working_days"}
    assert headline_time([online, in_person]) == (Decimal(5), "working_days")
    assert headline_time([online]) == (Decimal(3), "working_days")
    assert headline_time([]) == (None, "")


def test_free_with_a_stated_amount_keeps_the_amount():
    entry = channel(
        "in_person", fee="Miễn phí(- Cấp lại do hết hạn: 1.200.000 VNĐ - do mất: 300.000 VNĐ)"
    )
    amounts, notes = channel_amounts(entry)
    assert amounts == ((Decimal(1200000), "VND"), (Decimal(300000), "VND"))
    assert [n.rule for n in notes] == ["fee_shown_as_free"]


def test_fees_agreeing_across_channels_give_one_set_for_all_channels():
    entries = [
        {
            **channel(kind, fee="70,000 Việt Nam Đồng"),
            "fee_amounts": [{"amount": 70000, "currency": "VND"}],
        }
        for kind in ("in_person", "online")
    ]
    rows, notes = fees(entries)
    assert [(r["channel"], r["amount"], r["name"]) for r in rows] == [
        ("", Decimal(70000), "Phí, lệ phí")
    ]
    assert notes == []


def test_a_foreign_currency_fee_is_kept_as_a_rule():
    entry = {
        **channel("in_person", fee="10 USD(/lần)"),
        "fee_amounts": [{"amount": 10, "currency": "USD"}],
    }
    rows, notes = fees([entry])
    assert (rows[0]["amount"], rows[0]["rule"]) == (None, "10 USD")
    assert [n.rule for n in notes] == ["fee_foreign_currency"]


def test_no_fee_gives_no_fee_rows():
    assert fees([channel("in_person"), channel("online", fee="Phí : 0 Đồng")]) == ([], [])


def test_online_level_is_partial_with_an_online_channel_and_none_without():
    assert online_level(["in_person", "online"], True)[0] == "partial"
    assert online_level(["in_person"], False) == ("none", [])


def test_applicant_types_come_from_the_groups_of_target_subjects():
    text = (
        "Tổ chức (không bao gồm doanh nghiệp, HTX), Doanh nghiệp có vốn đầu tư nước ngoài, "
        "Hợp tác xã, Người nước ngoài, Cán bộ, công chức, viên chức, Đảng viên"
    )
    types, notes = applicant_types(text)
    assert types == ["foreigner", "enterprise", "cooperative", "organisation", "public_body"]
    assert [n.subject for n in notes] == ["Đảng viên"]


def test_commas_inside_parentheses_do_not_split_groups():
    assert split_groups("Tổ chức (không bao gồm doanh nghiệp, HTX), Công dân Việt Nam") == [
        "Tổ chức (không bao gồm doanh nghiệp, HTX)",
        "Công dân Việt Nam",
    ]


@pytest.mark.parametrize(
    ("name", "wanted", "taken", "code"),
    [
        ("Hộ tịch", "", set(), "ho-tich"),
        ("Đăng ký, quản lý cư trú", "", set(), "dang-ky-quan-ly-cu-tru"),
        ("Hộ tịch", "civil-status", set(), "civil-status"),
        ("Hộ tịch", "", {"ho-tich"}, "ho-tich-2"),
    ],
)
def test_field_codes_are_slugs_of_the_folded_name(name, wanted, taken, code):
    assert field_code_for(name, wanted, taken) == code


def test_long_field_codes_are_cut_at_a_word():
    code = field_code_for(
        "Thành lập và hoạt động của tổ hợp tác, hợp tác xã, liên hiệp hợp tác xã, mở rộng",
        "",
        set(),
    )
    assert len(code) <= 64 and not code.endswith("-")


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"code": "12345"}, "12345"),
        ({"name": ""}, "name"),
        ({"field": None}, "field"),
        ({"levels": ["district"]}, "district"),
        ({"channels": "in_person"}, "channels"),
        ({"schema": "other/9"}, "other/9"),
    ],
)
def test_invalid_records_are_refused_with_a_reason(overrides, reason):
    with pytest.raises(RecordError, match=reason):
        parse_record(portal_record(**overrides))


@given(st.text(alphabet="-+•–*()ivxabđ1. \tGiấy", max_size=24))
def test_stripping_bullets_is_idempotent_and_never_empties_a_name(text):
    once = strip_bullet(text)
    assert strip_bullet(once) == once
    assert once.strip() or not text.strip()


def test_uncounted_rows_under_a_note_heading_are_kept_as_notes():
    rows = [
        document("Giấy chứng sinh", case="* Giấy tờ phải nộp:"),
        document("Cơ quan đăng ký hộ tịch từ chối giải quyết…", 0, 0, case="* Lưu ý:"),
        document("Bản chụp các giấy tờ phải rõ nét", 0, 0, case="* Lưu ý:"),
    ]
    components, _, notes = repair_documents(rows, "")

    assert [(c["name"], c["kind"], c["is_mandatory"]) for c in components] == [
        ("Giấy chứng sinh", "document", True),
        ("Cơ quan đăng ký hộ tịch từ chối giải quyết…", "note", False),
        ("Bản chụp các giấy tờ phải rõ nét", "note", False),
    ]
    assert [n.rule for n in notes] == ["document_kept_as_note", "document_kept_as_note"]


@pytest.mark.parametrize(
    "name",
    [
        "- Trường hợp trẻ em bị bỏ rơi thì phải có biên bản về việc trẻ bị bỏ rơi",
        "Văn bản ủy quyền trong trường hợp ủy quyền thực hiện việc đăng ký",
        "Bản sao giấy tờ nhà đất, nếu có tranh chấp",
        "Giấy xác nhận cư trú trong trường hợp không khai thác được thông tin (theo hình "
        "thức trực tiếp hoặc trực tuyến)",
    ],
)
def test_a_document_for_one_case_only_is_not_mandatory(name):
    components, _, notes = repair_documents([document(name)], "")

    assert components[0]["kind"] == "document" and not components[0]["is_mandatory"]
    assert components[0]["filing"] == "any"
    assert "document_conditional" in [n.rule for n in notes]


@pytest.mark.parametrize(
    "name, filing",
    [
        ("Tờ khai theo mẫu (nếu người có yêu cầu nộp trực tiếp)", "paper"),
        (
            "Tờ khai đăng ký khai sinh theo mẫu (nếu người có yêu cầu lựa chọn nộp hồ sơ theo "
            "hình thức trực tiếp hoặc gửi hồ sơ qua hệ thống bưu chính);",
            "paper",
        ),
        ("Mẫu điện tử tương tác (do người yêu cầu cung cấp, nếu nộp trực tuyến)", "online"),
        (
            "Mẫu hộ tịch điện tử tương tác đăng ký khai sinh (do người yêu cầu cung cấp thông "
            "tin theo hướng dẫn trên Cổng dịch vụ công, nếu người có yêu cầu lựa chọn nộp hồ sơ "
            "theo hình thức trực tuyến)",
            "online",
        ),
    ],
)
def test_a_document_for_one_way_of_filing_is_mandatory_for_it(name, filing):
    """The condition names only the way of filing: the paper form is required at the
    counter, the interactive e-form online (Component.required_for)."""
    components, _, notes = repair_documents([document(name)], "")

    assert components[0]["is_mandatory"] and components[0]["filing"] == filing
    assert f"document_for_{filing}_filing" in [n.rule for n in notes]
