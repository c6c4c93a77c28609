"""Notices of dossier events through the outbox: written in the transition's transaction,
fanned out per channel, sent once through fake providers (local HTTP servers) and Django's
locmem mail box, retried on 5xx and timeouts, refused on 4xx, held in the quiet hours,
as the person wishes."""

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction

from motcua.dossiers.delays import apologise
from motcua.dossiers.models import DossierEvent
from motcua.dossiers.processing import approve, complete_step
from motcua.dossiers.results import mark_result_ready, return_result
from motcua.dossiers.status import Action
from motcua.dossiers.supplements import request_supplement
from motcua.dossiers.tests.conftest import CITIZEN, VN
from motcua.notifications import delivery as notices_delivery
from motcua.notifications import preferences
from motcua.notifications.models import ContactPreference, NoticeTemplate, Notification
from motcua.notifications.notices import EVENT_TOPIC
from motcua.outbox import consumers
from motcua.outbox.models import OutboxMessage

from .conftest import MONDAY, at, drain

pytestmark = pytest.mark.django_db
State = Notification.State
SOON = MONDAY + timedelta(minutes=5)
PHONE = "84987654321"  # CITIZEN's 0987654321
EMAIL = "binh@example.org"


def _with_email(receive, moment=MONDAY):
    from dataclasses import replace

    return receive(moment, applicant=replace(CITIZEN, email=EMAIL))


@pytest.fixture
def sms(notify, fake_provider):
    notify.MOTCUA_NOTIFY_SMS = {"url": f"{fake_provider.url}/sms", "sender": "MOTCUA"}
    return fake_provider


@pytest.fixture
def zalo(notify, fake_provider):
    notify.MOTCUA_NOTIFY_ZALO = {"url": f"{fake_provider.url}/zns", "access_token": "tok"}
    NoticeTemplate.objects.filter(event="received").update(zalo_template_id="231001")
    return fake_provider


def _calls(provider, path):
    return [c for c in provider.calls if c.path == path]


# --- the notice in the transition's transaction ---------------------------------------------


def test_off_by_default_outside_debug(receive):
    receive()
    assert not OutboxMessage.objects.filter(topic=EVENT_TOPIC).exists()


def test_a_receipt_writes_its_notice_in_the_same_transaction(notify, receive):
    dossier = receive()
    event = DossierEvent.objects.get(dossier=dossier, action=Action.RECEIVE)
    message = OutboxMessage.objects.get(topic=EVENT_TOPIC)
    assert message.key == f"{EVENT_TOPIC}:{event.pk}"
    assert message.payload == {"event": event.pk, "dossier": dossier.pk, "action": "receive"}


def test_a_transition_rolled_back_leaves_no_notice(notify, receive):
    with pytest.raises(RuntimeError), transaction.atomic():
        receive()
        raise RuntimeError("the change fails after its event")
    assert not OutboxMessage.objects.exists()


def test_events_the_applicant_is_not_told_of_write_nothing(notify, processing, specialist):
    before = OutboxMessage.objects.filter(topic=EVENT_TOPIC).count()
    with at(MONDAY):
        complete_step(processing, actor=specialist)
    assert OutboxMessage.objects.filter(topic=EVENT_TOPIC).count() == before


# --- delivery through every channel ---------------------------------------------------------


def test_every_channel_sends_once(sms, zalo, receive):
    dossier = _with_email(receive)
    summary = drain(moment=SOON)
    assert summary.failed == 0 and summary.delivered == 4  # the notice and three channels

    [email] = mail.outbox
    assert email.to == [EMAIL]
    assert dossier.code in email.subject
    assert "Trung tâm Phục vụ hành chính công tỉnh" in email.body
    assert "09:00 09/03/2026" in email.body  # received at
    assert f"/tra-cuu/?ma={dossier.code}" in email.body
    assert email.extra_headers["Message-ID"].startswith("<motcua-")

    [text] = _calls(sms, "/sms")
    body = text.json()
    assert body["to"] == PHONE and body["from"] == "MOTCUA"
    assert dossier.code in body["text"] and "Trung tam Phuc vu" in body["text"]  # unaccented
    assert body["id"].startswith("motcua-")

    [zns] = _calls(zalo, "/zns")
    assert zns.headers["access_token"] == "tok"
    assert zns.json()["phone"] == PHONE and zns.json()["template_id"] == "231001"
    assert zns.json()["template_data"]["ma_ho_so"] == dossier.code
    assert zns.json()["tracking_id"] == body["id"].replace("sms", "zalo")

    sent = Notification.objects.filter(dossier=dossier)
    assert sorted(n.channel for n in sent) == ["email", "sms", "zalo"]
    assert {n.state for n in sent} == {State.SENT}


def test_a_second_delivery_of_the_same_message_sends_nothing(sms, receive):
    _with_email(receive)
    drain(moment=SOON)
    assert len(mail.outbox) == 1 and len(sms.calls) == 1
    # Every message delivered again, as after a worker died before recording its outcome.
    for row in OutboxMessage.objects.all():
        message = consumers.Message(row.pk, row.topic, row.key, row.payload, 2)
        with at(SOON):
            consumers.consumer_of(row.topic)(message)
    assert len(mail.outbox) == 1 and len(sms.calls) == 1
    assert OutboxMessage.objects.filter(topic__startswith="notifications.sms").count() == 1


def test_a_dossier_without_contact_writes_no_notice(notify, receive):
    from dataclasses import replace

    receive(applicant=replace(CITIZEN, phone=""))
    assert not OutboxMessage.objects.exists()


# --- refusals, errors, timeouts ---------------------------------------------------------------


def test_a_4xx_refusal_is_not_retried(sms, receive):
    sms.answers = [(400, b'{"error": "bad number"}')]
    receive()
    summary = drain(moment=SOON)
    assert summary.failed == 0
    notice = Notification.objects.get(channel="sms")
    assert notice.state == State.REFUSED and "HTTP 400" in notice.last_error
    assert len(sms.calls) == 1


@pytest.mark.parametrize("answer", [(503, b"busy"), (429, b"slow down"), "timeout"])
def test_5xx_429_and_timeouts_are_retried_with_backoff(sms, receive, answer):
    sms.answers = [answer, (200, b'{"ok": 1}')]
    receive()
    assert drain(moment=SOON).failed == 1
    notice = Notification.objects.get(channel="sms")
    assert notice.state == State.PENDING and notice.attempts == 1 and notice.last_error
    message = OutboxMessage.objects.get(topic="notifications.sms")
    assert message.state == OutboxMessage.State.PENDING and message.available_at > SOON
    assert drain(moment=SOON).delivered == 0  # not before its backoff
    later = message.available_at + timedelta(seconds=1)
    assert drain(moment=later).delivered == 1
    notice.refresh_from_db()
    assert notice.state == State.SENT and notice.attempts == 2
    assert len(_calls(sms, "/sms")) == 2


def test_a_gateway_that_refuses_connections_is_retried(notify, receive):
    notify.MOTCUA_NOTIFY_SMS = {"url": "http://127.0.0.1:9/sms"}  # nothing listens there
    receive()
    assert drain(moment=SOON).failed == 1
    assert "127.0.0.1:9" in Notification.objects.get(channel="sms").last_error


def test_after_the_last_attempt_it_is_a_dead_letter(sms, receive, settings):
    settings.MOTCUA_OUTBOX_MAX_ATTEMPTS = 2
    sms.answers = [(500, b"down")]
    receive()
    drain(moment=SOON)
    drain(moment=SOON + timedelta(hours=2))
    message = OutboxMessage.objects.get(topic="notifications.sms")
    assert message.state == OutboxMessage.State.DEAD and "HTTP 500" in message.last_error


def test_zalo_answers_in_its_body(zalo, notify, receive):
    notify.MOTCUA_NOTIFY_CHANNELS = ["zalo"]
    zalo.answers = [(200, {"error": -124, "message": "token expired"})]
    receive()
    assert drain(moment=SOON).failed == 1  # retried: the token will be refreshed
    zalo.answers = [(200, {"error": -118, "message": "no Zalo account"})]
    drain(moment=SOON + timedelta(hours=2))
    notice = Notification.objects.get(channel="zalo")
    assert notice.state == State.REFUSED and "-118" in notice.last_error


def test_zalo_without_an_approved_template_is_skipped(zalo, notify, receive):
    NoticeTemplate.objects.update(zalo_template_id="")
    notify.MOTCUA_NOTIFY_CHANNELS = ["zalo"]
    receive()
    drain(moment=SOON)
    assert Notification.objects.get().state == State.SKIPPED
    assert not zalo.calls


# --- quiet hours, preferences, opt-out -------------------------------------------------------


def test_sms_wait_for_the_end_of_the_quiet_hours(sms, receive, notify):
    notify.MOTCUA_NOTIFY_QUIET_HOURS = "08:00-10:00"
    _with_email(receive)
    drain(moment=SOON)
    assert len(mail.outbox) == 1 and not sms.calls  # e-mail now, SMS later
    message = OutboxMessage.objects.get(topic="notifications.sms")
    assert message.available_at == datetime(2026, 3, 9, 10, 0, tzinfo=VN)
    assert drain(moment=datetime(2026, 3, 9, 10, 0, 1, tzinfo=VN)).delivered == 1
    assert len(sms.calls) == 1


def test_a_retry_falling_in_the_quiet_hours_waits_for_the_morning(sms, receive, notify):
    sms.answers = [(503, b"busy"), (200, b"ok")]
    receive(moment=datetime(2026, 3, 9, 7, 59, tzinfo=VN))
    drain(moment=datetime(2026, 3, 9, 7, 59, 30, tzinfo=VN))
    notify.MOTCUA_NOTIFY_QUIET_HOURS = "08:00-10:00"
    drain(moment=datetime(2026, 3, 9, 8, 30, tzinfo=VN))
    assert len(sms.calls) == 1  # not sent again in the quiet hours
    deferred = OutboxMessage.objects.get(key__contains=":after:")
    assert deferred.available_at == datetime(2026, 3, 9, 10, 0, tzinfo=VN)
    drain(moment=datetime(2026, 3, 9, 10, 0, 1, tzinfo=VN))
    assert len(sms.calls) == 2
    assert Notification.objects.get(channel="sms").state == State.SENT


def test_an_opted_out_person_gets_nothing(sms, receive):
    preferences.opt_out("0987 654 321")
    receive()
    drain(moment=SOON)
    assert not sms.calls
    notice = Notification.objects.get(channel="sms")
    assert notice.state == State.SKIPPED and notice.reason == "opted out"


def test_a_channel_declined_is_not_used_the_others_are(sms, zalo, receive):
    preferences.opt_out(PHONE, channel="sms")
    receive()
    drain(moment=SOON)
    assert not _calls(sms, "/sms") and len(_calls(zalo, "/zns")) == 1


def test_the_notice_in_the_persons_language(notify, receive):
    notify.MOTCUA_NOTIFY_CHANNELS = ["email"]
    ContactPreference.objects.create(address=EMAIL, language="en")
    dossier = _with_email(receive)
    drain(moment=SOON)
    assert mail.outbox[0].subject == f"Dossier {dossier.code} received"


def test_opt_out_command(db):
    call_command("notify_opt_out", "+84 987 654 321", "--channel", "sms")
    preference = ContactPreference.objects.get(address=PHONE)
    assert not preference.sms and preference.zalo and preference.opted_out_at is None
    call_command("notify_opt_out", "0987654321")
    assert ContactPreference.objects.get(address=PHONE).opted_out_at is not None
    call_command("notify_opt_out", "0987654321", "--undo")
    assert ContactPreference.objects.get(address=PHONE).opted_out_at is None


# --- every notice of the lifecycle, on the console ----------------------------------------


def test_the_lifecycle_notices_on_the_console(
    notify,
    processing,
    specialist,
    department_head,
    commune_specialist,
    leader,
    centre_clerk,
    capsys,
):
    notify.MOTCUA_NOTIFY_CHANNELS = ["console"]
    drain(moment=SOON)
    with at(MONDAY + timedelta(hours=1)):
        request_supplement(processing, actor=specialist, reason="Ảnh mờ", items=["Tờ khai"])
    drain(moment=MONDAY + timedelta(hours=1))
    out = capsys.readouterr().out
    assert "đã tiếp nhận hồ sơ" in out and "cần bổ sung" in out and "Tờ khai" in out

    notice = Notification.objects.get(notice="supplement")
    assert notice.state == State.SENT and notice.recipient == PHONE
    assert "Ảnh mờ" in notice.text
    assert notices_delivery.key_of(notice) == f"motcua-{notice.event_id}-console"


def test_apology_result_ready_and_return_name_the_times(
    notify,
    processing,
    specialist,
    department_head,
    commune_specialist,
    leader,
    centre_clerk,
):
    notify.MOTCUA_NOTIFY_CHANNELS = ["console"]
    with at(MONDAY + timedelta(hours=2)):
        apologise(
            processing,
            actor=leader,
            reason="Chờ xác minh",
            new_due_at=datetime(2026, 3, 20, 17, 0, tzinfo=VN),
        )
        for actor in (specialist, department_head, commune_specialist):
            complete_step(processing, actor=actor)
        approve(processing, actor=leader)
        mark_result_ready(processing, actor=centre_clerk)
        return_result(processing, actor=centre_clerk, method="in_person", collected_by_name="Bình")
    drain(moment=MONDAY + timedelta(hours=2))
    texts = {n.notice: n.text for n in Notification.objects.filter(state=State.SENT)}
    assert set(texts) == {"received", "apology", "result_ready", "returned"}
    assert "17:00 20/03/2026" in texts["apology"] and "Chờ xác minh" in texts["apology"]
    assert "Trung tâm Phục vụ hành chính công tỉnh" in texts["result_ready"]
    assert "11:00 09/03/2026" in texts["returned"]


def test_a_refused_notice_is_sent_again_by_an_administrator(sms, receive, system_admin):
    from motcua.audit.models import AuditEvent
    from motcua.notifications.services import send_again

    sms.answers = [(403, b"brandname not registered"), (200, b"ok")]
    receive()
    drain(moment=SOON)
    assert Notification.objects.get(channel="sms").state == State.REFUSED
    assert send_again(Notification.objects.all(), actor=system_admin) == 1
    drain()  # now: the administrator's action is today
    assert Notification.objects.get(channel="sms").state == State.SENT
    assert len(sms.calls) == 2
    assert AuditEvent.objects.filter(action="notification.sent_again").count() == 1
    assert send_again(Notification.objects.all(), actor=system_admin) == 0  # sent: left alone


def test_a_misspelt_channel_is_a_startup_error_not_a_failed_transition(notify, receive):
    from motcua.notifications.checks import notify_settings

    notify.MOTCUA_NOTIFY_CHANNELS = ["sms", "zallo"]
    assert [e.id for e in notify_settings(None)] == ["notifications.E001"]
    receive()  # the transition goes through
    assert OutboxMessage.objects.filter(topic=EVENT_TOPIC).count() == 1
