"""The sender is told of the answer (or the refusal) of their feedback through the
notifications' channels (Decree 20/2008 art. 19: results are published or sent to the
sender). Written in the transition's transaction as an outbox message (register.py),
delivered here after commit, at least once: `notified_at` makes a second delivery send
nothing. The answer's notice carries a signed link to the answer, where the sender likes or
dislikes it (QĐ 766 5.3) without an account."""

import logging

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from motcua.notifications import conf as notify_conf
from motcua.notifications.channels import Refused, send
from motcua.notifications.models import Channel
from motcua.notifications.rendering import Rendered, unaccent
from motcua.outbox.consumers import Message

from .models import Feedback

log = logging.getLogger(__name__)
ANSWER_SALT = "motcua.feedback.answer"


def answer_token(item: Feedback) -> str:
    return signing.dumps({"f": item.pk}, salt=ANSWER_SALT)


def read_answer_token(token: str, max_days: int = 365) -> int | None:
    try:
        return signing.loads(token, salt=ANSWER_SALT, max_age=max_days * 86400).get("f")
    except signing.BadSignature:
        return None


def answer_link(item: Feedback) -> str:
    path = reverse("feedback:answer-link", args=[answer_token(item)])
    return settings.MOTCUA_PUBLIC_URL.rstrip("/") + path


def _rendered(item: Feedback, kind: str) -> Rendered:
    values = {"ref": item.reference, "title": item.title}
    if kind == "refused":
        subject = _("Your feedback %(ref)s was not accepted") % values
        body = _(
            "Your feedback %(ref)s (“%(title)s”) was not accepted for handling. Reason: %(reason)s"
        ) % {**values, "reason": item.refusal_reason}
    else:
        subject = _("Your feedback %(ref)s has been answered") % values
        body = _(
            "Your feedback %(ref)s (“%(title)s”) has been answered. Read the answer and tell us "
            "whether it satisfies you: %(link)s"
        ) % {**values, "link": answer_link(item)}
    return Rendered(
        subject=subject, body=body, sms=unaccent(body)[:480], zalo_template_id="", zalo_data={}
    )


def _addresses(item: Feedback) -> list[tuple[str, str]]:
    found = []
    for channel in notify_conf.channels():
        if channel == Channel.EMAIL and item.sender_email:
            found.append((channel, item.sender_email))
        elif channel == Channel.SMS and item.sender_phone:
            found.append((channel, item.sender_phone))
        elif channel == Channel.CONSOLE:
            found.append((channel, item.sender_email or item.sender_phone))
    return found  # Zalo ZNS sends only templates approved for the Official Account: none yet


def on_notice(message: Message) -> None:
    """Send the notice of `message` (an answer published or a refusal) to the sender."""
    pk = message.payload.get("feedback")
    item = Feedback.objects.filter(pk=int(pk)).first() if pk else None
    if item is None or item.notified_at is not None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        rendered = _rendered(item, message.payload.get("kind", "answered"))
    for channel, to in _addresses(item):
        try:
            send(channel, to, rendered, key=f"{message.key}:{channel}")
        except Refused as error:
            log.warning("feedback notice %s refused on %s: %s", item.pk, channel, error)
    with transaction.atomic():
        Feedback.objects.filter(pk=item.pk, notified_at__isnull=True).update(
            notified_at=timezone.now()
        )
