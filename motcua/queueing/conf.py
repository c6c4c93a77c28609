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


def printer_timeout() -> float:
    """MOTCUA_PRINTER_TIMEOUT: seconds a printer has to take a ticket (5)."""
    return float(_number("MOTCUA_PRINTER_TIMEOUT", 5))


DEVICE_PATTERNS = "/dev/usb/lp*:/dev/lp*:/dev/ttyUSB*:/dev/ttyACM*:/dev/ttyS*:/dev/serial/by-id/*"


def printer_devices() -> list[str]:
    """MOTCUA_PRINTER_DEVICES: the device files a printer may be (shell patterns separated by
    ':'); no other file can be written by a ticket printer's address."""
    return [p for p in _text("MOTCUA_PRINTER_DEVICES", DEVICE_PATTERNS).split(":") if p]


def print_within() -> int:
    """MOTCUA_TICKET_PRINT_WITHIN: seconds after which a ticket not yet printed is not
    printed any more (300): the applicant has left with the ticket on screen."""
    return _number("MOTCUA_TICKET_PRINT_WITHIN", 300)
