"""Deadlines of feedback items from the working-day calendar (across Tết, a swapped Saturday,
an override), whether an item kept them (timing.py, table-driven), and the figures the
quality page takes from the register and the ratings: QĐ 766 5.1-5.4 (5.4 against a
hand-computed table) and Circular 01 indicator 8."""

from datetime import date, datetime
from types import SimpleNamespace

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from motcua.feedback import indicators as figures
from motcua.feedback import register, timing
from motcua.feedback.devices import issue_device_token
from motcua.feedback.models import Feedback
from motcua.feedback.ratings import Given, record_rating
from motcua.reports import indicators as quality
from motcua.reports.scope import Period, Scope
from motcua.workdays import services as calendar_services
from motcua.workdays.models import CalendarOverride

from .conftest import KHAC, vn

pytestmark = pytest.mark.django_db
CLOSE = (17, 0)


def sent(agency, moment: datetime, **changes) -> Feedback:
    values = {
        "source": "phone",
        "agency": agency,
        "sender": register.Sender("Phạm Thị Hoa", "12 Trần Phú", "0903123456"),
        "subject": "procedure",
        "title": "Trễ hẹn",
        "body": "Hồ sơ trễ hẹn",
    }
    values.update(changes)
    with time_machine.travel(moment, tick=False):
        item, _created = register.receive_feedback(register.Submission(**values))
    return item


@pytest.mark.parametrize(
    ("received", "refuse", "supplement", "handle"),
    [
        # Friday before Tết 2026 (16-20 February off): the count resumes on Monday 23.
        (vn(2026, 2, 13, 10), date(2026, 2, 24), date(2026, 2, 27), date(2026, 3, 13)),
        # A Wednesday in Tết: counting starts at the first working day after it.
        (vn(2026, 2, 18, 10), date(2026, 2, 24), date(2026, 2, 27), date(2026, 3, 13)),
        # Thursday 20 August 2026: Saturday 22 is worked (swapped for 31 August), 31 August
        # to 2 September are off.
        (vn(2026, 8, 20, 10), date(2026, 8, 22), date(2026, 8, 26), date(2026, 9, 14)),
    ],
)
def test_deadlines_count_working_days(centre, received, refuse, supplement, handle):
    item = sent(centre, received)
    local = {
        name: timing_local(getattr(item, f"{name}_due_at"))
        for name in ("refuse", "supplement", "handle")
    }
    assert local == {
        "refuse": (refuse, CLOSE),
        "supplement": (supplement, CLOSE),
        "handle": (handle, CLOSE),
    }


def timing_local(moment: datetime) -> tuple[date, tuple[int, int]]:
    from django.utils import timezone

    here = timezone.localtime(moment)
    return here.date(), (here.hour, here.minute)


def test_a_saturday_the_province_makes_a_working_day_counts(centre):
    calendar_services.set_override(
        date(2026, 3, 14), kind=CalendarOverride.Kind.WORKING_DAY, name="Làm bù", actor=None
    )
    item = sent(centre, vn(2026, 3, 12, 10))  # Thursday: Friday 13, Saturday 14
    assert timing_local(item.refuse_due_at)[0] == date(2026, 3, 14)


def test_the_forwarding_date_restarts_the_limits(centre, justice_department, centre_clerk):
    item = sent(centre, vn(2026, 2, 13, 10))
    register.classify_feedback(item, actor=centre_clerk, classification="procedure")
    with time_machine.travel(vn(2026, 2, 25, 9), tick=False):
        item = register.forward_feedback(item, actor=centre_clerk, agency=justice_department)
    assert timing_local(item.forward_due_at)[0] == date(2026, 2, 27)  # 5 from receipt
    assert timing_local(item.refuse_due_at)[0] == date(2026, 2, 27)  # 2 from forwarding
    assert timing_local(item.handle_due_at)[0] == date(2026, 3, 18)  # 15 from forwarding
    assert timing.is_on_time(item, vn(2026, 2, 26, 9))


# --- Kept or missed (pure) --------------------------------------------------------------------

D = vn(2026, 3, 10, 17)  # a due moment
BEFORE, AFTER = vn(2026, 3, 10, 9), vn(2026, 3, 11, 9)


def row(**values):
    base = {
        "state": "handling",
        "refused_at": None,
        "refuse_due_at": D,
        "supplement_requested_at": None,
        "supplement_due_at": D,
        "forwarded_at": None,
        "forward_due_at": D,
        "approved_at": None,
        "handle_due_at": D,
        "published_at": None,
        "publish_due_at": None,
    }
    return SimpleNamespace(**{**base, **values})


@pytest.mark.parametrize(
    ("values", "now", "missed"),
    [
        ({}, BEFORE, []),
        ({}, AFTER, ["handle"]),
        ({"state": "supplement_requested"}, AFTER, []),  # waiting for the sender
        ({"state": "refused", "refused_at": AFTER}, AFTER, ["refuse"]),
        ({"state": "refused", "refused_at": BEFORE}, AFTER, []),
        ({"supplement_requested_at": AFTER}, BEFORE, ["supplement"]),
        ({"forwarded_at": AFTER, "state": "forwarded"}, BEFORE, ["forward"]),
        (
            {"state": "awaiting_publication", "approved_at": BEFORE, "publish_due_at": D},
            AFTER,
            ["publish"],
        ),
        (
            {
                "state": "published",
                "approved_at": AFTER,
                "published_at": AFTER,
                "publish_due_at": AFTER,
            },
            AFTER,
            ["handle"],
        ),
        (
            {
                "state": "published",
                "approved_at": BEFORE,
                "published_at": BEFORE,
                "publish_due_at": D,
            },
            AFTER,
            [],
        ),
    ],
)
def test_which_limits_an_item_missed(values, now, missed):
    assert timing.missed(row(**values), now) == missed


# --- QĐ 766 5.4 against a hand-computed table ----------------------------------------------------


@pytest.mark.parametrize(
    ("received", "late", "flagged", "expected"),
    [
        # 100% − (late rate + share with a complaint or a dislike)
        (10, 1, 1, (8, 10)),  # 100 − (10 + 10) = 80%
        (20, 0, 2, (18, 20)),  # 100 − (0 + 10) = 90%: full marks
        (4, 2, 3, (0, 4)),  # 100 − (50 + 75) < 0: 0%
        (0, 0, 0, (0, 0)),  # nothing received: N/A
        (7, 7, 0, (0, 7)),
    ],
)
def test_figure_5_4_matches_the_table(received, late, flagged, expected):
    assert figures.figure_5_4(received, late, flagged) == expected


@given(received=st.integers(0, 500), late=st.integers(0, 500), flagged=st.integers(0, 500))
def test_figure_5_4_stays_a_share(received, late, flagged):
    numerator, denominator = figures.figure_5_4(received, late, flagged)
    assert denominator == received and 0 <= numerator <= max(received, 0)


def test_flagged_dossiers_count_a_complaint_or_a_dislike_once(centre, finished):
    complained, disliked, both, liked = finished(), finished(KHAC), finished(), finished(KHAC)
    with time_machine.travel(vn(2026, 3, 10, 9), tick=False):
        record_rating(dossier=disliked, channel="portal", given=Given(level=1))
        record_rating(dossier=both, channel="device", given=Given(level=3, liked=False))
        record_rating(dossier=liked, channel="device", given=Given(level=1, liked=True))
    sent(centre, vn(2026, 3, 11, 9), dossier=complained, subject="dossier")
    sent(centre, vn(2026, 3, 11, 9), dossier=both, subject="dossier")
    from motcua.dossiers.models import Dossier

    flagged = figures.flagged_dossiers(Dossier.objects.all(), date(2026, 3, 1), date(2026, 4, 1))
    assert flagged == 3  # complained, disliked, both; a like with "dissatisfied" is no dislike
    assert figures.flagged_dossiers(Dossier.objects.all(), date(2026, 4, 1), date(2026, 5, 1)) == 0
    assert issue_device_token(dossier=liked, counter_code="Q1")  # the device API stands


# --- 5.1-5.3 and indicator 8 on the quality page --------------------------------------------


@pytest.fixture
def march(centre, centre_clerk):
    """Four items received in March 2026 at the centre: one published on time and liked,
    one published on time and disliked, one refused late, one still open and overdue."""
    liked = sent(centre, vn(2026, 3, 2, 9))
    disliked = sent(centre, vn(2026, 3, 2, 9))
    refused = sent(centre, vn(2026, 3, 2, 9))
    open_item = sent(centre, vn(2026, 3, 2, 9))
    with time_machine.travel(vn(2026, 3, 6, 9), tick=False):
        for item, kind in (
            (liked, "procedure"),
            (disliked, "staff_behaviour"),
            (open_item, "other"),
        ):
            register.classify_feedback(item, actor=centre_clerk, classification=kind)
            if item is not open_item:
                register.answer_feedback(item, actor=None, answer="Trả lời", verdict="not_founded")
                register.approve_answer(item, actor=None)
                register.publish_answer(item, actor=None, title="T", body="B", answer="A")
        register.refuse_feedback(refused, actor=centre_clerk, reason="Trùng")  # 2 days late
    register.react_to_answer(liked, liked=True)
    register.react_to_answer(disliked, liked=False)
    return liked, disliked, refused, open_item


def test_group_5_from_the_register(march, centre):
    now = vn(2026, 4, 20, 9)
    items = figures.received_in(date(2026, 3, 1), date(2026, 4, 1), None)
    assert figures.figure_5_1(items) == (2, 4)  # procedure, staff behaviour
    assert figures.figure_5_2(items, now) == (2, 4)  # refused late; open past its 15 days
    assert figures.figure_5_3(items, now) == (1, 2)  # of two answered, one disliked
    assert figures.indicator_8(date(2026, 3, 1), date(2026, 4, 1), [centre.pk], now) == {
        centre.pk: (4, 2, 1)
    }


def test_the_quality_page_measures_group_5_and_indicator_8(march, centre):
    with time_machine.travel(vn(2026, 4, 20, 9), tick=False):
        result = quality.build(Period(date(2026, 3, 1), date(2026, 3, 31)), Scope())
    found = {x.code: x for g in result.groups for x in g.figures}
    assert (found["5.1"].numerator, found["5.1"].denominator) == (2, 4)
    assert (found["5.2"].numerator, found["5.2"].denominator) == (2, 4)
    assert (found["5.3"].numerator, found["5.3"].denominator) == (1, 2)
    for code in ("5.1", "5.2", "5.3", "5.4"):
        assert found[code].not_measured == ()
    assert "ratings" not in [key for key, _label in result.not_measured]
