"""Mẫu 05: the hand-over table follows the dossier through the processing services."""

from datetime import datetime

import pytest
import time_machine

from conftest import make_user
from motcua.documents.hops import EARLY, LATE, ON_TIME, hop_rows, timeliness
from motcua.documents.pdf import control_slip_pdf
from motcua.dossiers import processing, results
from motcua.dossiers.consultations import answer_consultation, request_consultation
from motcua.dossiers.delays import apologise
from motcua.dossiers.supplements import receive_supplement, request_supplement
from motcua.organisations.roles import Role

from .conftest import VN
from .pdfs import A5, page_sizes, text

DESK = "Bộ phận Một cửa UBND phường Thành Sen"
APPRAISAL = "UBND phường Thành Sen (Thẩm định)"
SIGNATURE = "UBND phường Thành Sen (Ký duyệt)"


def vn(*args: int) -> datetime:
    return datetime(*args, tzinfo=VN)


@pytest.mark.parametrize(
    ("finished", "due", "expected"),
    [
        (vn(2026, 3, 9, 16, 0), vn(2026, 3, 10, 17, 0), EARLY),
        (vn(2026, 3, 10, 9, 0), vn(2026, 3, 10, 17, 0), ON_TIME),
        (vn(2026, 3, 10, 17, 0), vn(2026, 3, 10, 17, 0), ON_TIME),
        (vn(2026, 3, 10, 17, 1), vn(2026, 3, 10, 17, 0), LATE),
        (None, vn(2026, 3, 10, 17, 0), ""),
        (vn(2026, 3, 10, 17, 0), None, ""),
    ],
)
def test_timeliness_compares_the_finish_with_the_due_moment(finished, due, expected):
    assert timeliness(finished, due) == expected


def _brief(rows):
    return [(r["giver_unit"], r["receiver_unit"], r["at"], r["result"]) for r in rows]


def test_before_hand_over_the_planned_hops_print_blank(received):
    rows = hop_rows(received, DESK)
    assert _brief(rows) == [
        (DESK, APPRAISAL, "", ""),
        (APPRAISAL, SIGNATURE, "", ""),
        (SIGNATURE, DESK, "", ""),
    ]


@pytest.fixture
def commune_staff(commune_agency):
    specialist = make_user(
        "phuong", commune_agency, Role.SPECIALIST, first_name="Lê Văn", last_name="Phương"
    )
    leader = make_user(
        "hung", commune_agency, Role.LEADER, first_name="Hoàng Minh", last_name="Hùng"
    )
    return specialist, leader


def _process(dossier, officer, specialist, leader) -> None:
    """Through the lifecycle services (processing.py, results.py), with frozen time."""
    with time_machine.travel(vn(2026, 3, 9, 10, 0), tick=False):
        processing.hand_over(dossier, actor=officer, note="Bàn giao bản giấy")
    with time_machine.travel(vn(2026, 3, 9, 10, 30), tick=False):
        processing.assign_step(dossier, actor=leader, assignee=specialist)
    with time_machine.travel(vn(2026, 3, 9, 14, 0), tick=False):
        processing.complete_step(dossier, actor=specialist, note="Hồ sơ hợp lệ")
    with time_machine.travel(vn(2026, 3, 11, 15, 0), tick=False):
        processing.approve(dossier, actor=leader)
        results.mark_result_ready(dossier, actor=officer)


def test_each_hand_over_is_a_row_with_people_times_and_timeliness(received, officer, commune_staff):
    specialist, leader = commune_staff
    _process(received, officer, specialist, leader)
    received.refresh_from_db()

    rows = hop_rows(received, DESK)
    assert _brief(rows) == [
        (DESK, APPRAISAL, "10:00 09/03/2026", ON_TIME),  # forwarded the same day (art. 18)
        (APPRAISAL, SIGNATURE, "14:00 09/03/2026", ON_TIME),  # 4 h budget from 10:00
        (SIGNATURE, DESK, "15:00 11/03/2026", LATE),  # 3 h budget, signed two days later
    ]
    assert [(r["giver"], r["receiver"]) for r in rows] == [
        ("Trần Thị Bình", "Lê Văn Phương"),
        ("Lê Văn Phương", "Hoàng Minh Hùng"),
        ("Hoàng Minh Hùng", "Trần Thị Bình"),
    ]
    assert rows[0]["note"] == "Bàn giao bản giấy"
    assert "Cả hồ sơ: quá hạn" in rows[2]["note"]

    pdf = control_slip_pdf(received)
    assert page_sizes(pdf) == {A5}
    content = text(pdf)
    for expected in (
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        received.code,
        "Nguyễn Thị Lan",
        "Ngày tiếp nhận: 08:30 09/03/2026",
        "17:00 10/03/2026",
        "10:00 09/03/2026",
        "Lê Văn Phương",
        "Quá hạn",
    ):
        assert expected in content, expected


def test_while_in_progress_the_rest_of_the_route_is_blank(received, officer, commune_staff):
    specialist, leader = commune_staff
    with time_machine.travel(vn(2026, 3, 9, 10, 0), tick=False):
        processing.hand_over(received, actor=officer)
    received.refresh_from_db()
    assert _brief(hop_rows(received, DESK)) == [
        (DESK, APPRAISAL, "10:00 09/03/2026", ON_TIME),
        (APPRAISAL, SIGNATURE, "", ""),
        (SIGNATURE, DESK, "", ""),
    ]


def test_a_send_back_is_a_hop_back_and_the_step_runs_again(received, officer, commune_staff):
    specialist, leader = commune_staff
    with time_machine.travel(vn(2026, 3, 9, 10, 0), tick=False):
        processing.hand_over(received, actor=officer)
    with time_machine.travel(vn(2026, 3, 9, 14, 0), tick=False):
        processing.complete_step(received, actor=specialist)
    with time_machine.travel(vn(2026, 3, 9, 15, 0), tick=False):
        processing.send_back(received, actor=leader, to_order=2, reason="Thiếu chữ ký")
    with time_machine.travel(vn(2026, 3, 9, 16, 0), tick=False):
        processing.complete_step(received, actor=specialist)
    received.refresh_from_db()

    rows = hop_rows(received, DESK)
    assert _brief(rows) == [
        (DESK, APPRAISAL, "10:00 09/03/2026", ON_TIME),
        (APPRAISAL, SIGNATURE, "14:00 09/03/2026", ON_TIME),
        (SIGNATURE, APPRAISAL, "15:00 09/03/2026", ON_TIME),
        # A fresh 4-hour budget from 15:00 runs into Tuesday: done on Monday is early.
        (APPRAISAL, SIGNATURE, "16:00 09/03/2026", EARLY),
        (SIGNATURE, DESK, "", ""),  # still to come
    ]
    assert rows[2]["note"] == "Trả lại bước trước: Thiếu chữ ký"
    assert rows[2]["giver"] == "Hoàng Minh Hùng"


def test_supplements_consultations_and_apologies_are_rows_too(
    received, officer, commune_staff, commune_agency
):
    specialist, leader = commune_staff
    with time_machine.travel(vn(2026, 3, 9, 10, 0), tick=False):
        processing.hand_over(received, actor=officer)
        processing.assign_step(received, actor=leader, assignee=specialist)
    with time_machine.travel(vn(2026, 3, 9, 11, 0), tick=False):
        consultation = request_consultation(
            received, actor=specialist, to_agency=commune_agency, content="Xác nhận nơi cư trú",
            deadline_days=1,
        )  # fmt: skip
    with time_machine.travel(vn(2026, 3, 9, 15, 0), tick=False):
        answer_consultation(consultation, actor=specialist, answer="Đúng nơi cư trú")
    with time_machine.travel(vn(2026, 3, 9, 16, 0), tick=False):
        request_supplement(
            received, actor=specialist, reason="Giấy chứng sinh mờ", items=["Giấy chứng sinh"]
        )
    with time_machine.travel(vn(2026, 3, 10, 9, 0), tick=False):
        receive_supplement(received, actor=officer, note="Đã nộp bản chính")
        received.refresh_from_db()
        apologise(received, actor=officer, reason="Chờ xác minh", new_due_at=vn(2026, 3, 20, 17, 0))
    received.refresh_from_db()

    rows = hop_rows(received, DESK)
    notes = [r["note"] for r in rows]
    assert [(r["giver_unit"], r["receiver_unit"]) for r in rows[:6]] == [
        (DESK, APPRAISAL),
        (APPRAISAL, "UBND phường Thành Sen"),  # consultation sent
        ("UBND phường Thành Sen", APPRAISAL),  # and answered
        (APPRAISAL, DESK),  # supplement requested
        (DESK, APPRAISAL),  # and received
        (APPRAISAL, DESK),  # apology
    ]
    assert notes[1].startswith("Xin ý kiến") or "Xác nhận nơi cư trú" in notes[1]
    assert "Đúng nơi cư trú" in notes[2] and rows[2]["result"] == ON_TIME
    assert "Giấy chứng sinh mờ" in notes[3]
    assert "Đã nộp bản chính" in notes[4]
    assert "hẹn lại 17:00 20/03/2026" in notes[5]

    pdf = control_slip_pdf(received)
    assert page_sizes(pdf) == {A5}
    for note in ("Đúng nơi cư trú", "Giấy chứng sinh mờ", "Chờ xác minh"):
        assert note in text(pdf)
