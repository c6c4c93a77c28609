"""The queue's settings, each with its default. Read from Django's settings when set there,
else from the environment (docs/queueing.md)."""

import os

from django.conf import settings


def _text(name: str, default: str) -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return str(value)


def _number(name: str, default: int) -> int:
    try:
        return int(_text(name, str(default)).strip() or default)
    except ValueError:
        return default


def ticket_limit() -> tuple[int, int]:
    """Tickets per client address and window (MOTCUA_QUEUE_TICKET_LIMIT, 120 per
    MOTCUA_QUEUE_TICKET_WINDOW, 600 s): a kiosk of a busy centre gives fewer; someone
    scripting the public kiosk page is stopped. 0: no limit (a kiosk behind a proxy that does
    not forward the address)."""
    return _number("MOTCUA_QUEUE_TICKET_LIMIT", 120), _number("MOTCUA_QUEUE_TICKET_WINDOW", 600)


def booking_limit() -> tuple[int, int]:
    """Bookings per client address and window (MOTCUA_QUEUE_BOOKING_LIMIT, 10 per
    MOTCUA_QUEUE_BOOKING_WINDOW, 3600 s): nobody fills a day's slots from one address."""
    return _number("MOTCUA_QUEUE_BOOKING_LIMIT", 10), _number("MOTCUA_QUEUE_BOOKING_WINDOW", 3600)


def speech_command() -> str:
    """MOTCUA_SPEECH_COMMAND: a synthesiser reading the text on standard input and writing a
    WAV on standard output; empty: espeak-ng if installed."""
    return _text("MOTCUA_SPEECH_COMMAND", "")


def ticket_width() -> int:
    """MOTCUA_TICKET_WIDTH: the thermal printer's width in dots (512; 384 for 58 mm)."""
    return _number("MOTCUA_TICKET_WIDTH", 512)
