"""The invitation to rate, sent to the applicant when the result is returned: a notice
through the notifications' channels carrying the signed rating link (devices.rating_link;
Decree 61/2018 art. 28: online rating). Off unless MOTCUA_RATING_INVITE is on (conf), so
that a centre chooses to send one more message per dossier.

Delivered after commit from the outbox (registered in apps.ready with the dossiers'
lifecycle, for `return_result` events), at least once: an audit entry `rating.invited`
on the dossier makes a second delivery send nothing. The person's opt-out and channel
choices (notifications' preferences) are honoured; nothing is sent for an event older than
the notices' MOTCUA_NOTIFY_MAX_AGE_HOURS (history), nor for a dossier already rated."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from motcua.audit.models import AuditEvent
from motcua.audit.services import record_event
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.notifications import addresses, preferences
from motcua.notifications import conf as notify_conf
from motcua.notifications.channels import Refused, send
from motcua.notifications.models import Channel
from motcua.notifications.rendering import Rendered, unaccent
from motcua.outbox.consumers import Message

from .devices import rating_link
from .models import Rating

log = logging.getLogger(__name__)
INVITE_TOPIC = "feedback.invite"
DOSSIER_TYPE = "dossiers.dossier"


def _rendered(dossier: Dossier) -> Rendered:
    body = _(
        "Dossier %(code)s: your result has been returned. How satisfied are you with the "
        "service? Rate it here: %(link)s"
    ) % {"code": dossier.code, "link": rating_link(dossier)}
    subject = _("Rate the service for dossier %(code)s") % {"code": dossier.code}
    return Rendered(
        subject=subject, body=body, sms=unaccent(body), zalo_template_id="", zalo_data={}
    )


def _addresses(dossier: Dossier) -> list[tuple[str, str]]:
    found = []
    for channel in notify_conf.channels():
        if channel == Channel.ZALO:  # only templates approved by Zalo: none for this notice
            continue
        to = addresses.for_channel(channel, dossier.applicant_phone, dossier.applicant_email)
        preference = preferences.find(to) if to else None
        if to and (preference is None or preference.accepts(channel)):
            found.append((channel, to))
    return found


def _already(dossier: Dossier) -> bool:
    invited = AuditEvent.objects.filter(
        action="rating.invited", target_type=DOSSIER_TYPE, target_id=str(dossier.pk)
    )
    return invited.exists() or Rating.objects.filter(dossier=dossier).exists()


def on_returned(message: Message) -> None:
    """Invite the applicant of the returned dossier to rate it."""
    pk = message.payload.get("event")
    event = DossierEvent.objects.filter(pk=int(pk)).first() if pk else None
    if event is None or timezone.now() - event.created_at > notify_conf.max_age():
        return
    dossier = Dossier.objects.get(pk=event.dossier_id)
    if _already(dossier):
        return
    with translation.override(settings.LANGUAGE_CODE):
        rendered = _rendered(dossier)
    sent = []
    for channel, to in _addresses(dossier):
        try:
            send(channel, to, rendered, key=f"{message.key}:{channel}")
            sent.append(channel)
        except Refused as error:
            log.warning("rating invitation for %s refused on %s: %s", dossier.pk, channel, error)
    with transaction.atomic():
        record_event("rating.invited", dossier, actor=None, channels=sent)
