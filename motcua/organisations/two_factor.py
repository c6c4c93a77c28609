"""Two-step sign-in for administrators: a TOTP authenticator app (django-otp's otp_totp).

Who may enrol: whoever may use the admin site (a system administrator, a superuser, an
agency administrator; `permissions.can_use_admin`). Enrolment creates one pending device
whose secret is shown as a QR code; the first right code confirms it, replaces any device
the account had, and is audited. With MOTCUA_ADMIN_REQUIRE_OTP the admin site asks for a
code once per session (backoffice/otp_required.py). Wrong codes are throttled by the device
(django-otp: 1, 2, 4, 8... seconds between tries after each failure).
"""

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.audit.services import record_event

from . import permissions

DEVICE_NAME = "motcua"


def may_enrol(user) -> bool:
    return permissions.can_use_admin(user)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user) -> TOTPDevice:
    """The device being enrolled (the same secret on every visit until it is confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


@transaction.atomic
def confirm_device(user, token: str) -> TOTPDevice | None:
    """Confirm the pending device with a code from the app: it becomes the account's only
    device. None when the code is wrong (or throttled)."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(token):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record_event("user.otp_enrolled", user, actor=user, device=device.persistent_id)
    return device


@transaction.atomic
def verify_code(user, token: str) -> TOTPDevice | None:
    """The account's confirmed device when `token` is its current code, else None. The row
    is locked so that parallel tries cannot get around the throttle."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    if device is None or not device.verify_token(token):
        return None
    return device
