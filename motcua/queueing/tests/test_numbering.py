"""Ticket numbers per service and local day: from 1 at local midnight (Asia/Ho_Chi_Minh),
not at UTC midnight; across Tết the numbers go on the day the centre opens again."""

from datetime import datetime

import pytest
from django.db import transaction

from motcua.queueing import tickets
from motcua.queueing.errors import QueueError
from motcua.queueing.models import Channel, State, Ticket, TicketEvent
from motcua.queueing.numbering import ZONE, local_day, next_number


def issue(service, at, **extra):
    return tickets.issue_ticket(tickets.Request(service=service, **extra), at=at)


def test_numbers_go_on_per_service_and_restart_at_local_midnight(intake_service, pickup_service):
    evening = datetime(2026, 12, 1, 16, 50, tzinfo=ZONE)
    first, second = issue(intake_service, evening), issue(intake_service, evening)
    other = issue(pickup_service, evening)
    assert (first.display_code, second.display_code, other.display_code) == ("A001", "A002", "T001")
    next_morning = datetime(2026, 12, 2, 7, 45, tzinfo=ZONE)  # 00:45 UTC on the 2nd
    assert issue(intake_service, next_morning).display_code == "A001"


def test_the_local_day_is_vietnams_not_utcs():
    # 00:30 on 2 December in Hà Tĩnh is 17:30 UTC on 1 December.
    assert str(local_day(datetime(2026, 12, 2, 0, 30, tzinfo=ZONE))) == "2026-12-02"
    assert str(local_day(datetime(2026, 12, 1, 23, 59, tzinfo=ZONE))) == "2026-12-01"


@pytest.mark.django_db
def test_kiosk_gives_no_ticket_outside_hours_or_on_a_holiday(intake_service):
    with pytest.raises(QueueError) as night:
        issue(intake_service, datetime(2026, 12, 1, 23, 59, tzinfo=ZONE))
    assert night.value.code == "closed"
    tet = datetime(2027, 2, 8, 9, 0, tzinfo=ZONE)  # Tết Đinh Mùi holiday week
    with pytest.raises(QueueError):
        issue(intake_service, tet)
    # The counter may still give one (a latecomer served at closing time).
    ticket = issue(intake_service, tet, channel=Channel.COUNTER)
    assert ticket.display_code == "A001"


@pytest.mark.django_db
def test_numbering_after_tet_starts_again(intake_service):
    before = datetime(2027, 1, 28, 9, 0, tzinfo=ZONE)
    after = datetime(2027, 2, 22, 9, 0, tzinfo=ZONE)
    issue(intake_service, before)
    issue(intake_service, before)
    assert issue(intake_service, after).number == 1


def test_a_second_tap_with_the_same_key_gives_the_same_ticket(intake_service, at_nine):
    first = issue(intake_service, None, key="k1")
    again = issue(intake_service, None, key="k1")
    assert first.pk == again.pk
    assert Ticket.objects.count() == 1
    assert TicketEvent.objects.filter(action="issued").count() == 1


def test_priority_follows_the_centres_policy(intake_service, at_nine):
    elderly = issue(intake_service, None, priority_category="elderly")
    pregnant = issue(intake_service, None, priority_category="pregnant")  # not in the policy
    assert (elderly.priority, pregnant.priority) == (0, 1)
    assert elderly.state == State.WAITING


@pytest.mark.django_db(transaction=True)
def test_numbers_are_taken_only_inside_a_transaction(intake_service):
    with pytest.raises(RuntimeError):
        next_number(intake_service, local_day(datetime(2026, 12, 1, 9, tzinfo=ZONE)))
    with transaction.atomic():
        assert next_number(intake_service, local_day(datetime(2026, 12, 1, 9, tzinfo=ZONE))) == 1
