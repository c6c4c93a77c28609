"""The counter's operations: call next in order (transferred here, priority, time in line),
recall, start, hold and resume, transfer, no-show; each an event; only the officer on duty."""

import pytest

from motcua.audit.models import AuditEvent
from motcua.queueing import calling, tickets
from motcua.queueing.errors import QueueError
from motcua.queueing.models import State, TicketEvent


def issue(service, **extra):
    return tickets.issue_ticket(tickets.Request(service=service, **extra))


def actions(ticket):
    return list(TicketEvent.objects.filter(ticket=ticket).values_list("action", flat=True))


def test_call_next_takes_priority_then_the_oldest(at_nine, on_duty, clerk, intake_service):
    first = issue(intake_service)
    at_nine.shift(60)
    elderly = issue(intake_service, priority_category="elderly")
    called = calling.call_next(on_duty, actor=clerk)
    assert called is not None and called == elderly
    calling.start_serving(on_duty, called.pk, actor=clerk)
    assert calling.call_next(on_duty, actor=clerk) == first  # the one served is finished
    elderly.refresh_from_db()
    assert elderly.state == State.DONE
    assert actions(elderly) == ["issued", "called", "started", "finished"]


def test_nobody_waiting_calls_nobody(at_nine, on_duty, clerk):
    assert calling.call_next(on_duty, actor=clerk) is None


def test_a_called_ticket_must_be_dealt_with_before_the_next(
    at_nine, on_duty, clerk, intake_service
):
    issue(intake_service)
    issue(intake_service)
    calling.call_next(on_duty, actor=clerk)
    with pytest.raises(QueueError) as refused:
        calling.call_next(on_duty, actor=clerk)
    assert refused.value.code == "still_called"


def test_only_the_officer_on_duty_calls(at_nine, counter_one, clerk, second_clerk, intake_service):
    issue(intake_service)
    with pytest.raises(QueueError):
        calling.call_next(counter_one, actor=clerk)
    calling.take_duty(counter_one, actor=clerk)
    calling.take_duty(counter_one, actor=second_clerk)  # the colleague takes over
    with pytest.raises(QueueError):
        calling.call_next(counter_one, actor=clerk)
    assert calling.call_next(counter_one, actor=second_clerk) is not None
    assert AuditEvent.objects.filter(action="queue_counter.duty_taken").count() == 2


def test_clerk_of_another_agency_cannot_take_the_counter(counter_one, clerk_of_other_agency):
    with pytest.raises(QueueError) as refused:
        calling.take_duty(counter_one, actor=clerk_of_other_agency)
    assert refused.value.status == 403


def test_recall_skip_hold_resume(at_nine, on_duty, clerk, intake_service):
    absent, held = issue(intake_service), issue(intake_service)
    calling.call_next(on_duty, actor=clerk)
    calling.recall(on_duty, absent.pk, actor=clerk)
    calling.skip(on_duty, absent.pk, actor=clerk)
    absent.refresh_from_db()
    assert (absent.state, absent.calls) == (State.NO_SHOW, 2)
    calling.call_next(on_duty, actor=clerk)
    calling.hold(on_duty, held.pk, actor=clerk)
    later = issue(intake_service)
    calling.resume(on_duty, held.pk, actor=clerk)
    assert calling.call_next(on_duty, actor=clerk) == held  # back first, not behind `later`
    assert actions(absent) == ["issued", "called", "recalled", "skipped"]
    assert actions(held)[-3:] == ["held", "resumed", "called"]
    assert later.state == State.WAITING


def test_transfer_to_another_counter_keeps_the_place(
    at_nine, on_duty, counter_two, clerk, second_clerk, intake_service
):
    calling.take_duty(counter_two, actor=second_clerk)
    first, second = issue(intake_service), issue(intake_service)
    calling.call_next(on_duty, actor=clerk)
    calling.transfer(on_duty, first.pk, actor=clerk, to_counter=counter_two)
    assert calling.call_next(counter_two, actor=second_clerk) == first
    assert calling.call_next(on_duty, actor=clerk) == second
    event = TicketEvent.objects.get(ticket=first, action="transferred")
    assert event.data == {
        "to_service": "A",
        "to_counter": 2,
        "from_service": "A",
        "from_counter": 1,
    }


def test_transfer_to_a_counter_without_the_service_is_refused(
    at_nine, on_duty, counter_two, clerk, pickup_service
):
    ticket = issue(pickup_service)
    calling.call_next(on_duty, actor=clerk)
    with pytest.raises(QueueError) as refused:
        calling.transfer(on_duty, ticket.pk, actor=clerk, to_counter=counter_two)
    assert refused.value.code == "counter_lacks_service"
    ticket.refresh_from_db()
    assert ticket.state == State.CALLED


def test_a_counter_never_calls_a_service_it_does_not_serve(
    at_nine, counter_two, second_clerk, pickup_service
):
    calling.take_duty(counter_two, actor=second_clerk)
    issue(pickup_service)
    assert calling.call_next(counter_two, actor=second_clerk) is None
