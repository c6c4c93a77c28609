"""'Your turn is near': once, to who left a phone, when a call leaves at most two tickets of
the service before theirs; sent after the call's commit through the notices' channel."""

from motcua.outbox import delivery
from motcua.outbox.models import OutboxMessage
from motcua.queueing import calling, near, tickets


def issue(service, phone=""):
    return tickets.issue_ticket(tickets.Request(service=service, phone=phone))


def test_the_two_next_with_a_phone_are_told_once(
    settings, monkeypatch, at_nine, on_duty, clerk, intake_service
):
    settings.MOTCUA_NOTIFY_CHANNELS = ["sms"]
    sent = []
    monkeypatch.setattr(
        near.channels,
        "send",
        lambda channel, to, rendered, key: sent.append((channel, to, rendered.sms, key)),
    )
    issue(intake_service)
    second = issue(intake_service, "0912345678")
    issue(intake_service)
    fourth = issue(intake_service, "0987654321")
    calling.call_next(on_duty, actor=clerk)
    delivery.deliver_due("test")
    assert sent == [("sms", "0912345678", sent[0][2], f"queueing.turn_near:{second.pk}")]
    assert "A002" in sent[0][2]
    first = calling.current_ticket(on_duty)
    assert first is not None
    calling.skip(on_duty, first.pk, actor=clerk)
    calling.call_next(on_duty, actor=clerk)  # A002 called; A003 and A004 are the next two
    delivery.deliver_due("test")
    assert [s[1] for s in sent] == ["0912345678", "0987654321"]
    assert OutboxMessage.objects.filter(topic=near.TOPIC).count() == 2
    fourth.refresh_from_db()
    assert fourth.near_notice_at is not None


def test_nothing_is_sent_without_a_channel_or_once_called(
    settings, monkeypatch, at_nine, on_duty, clerk, intake_service
):
    settings.MOTCUA_NOTIFY_CHANNELS = []
    sent = []
    monkeypatch.setattr(near.channels, "send", lambda *args, **kwargs: sent.append(args))
    issue(intake_service)
    issue(intake_service, "0912345678")
    calling.call_next(on_duty, actor=clerk)
    delivery.deliver_due("test")
    assert sent == []
