"""The addresses notices go to, in one form per kind, so that a person's preferences are
found whatever way the number was typed at the counter."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from .models import Channel

_NOT_DIGITS = re.compile(r"\D")


def phone(text: str) -> str | None:
    """A Vietnamese phone number as 84… (what Zalo ZNS and most gateways want), or None.
    0987 654 321, +84 987 654 321 and 84987654321 are the same number."""
    digits = _NOT_DIGITS.sub("", text or "")
    if digits.startswith("84") and len(digits) in (11, 12):
        return digits
    if digits.startswith("0") and len(digits) in (10, 11):
        return "84" + digits[1:]
    return None


def email(text: str) -> str | None:
    text = (text or "").strip().lower()
    try:
        validate_email(text)
    except ValidationError:
        return None
    return text


def normalise(text: str) -> str | None:
    """A phone number or an e-mail address in its one form (preferences, opt-out)."""
    return email(text) if "@" in (text or "") else phone(text)


def for_channel(channel: str, phone_text: str, email_text: str) -> str | None:
    """Where a notice of `channel` goes for an applicant with these contacts, or None."""
    if channel == Channel.EMAIL:
        return email(email_text)
    if channel in (Channel.SMS, Channel.ZALO):
        return phone(phone_text)
    return phone(phone_text) or email(email_text) or None
