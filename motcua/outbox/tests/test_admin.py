"""The outbox in the admin through HTTP: system administrators inspect messages, see the
last error of a dead letter and retry it; nobody else sees the outbox or the task results."""

import pytest
from django.db import transaction
from django.urls import reverse

from conftest import PASSWORD
from motcua.audit.models import AuditEvent
from motcua.outbox.delivery import deliver_due
from motcua.outbox.models import OutboxMessage
from motcua.outbox.services import enqueue

LIST = reverse("admin:outbox_outboxmessage_changelist")
TASKS = reverse("admin:django_tasks_database_dbtaskresult_changelist")
State = OutboxMessage.State


@pytest.fixture
def dead(db, topic, settings):
    settings.MOTCUA_OUTBOX_MAX_ATTEMPTS = 1
    topic.failures.append(ConnectionError("gateway refused: 503"))
    with transaction.atomic():
        enqueue(topic.name, {"to": "0912345678"}, key="sms:1")
        enqueue(topic.name, {"to": "0912345679"}, key="sms:2")
    deliver_due("w1")  # sms:1 fails (dead at once), sms:2 is delivered
    message = OutboxMessage.objects.get(key="sms:1")
    assert message.state == State.DEAD
    return message


def signed_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_a_system_administrator_sees_the_dead_letter_and_its_error(client, system_admin, dead):
    admin = signed_in(client, system_admin)
    listing = admin.get(LIST, {"state__exact": "dead"})
    assert listing.status_code == 200
    assert "sms:1" in listing.content.decode() and "sms:2" not in listing.content.decode()
    page = admin.get(reverse("admin:outbox_outboxmessage_change", args=[dead.pk]))
    assert "gateway refused: 503" in page.content.decode()
    assert admin.get(TASKS).status_code == 200


def test_retry_puts_a_dead_letter_back_and_it_is_delivered(client, system_admin, dead, topic):
    admin = signed_in(client, system_admin)
    delivered = OutboxMessage.objects.get(key="sms:2")
    response = admin.post(
        LIST, {"action": "retry", "_selected_action": [dead.pk, delivered.pk]}, follow=True
    )
    assert response.status_code == 200
    assert "1 thông điệp sẽ được gửi lại" in response.content.decode()
    dead.refresh_from_db()
    assert (dead.state, dead.attempts) == (State.PENDING, 0)
    assert dead.last_error  # kept until the next attempt
    event = AuditEvent.objects.get(action="outbox_message.retried")
    assert event.actor == system_admin and event.data["previous"]["state"] == "dead"
    assert deliver_due("w1").delivered == 1
    assert [m.key for m in topic.received] == ["sms:1", "sms:2", "sms:1"]
    assert OutboxMessage.objects.get(key="sms:2").attempts == 1  # not delivered twice


def test_a_waiting_message_cannot_be_deleted_but_a_dead_letter_can(client, system_admin, dead):
    admin = signed_in(client, system_admin)
    delivered = OutboxMessage.objects.get(key="sms:2")
    refused = admin.post(reverse("admin:outbox_outboxmessage_delete", args=[delivered.pk]))
    assert refused.status_code == 403
    done = admin.post(reverse("admin:outbox_outboxmessage_delete", args=[dead.pk]), {"post": "yes"})
    assert done.status_code == 302
    assert not OutboxMessage.objects.filter(pk=dead.pk).exists()
    assert AuditEvent.objects.filter(action="outboxmessage.deleted").exists()


@pytest.mark.parametrize("who", ["agency_admin", "clerk", "supervisor"])
def test_nobody_else_sees_the_outbox(client, request, dead, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    for url in (LIST, TASKS, reverse("admin:outbox_outboxmessage_change", args=[dead.pk])):
        assert client.get(url).status_code in (302, 403), url
    response = client.post(LIST, {"action": "retry", "_selected_action": [dead.pk]})
    assert response.status_code in (302, 403)
    dead.refresh_from_db()
    assert dead.state == State.DEAD
