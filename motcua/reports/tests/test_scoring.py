"""The indicator arithmetic (scoring.py): each rule as a table, then properties: bounds,
monotonicity, grade boundaries, rounding."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.reports import scoring as s

EARLY, ON_TIME, LATE = s.Timing.EARLY, s.Timing.ON_TIME, s.Timing.LATE
points_lists = st.lists(st.sampled_from([0, 1, 2]), min_size=1, max_size=60)
timings = st.lists(st.sampled_from([EARLY, ON_TIME, LATE]), max_size=12)
counts = st.integers(min_value=0, max_value=500)
rates = st.decimals(min_value=0, max_value=1, places=4)
property_settings = settings(max_examples=300, deadline=None)
RANK = {LATE: 0, ON_TIME: 1, EARLY: 2}


# --- Tables ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("timing", "points"), [(EARLY, 2), (ON_TIME, 1), (LATE, 0)])
def test_total_time(timing, points):
    assert s.total_time(timing) == points


@pytest.mark.parametrize(
    ("steps", "points"),
    [
        ([EARLY, EARLY], 2),
        ([EARLY, ON_TIME], 1),
        ([ON_TIME], 1),
        ([EARLY, LATE, EARLY], 0),
        ([], None),
    ],
)
def test_unit_time_is_decided_by_the_worst_step(steps, points):
    assert s.unit_time(steps) == points


@pytest.mark.parametrize(("count", "points"), [(0, 2), (1, 1), (2, 0), (7, 0)])
def test_contacts(count, points):
    assert s.contacts(count) == points


@pytest.mark.parametrize(
    ("one_stop", "others", "points"), [(0, 0, 2), (1, 0, 1), (3, 0, 1), (0, 1, 0), (2, 2, 0)]
)
def test_agencies_contacted(one_stop, others, points):
    assert s.agencies_contacted(one_stop, others) == points


@pytest.mark.parametrize(
    ("posted", "electronic", "points"),
    [(True, True, 2), (True, False, 1), (False, True, 1), (False, False, 0)],
)
def test_publication(posted, electronic, points):
    assert s.publication(posted, electronic) == points


@pytest.mark.parametrize(
    ("timing", "complaint", "points"),
    [(EARLY, False, 2), (ON_TIME, False, 1), (LATE, False, 0), (EARLY, True, 0)],
)
def test_attitude(timing, complaint, points):
    assert s.attitude(timing, complaint) == points


@pytest.mark.parametrize(
    ("level", "procedures", "full", "returned", "points"),
    [
        ("province", 10, 2, 10, 2),  # 20% is the province quota
        ("province", 10, 1, 10, 1),
        ("province", 10, 1, 9, 0),
        ("commune", 4, 4, 4, 2),  # communes: every procedure
        ("commune", 4, 3, 4, 1),
        ("district", 4, 2, 4, 2),
        ("district", 5, 2, 5, 1),
        ("ministry", 5, 1, 0, 2),
        ("commune", 0, 0, 0, None),
    ],
)
def test_full_cycle_quota_by_level(level, procedures, full, returned, points):
    assert s.full_cycle(level, procedures, full, returned) == points


@pytest.mark.parametrize(
    ("received", "on_time", "long_running", "points"),
    [(0, 0, 0, 2), (10, 10, 0, 2), (10, 9, 0, 1), (10, 8, 0, 0), (10, 10, 1, 0)],
)
def test_complaints(received, on_time, long_running, points):
    assert s.complaints(received, on_time, long_running) == points


@pytest.mark.parametrize(
    ("procedures", "online_procedures", "dossiers", "online_dossiers", "late", "points"),
    [
        (10, 2, 10, 3, 0, 2),
        (10, 2, 10, 3, 1, 0),  # one online dossier late
        (10, 1, 10, 3, 0, 1),  # 10% of procedures online
        (10, 2, 20, 3, 0, 1),  # 15% of dossiers online
        (10, 2, 20, 2, 0, 0),
        (10, 0, 10, 5, 0, 0),
        (0, 0, 10, 0, 0, None),
        (10, 2, 0, 0, 0, None),
    ],
)
def test_online(procedures, online_procedures, dossiers, online_dossiers, late, points):
    assert s.online(procedures, online_procedures, dossiers, online_dossiers, late) == points


@pytest.mark.parametrize(
    ("points", "mean"),
    [
        ([2, 1], Decimal("1.5")),
        ([2, 2, 1], Decimal("1.7")),
        ([1, 1, 2], Decimal("1.3")),
        ([2, 1, 1, 1], Decimal("1.3")),  # 1.25: half up
        ([0, 0, 0, 1, 2, 2, 2, 2], Decimal("1.1")),  # 1.125
        ([2, None, 0], Decimal("1.0")),
        ([None], None),
        ([], None),
    ],
)
def test_mean_is_rounded_to_one_decimal_half_up(points, mean):
    assert s.mean_points(points) == mean


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("18", s.UnitGrade.EXCELLENT),
        ("15", s.UnitGrade.EXCELLENT),
        ("14.9", s.UnitGrade.GOOD),
        ("12", s.UnitGrade.GOOD),
        ("11.9", s.UnitGrade.FAIRLY_GOOD),
        ("9", s.UnitGrade.FAIRLY_GOOD),
        ("8.9", s.UnitGrade.AVERAGE),
        ("6", s.UnitGrade.AVERAGE),
        ("5.9", s.UnitGrade.WEAK),
        ("0", s.UnitGrade.WEAK),
    ],
)
def test_unit_grade_boundaries(total, grade):
    assert s.unit_grade(Decimal(total)) == grade


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("6", s.StaffGrade.ALL_TASKS),
        ("5", s.StaffGrade.ALL_TASKS),
        ("4.9", s.StaffGrade.MOST_TASKS),
        ("3.5", s.StaffGrade.MOST_TASKS),
        ("3.4", s.StaffGrade.FEW_TASKS),
        ("0", s.StaffGrade.FEW_TASKS),
    ],
)
def test_staff_grade_boundaries(total, grade):
    assert s.staff_grade(Decimal(total)) == grade


def test_no_grade_without_every_indicator():
    assert s.total([Decimal(2), None, 1]) is None
    assert s.unit_grade(None) is None and s.staff_grade(None) is None
    assert s.total([Decimal("1.5"), 2, Decimal("0.3")]) == Decimal("3.8")


@pytest.mark.parametrize(
    ("code", "rate", "points"),
    [
        ("2.1", "0.9", "18.00"),  # rate × 20
        ("3.1", "0.8", "2.00"),  # full at 80%
        ("3.1", "0.4", "1.00"),  # rate × 2 ÷ 80%
        ("3.3", "0.25", "3.00"),  # rate × 6 ÷ 50%
        ("3.6", "0.3", "6.00"),  # from 30%
        ("3.6", "0.29", "0.00"),
        ("4.2", "0.8", "4.00"),
        ("5.4", "0.9", "4.50"),
        ("5.4", "0.45", "2.25"),
        ("4.1", None, None),  # N/A
        ("2.2", "0.5", None),  # shown without points
    ],
)
def test_figure_points(code, rate, points):
    rate = None if rate is None else Decimal(rate)
    expected = None if points is None else Decimal(points)
    assert s.figure_points(code, rate) == expected


def test_group_maxima_add_up_to_100():
    maxima = {g: s.group_maximum(g) for g in s.Group.values}
    assert maxima == {
        "publicity": 18,
        "progress": 20,
        "online": 12,
        "payment": 10,
        "digitisation": 22,
        "satisfaction": 18,
    }


def test_ratio_with_no_denominator_is_not_applicable():
    assert s.Ratio(0, 0).rate is None and s.Ratio(0, 0).percent is None
    assert s.Ratio(1, 3).percent == Decimal("33.33")
    with pytest.raises(ValueError):
        s.Ratio(-1, 3)


@pytest.mark.parametrize(
    ("value", "unit", "hours", "exact"),
    [
        ("5", "working_days", "37.5", True),
        ("0.5", "working_days", "3.75", True),
        ("12", "working_hours", "12", True),
        ("7", "calendar_days", "37.5", False),
        ("3", "calendar_days", "15", False),  # 2.14 days rounded down to 2
        ("1", "calendar_days", "7.5", False),  # at least one
        ("1", "months", "165", False),  # 22 working days
    ],
)
def test_limit_in_working_hours(value, unit, hours, exact):
    limit = s.limit_in_working_hours(Decimal(value), unit, Decimal("7.5"))
    assert (limit.hours, limit.exact) == (Decimal(hours), exact)


def test_no_limit_no_hours():
    assert s.limit_in_working_hours(None, "", Decimal(8)) is None
    with pytest.raises(ValueError):
        s.limit_in_working_hours(Decimal(1), "fortnights", Decimal(8))


# --- Properties -----------------------------------------------------------------------------


@property_settings
@given(points_lists)
def test_mean_lies_between_the_smallest_and_largest_points(points):
    mean = s.mean_points(points)
    assert min(points) <= mean <= max(points)
    assert mean == mean.quantize(Decimal("0.1"))
    assert abs(mean - Decimal(sum(points)) / len(points)) <= Decimal("0.05")


@property_settings
@given(points_lists, st.integers(min_value=0, max_value=59))
def test_raising_one_dossier_never_lowers_the_mean(points, index):
    index %= len(points)
    better = list(points)
    better[index] = min(2, better[index] + 1)
    assert s.mean_points(better) >= s.mean_points(points)


@property_settings
@given(timings, st.sampled_from([EARLY, ON_TIME, LATE]))
def test_a_later_step_never_raises_unit_time(steps, extra):
    before = s.unit_time(steps)
    after = s.unit_time([*steps, extra])
    assert 0 <= after <= 2
    if before is not None:
        assert after <= before
        assert after == min(before, RANK[extra])


@property_settings
@given(counts, counts)
def test_more_contacts_never_score_more(a, b):
    low, high = sorted((a, b))
    assert 0 <= s.contacts(high) <= s.contacts(low) <= 2


@property_settings
@given(
    st.decimals(min_value=0, max_value=18, places=1),
    st.decimals(min_value=0, max_value=18, places=1),
)
def test_unit_grade_is_monotone(a, b):
    order = list(s.UnitGrade.values)
    low, high = sorted((a, b))
    assert order.index(s.unit_grade(high)) <= order.index(s.unit_grade(low))


@property_settings
@given(
    st.decimals(min_value=0, max_value=6, places=1), st.decimals(min_value=0, max_value=6, places=1)
)
def test_staff_grade_is_monotone(a, b):
    order = list(s.StaffGrade.values)
    low, high = sorted((a, b))
    assert order.index(s.staff_grade(high)) <= order.index(s.staff_grade(low))


@property_settings
@given(
    st.integers(min_value=1, max_value=200),
    st.integers(min_value=0, max_value=200),
    st.integers(min_value=0, max_value=200),
)
def test_full_cycle_never_drops_with_more_full_procedures(procedures, full, returned):
    full, returned = min(full, procedures), min(returned, procedures)
    for level in s.FULL_CYCLE_QUOTA:
        points = s.full_cycle(level, procedures, full, returned)
        if full < procedures:
            assert s.full_cycle(level, procedures, full + 1, returned) >= points


@property_settings
@given(st.integers(min_value=1, max_value=300), st.integers(min_value=0, max_value=300))
def test_complaints_on_time_never_lower_the_points(received, on_time):
    on_time = min(on_time, received)
    points = s.complaints(received, on_time)
    assert 0 <= points <= 2
    if on_time < received:
        assert s.complaints(received, on_time + 1) >= points


@property_settings
@given(
    st.integers(min_value=1, max_value=100),
    st.integers(min_value=0, max_value=100),
    st.integers(min_value=1, max_value=300),
    st.integers(min_value=0, max_value=300),
    st.integers(min_value=0, max_value=5),
)
def test_online_is_monotone(procedures, online_procedures, dossiers, online_dossiers, late):
    online_procedures = min(online_procedures, procedures)
    online_dossiers = min(online_dossiers, dossiers)
    points = s.online(procedures, online_procedures, dossiers, online_dossiers, late)
    assert 0 <= points <= 2
    if online_dossiers < dossiers:
        more = s.online(procedures, online_procedures, dossiers, online_dossiers + 1, late)
        assert more >= points
    worse = s.online(procedures, online_procedures, dossiers, online_dossiers, late + 1)
    assert worse == 0


@property_settings
@given(st.sampled_from(list(s.RULES_766)), rates, rates)
def test_figure_points_stay_in_bounds_and_grow_with_the_rate(code, a, b):
    low, high = sorted((a, b))
    rule = s.RULES_766[code]
    if rule.rule == s.Rule.INFORMATION:
        assert s.figure_points(code, high) is None
        return
    assert 0 <= s.figure_points(code, low) <= s.figure_points(code, high) <= rule.maximum
    assert s.figure_points(code, Decimal(1)) == rule.maximum


@property_settings
@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=0, max_value=10_000))
def test_ratio_rate_is_a_share(a, b):
    part, whole = sorted((a, b))
    rate = s.Ratio(part, whole).rate
    assert rate is None if whole == 0 else Decimal(0) <= rate <= Decimal(1)


@property_settings
@given(
    st.decimals(min_value=0, max_value=400, places=1),
    st.sampled_from(["working_days", "calendar_days", "working_hours", "months"]),
)
def test_a_longer_limit_never_has_fewer_hours(value, unit):
    day = Decimal("7.5")
    if unit in ("calendar_days", "months"):
        value = value.to_integral_value()
    shorter = s.limit_in_working_hours(value, unit, day)
    longer = s.limit_in_working_hours(value + 1, unit, day)
    assert Decimal(0) <= shorter.hours <= longer.hours
