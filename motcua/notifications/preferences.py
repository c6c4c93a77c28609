"""A person's wishes about notices, by address: the channels they accept, their language, no
notice at all (an opt-out by the signed link in every notice, or by a clerk with
`manage.py notify_opt_out`)."""

from django.core import signing
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from . import addresses
from .models import ContactPreference

_SALT = "motcua.notifications.opt-out"


def find(address: str) -> ContactPreference | None:
    normalised = addresses.normalise(address)
    if normalised is None:
        return None
    return ContactPreference.objects.filter(address=normalised).first()


@transaction.atomic
def opt_out(address: str, *, channel: str | None = None, undo: bool = False) -> ContactPreference:
    """No more notices to `address` (through `channel` only, if given); `undo` turns them
    on again. Raises ValueError for what is neither a phone number nor an e-mail address."""
    normalised = addresses.normalise(address)
    if normalised is None:
        raise ValueError(f"not a phone number or an e-mail address: {address!r}")
    preference, _ = ContactPreference.objects.select_for_update().get_or_create(address=normalised)
    if channel is None:
        preference.opted_out_at = None if undo else timezone.now()
    else:
        setattr(preference, channel, undo)
        if undo:
            preference.opted_out_at = None
    preference.save()
    return preference


def token(address: str) -> str:
    return signing.dumps(addresses.normalise(address) or address, salt=_SALT, compress=True)


def address_of(value: str) -> str | None:
    try:
        return signing.loads(value, salt=_SALT)
    except signing.BadSignature:
        return None


def opt_out_link(address: str, public_url: str) -> str:
    """The opt-out page for `address`, or "" where its page is not routed."""
    try:
        path = reverse("notifications:opt_out", args=[token(address)])
    except NoReverseMatch:
        return ""
    return public_url.rstrip("/") + path
