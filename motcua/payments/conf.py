"""The payments' settings (settings.py reads them from the environment), each with its
default."""

from zoneinfo import ZoneInfo

from django.conf import settings

# Receipts are numbered per calendar year in Vietnam's time (Decree 254/2026 art. 23.2:
# the number restarts at 1 on 1 January), whatever the server's TIME_ZONE.
RECEIPT_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")

CLOCK_CHOICES = ("received", "paid")


def payment_clock() -> str:
    """When a procedure requires payment before processing, does its time limit start at
    reception ("received", the default: Decree 61/2018 art. 19.1 counts the time limit from
    the receipt of a complete dossier) or at payment ("paid": what THS does, moving the
    submission date to the payment time)? MOTCUA_PAYMENT_CLOCK; docs/payments.md. Only the
    setting exists so far: the dossier clock does not read it yet."""
    return (getattr(settings, "MOTCUA_PAYMENT_CLOCK", "") or "received").strip().lower()


def reference_prefix() -> str:
    """The letters that start every payment reference (MOTCUA_PAYMENT_PREFIX, default MC):
    an installation per province may choose its own so that references never collide in a
    shared bank account."""
    return (getattr(settings, "MOTCUA_PAYMENT_PREFIX", "") or "MC").strip().upper()
