"""Tickets left open when their day ended are closed by the hourly job, each with its event."""

from datetime import timedelta

from motcua.queueing import calling, tickets
from motcua.queueing.closing import close_past_days
from motcua.queueing.models import State, Ticket, TicketEvent
from motcua.queueing.tasks import close_past_tickets


def test_yesterdays_open_tickets_are_closed(at_nine, on_duty, clerk, intake_service):
    served, waiting = (
        tickets.issue_ticket(tickets.Request(service=intake_service)) for _ in range(2)
    )
    calling.call_next(on_duty, actor=clerk)
    calling.start_serving(on_duty, served.pk, actor=clerk)
    assert close_past_days() == 0  # today's are left alone
    at_nine.shift(timedelta(days=1))
    today = tickets.issue_ticket(tickets.Request(service=intake_service))
    assert close_past_tickets.call() == 2
    states = dict(Ticket.objects.values_list("pk", "state"))
    assert states == {served.pk: State.DONE, waiting.pk: State.NO_SHOW, today.pk: State.WAITING}
    ends = TicketEvent.objects.filter(data__end_of_day=True).values_list("ticket_id", "action")
    assert sorted(ends) == sorted([(served.pk, "finished"), (waiting.pk, "skipped")])
    assert close_past_days() == 0
