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
    submission date to the payment time)? MOTCUA_PAYMENT_CLOCK; docs/payments.md. Read by
    collection.confirm_attempt, which has dossiers.obligations.count_from_payment move the
    clock."""
    return (getattr(settings, "MOTCUA_PAYMENT_CLOCK", "") or "received").strip().lower()


def reference_prefix() -> str:
    """The letters that start every payment reference (MOTCUA_PAYMENT_PREFIX, default MC):
    an installation per province may choose its own so that references never collide in a
    shared bank account."""
    return (getattr(settings, "MOTCUA_PAYMENT_PREFIX", "") or "MC").strip().upper()


def merchant():
    """The national payment platform as configured (MOTCUA_PAYMENT_PLATFORM_*), or the fake
    one served by motcua/fakepay when MOTCUA_FAKE_PAYMENTS is on and none is configured;
    None: online payment through the platform is not offered."""
    from django.urls import reverse

    from .platform import Merchant

    endpoint = getattr(settings, "MOTCUA_PAYMENT_PLATFORM_URL", "")
    timeout = float(getattr(settings, "MOTCUA_PAYMENT_PLATFORM_TIMEOUT", 10))
    if endpoint:
        return Merchant(
            endpoint=endpoint,
            code=settings.MOTCUA_PAYMENT_PLATFORM_MERCHANT,
            secret=settings.MOTCUA_PAYMENT_PLATFORM_SECRET,
            token=getattr(settings, "MOTCUA_PAYMENT_PLATFORM_TOKEN", ""),
            timeout=timeout,
        )
    if not getattr(settings, "MOTCUA_FAKE_PAYMENTS", False):
        return None
    from motcua.fakepay import merchant as fake

    base = settings.MOTCUA_PUBLIC_URL.rstrip("/")
    return Merchant(
        endpoint=base + reverse("fakepay:api"),
        code=fake.MERCHANT,
        secret=fake.SECRET,
        token=fake.TOKEN,
        timeout=timeout,
        fake=True,
    )
