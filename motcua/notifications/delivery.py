"""The consumer of each channel's messages: one notice sent once to one person, as they
wish, in their language (docs/notifications.md).

A message comes at least once (outbox): its Notification row (one per event and channel)
says it was sent, refused or not to be sent, and a second delivery sends nothing. Between
the sending and that record a worker may die: the next delivery sends again, with the same
key, which providers that honour one ignore (channels.py). The provider is called outside
any transaction, so that a slow gateway holds no lock.
"""

import dataclasses

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from motcua.dossiers.models import DossierEvent
from motcua.outbox.consumers import Message

from . import channels, conf, preferences, rendering
from .models import Channel, Event, Notification
from .notices import NOTICES, channel_topic, enqueue_at

State = Notification.State
DONE = (State.SENT, State.REFUSED, State.SKIPPED)


def deliver(message: Message) -> None:
    channel, to = message.payload["channel"], message.payload["to"]
    event = DossierEvent.objects.select_related(
        "dossier__receiving_agency", "dossier__competent_agency", "dossier__procedure"
    ).get(pk=message.payload["event"])
    notice, _ = Notification.objects.get_or_create(
        event=event,
        channel=channel,
        defaults={"dossier": event.dossier, "notice": NOTICES[event.action], "recipient": to},
    )
    if notice.state in DONE:
        return  # a second delivery of the same notice
    preference = preferences.find(to)
    if preference is not None and not preference.accepts(channel):
        why = "opted out" if preference.opted_out_at else f"declines notices by {channel}"
        _skip(notice, why)
        return
    quiet = conf.quiet_hours()
    after = quiet.until(timezone.now()) if quiet and channel == Channel.SMS else None
    if after is not None:  # a retry fell in the quiet hours: the same notice, in the morning
        with transaction.atomic():
            key = f"{message.key}:after:{after:%Y%m%d}"
            enqueue_at(channel_topic(channel), message.payload, key=key, at=after)
        return
    language = (preference.language if preference else "") or settings.LANGUAGE_CODE
    template = rendering.template_for(notice.notice, language)
    if template is None:
        _skip(notice, "no active template for this notice")
        return
    if channel == Channel.ZALO and not template.zalo_template_id:
        _skip(notice, "no Zalo ZNS template id for this notice")
        return
    link = preferences.opt_out_link(to, settings.MOTCUA_PUBLIC_URL)
    with translation.override(template.language):
        values = rendering.variables(event, str(Event(notice.notice).label))
        values["opt_out_link"] = link
        rendered = rendering.render(template, values)
    if channel == Channel.SMS and conf.sms().get("unaccented", True):
        rendered = dataclasses.replace(rendered, sms=rendering.unaccent(rendered.sms))
    notice.language, notice.subject = template.language, rendered.subject
    notice.text = rendered.sms if channel == Channel.SMS else rendered.body
    notice.attempts += 1
    headers = {"List-Unsubscribe": f"<{link}>"} if link else {}
    try:
        reference = channels.send(channel, to, rendered, key=key_of(notice), extra_headers=headers)
    except channels.Refused as error:
        notice.state, notice.last_error = State.REFUSED, str(error)[:4000]
        notice.save()
        return
    except Exception as error:
        notice.last_error = str(error)[:4000]
        notice.save()
        raise  # the outbox retries it later
    notice.state, notice.sent_at = State.SENT, timezone.now()
    notice.provider_reference, notice.last_error = reference[:255], ""
    notice.save()


def key_of(notice: Notification) -> str:
    """The key providers see: the same for every delivery of one notice."""
    return f"motcua-{notice.event_id}-{notice.channel}"


def _skip(notice: Notification, why: str) -> None:
    notice.state, notice.reason = State.SKIPPED, why
    notice.save(update_fields=["state", "reason"])
