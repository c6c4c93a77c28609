"""QĐ 766/QĐ-TTg group 5 (satisfaction) and Circular 01/2018/TT-VPCP indicator 8, measured
from the ratings and the feedback register, for the reports to call (docs/indicators.md,
docs/feedback.md). The reports choose the scope (agencies, period); these functions say
which records count, each as (numerator, denominator).

* **5.1, feedback categorised**: of the items received in the period, those classified as
  policy, procedure or staff behaviour (the formula sheet's three categories; "other" and
  not yet classified do not count).
* **5.2, feedback handled on time**: of the items received in the period, those that kept
  every limit so far (timing.py: refuse within 2 working days, a supplement asked within 5,
  handled within 15, published within 2 of approval, forwarded within 5), judged at `now`.
* **5.3, satisfaction with the handling**: of the items answered (published) that were
  received in the period, those neither disliked by their sender, nor sent again
  (a follow-up item names them), nor late: (total − disliked − sent again − late) ÷ total,
  an item counted once however many of the three it is.
* **5.4, satisfaction with procedures**: 100% − (late rate + share of dossiers with
  feedback or a dislike), i.e. (received − late − flagged) ÷ received, floored at 0, where
  the reports give received and late (Biểu 06) and `flagged` counts the dossiers in scope
  with a feedback item received in the period or a dislike given in it (a thumb down, or
  "dissatisfied" without a thumb).
* **Indicator 7, founded complaints**: the items about a procedure or a dossier judged
  founded or partly founded (the agency at fault) when answered, counted in the period of
  the answer (`founded_in`); reports/indicators.py turns each into a dossier at 0 points.
* **Indicator 8, complaints handled on time** (per unit: the handling agency): received in
  the period, of which on time (as 5.2), and "long-running": still open and past the
  deadline running now.
"""

from collections.abc import Iterable
from datetime import date, datetime, time

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from motcua.dossiers.models import Dossier

from . import timing
from .models import Feedback, Rating

CATEGORISED = (
    Feedback.Classification.POLICY,
    Feedback.Classification.PROCEDURE,
    Feedback.Classification.STAFF_BEHAVIOUR,
)
TIMING_FIELDS = (
    "state",
    "refused_at",
    "refuse_due_at",
    "supplement_requested_at",
    "supplement_due_at",
    "forwarded_at",
    "forward_due_at",
    "approved_at",
    "handle_due_at",
    "published_at",
    "publish_due_at",
)


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def received_in(first: date, after: date, agency_ids: Iterable[int] | None) -> QuerySet[Feedback]:
    """Items received on the local days [first, after), by or handled at `agency_ids`
    (None: all)."""
    found = Feedback.objects.filter(received_at__gte=_moment(first), received_at__lt=_moment(after))
    if agency_ids is not None:
        ids = list(agency_ids)
        found = found.filter(Q(agency_id__in=ids) | Q(handling_agency_id__in=ids))
    return found


def figure_5_1(items: QuerySet[Feedback]) -> tuple[int, int]:
    return items.filter(classification__in=CATEGORISED).count(), items.count()


def _on_time(items: QuerySet[Feedback], now: datetime) -> list[bool]:
    return [timing.is_on_time(item, now) for item in items.only(*TIMING_FIELDS)]


def figure_5_2(items: QuerySet[Feedback], now: datetime | None = None) -> tuple[int, int]:
    verdicts = _on_time(items, now or timezone.now())
    return sum(verdicts), len(verdicts)


def figure_5_3(items: QuerySet[Feedback], now: datetime | None = None) -> tuple[int, int]:
    now = now or timezone.now()
    answered = items.filter(state=Feedback.State.PUBLISHED).annotate(
        again=Exists(Feedback.objects.filter(follow_up_of=OuterRef("pk")))
    )
    total = good = 0
    for item in answered.only(*TIMING_FIELDS, "sender_liked"):
        total += 1
        if item.sender_liked is not False and not item.again and timing.is_on_time(item, now):
            good += 1
    return good, total


def flagged_dossiers(dossiers: QuerySet[Dossier], first: date, after: date) -> int:
    """Of `dossiers`, how many had feedback received or a dislike given in [first, after)."""
    start, end = _moment(first), _moment(after)
    with_feedback = Feedback.objects.filter(received_at__gte=start, received_at__lt=end)
    with_dislike = Rating.objects.disliked().filter(created_at__gte=start, created_at__lt=end)
    candidates = set(with_feedback.exclude(dossier=None).values_list("dossier_id", flat=True))
    candidates |= set(with_dislike.values_list("dossier_id", flat=True))
    if not candidates:
        return 0
    return dossiers.filter(pk__in=candidates).count()


def figure_5_4(received: int, late: int, flagged: int) -> tuple[int, int]:
    """100% − (late ÷ received + flagged ÷ received), as (numerator, received)."""
    return max(received - late - flagged, 0), received


ANSWERED_STATES = (
    Feedback.State.ANSWERED,
    Feedback.State.AWAITING_PUBLICATION,
    Feedback.State.PUBLISHED,
)


def founded_in(first: date, after: date) -> list[tuple[int, int | None, int, int | None]]:
    """(item id, dossier id or None, handling agency id, officer concerned or None) of the
    items judged founded or
    partly founded whose answer was given on the local days [first, after). An answer sent
    back no longer counts until it is given again (then in the period of the new answer)."""
    found = Feedback.objects.filter(
        verdict__in=(Feedback.Verdict.FOUNDED, Feedback.Verdict.PARTLY),
        state__in=ANSWERED_STATES,
        answered_at__gte=_moment(first),
        answered_at__lt=_moment(after),
    )
    rows = found.order_by("pk").values_list("pk", "dossier_id", "handling_agency_id", "officer_id")
    return list(rows)


def indicator_8(
    first: date, after: date, agency_ids: Iterable[int], now: datetime | None = None
) -> dict[int, tuple[int, int, int]]:
    """agency id -> (received, on time, long-running) of the items it handles that were
    received in the period."""
    now = now or timezone.now()
    found: dict[int, tuple[int, int, int]] = {}
    items = Feedback.objects.filter(
        received_at__gte=_moment(first),
        received_at__lt=_moment(after),
        handling_agency_id__in=list(agency_ids),
    )
    for item in items.only(*TIMING_FIELDS, "handling_agency_id"):
        received, on_time, long_running = found.get(item.handling_agency_id, (0, 0, 0))
        found[item.handling_agency_id] = (
            received + 1,
            on_time + timing.is_on_time(item, now),
            long_running + timing.is_overdue(item, now),
        )
    return found
