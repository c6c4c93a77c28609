"""Local accounts (issue 15 §1): for a deployment without national sign-in (an offline commune,
MOTCUA_LOCAL_ACCOUNTS), a person registers with their phone or e-mail and a password, and
proves the phone or e-mail reaches them with a one-time code.

Nobody vouches for the identity number a local account gives, so the account is marked
`identity_verified = False`: it files online under that number, but sees only the dossiers
it filed itself (dossiers.permissions.account_dossiers), never what a counter received for
the number; the national providers never link to it (services.sign_in). Its phone or e-mail
is its sign-in name, one account each.

Limits (throttle, database counters): sign-in failures per contact and per address (the
contact is locked for the window after MOTCUA_LOGIN_FAILURE_LIMIT failures, as staff are by
django-axes), codes sent per account and per address, code tries per code.
"""

import hashlib
import hmac
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.services import record_event
from motcua.dossiers.identity import IdentityError, IdentityType
from motcua.dossiers.identity import validate as validate_identity
from motcua.notifications import conf as notify_conf
from motcua.notifications.channels import send
from motcua.notifications.models import Channel
from motcua.notifications.rendering import Rendered
from motcua.throttle import services as throttle

from .models import AccountKind, CitizenAccount, OneTimeCode

CODE_MINUTES = 10
CODE_TRIES = 5
CODES_PER_HOUR = 5
PHONE = re.compile(r"^(?:\+84|0)(\d{9})$")


class LocalAccountError(Exception):
    def __init__(self, code: str, message: str, field: str = ""):
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


@dataclass(frozen=True)
class Contact:
    phone: str = ""
    email: str = ""

    @property
    def value(self) -> str:
        return self.phone or self.email


def read_contact(text: str) -> Contact:
    """A Vietnamese mobile number (0912345678, +84912345678) or an e-mail address."""
    text = text.strip().replace(" ", "").replace(".", "") if "@" not in text else text.strip()
    match = PHONE.match(text)
    if match:
        return Contact(phone="0" + match[1])
    try:
        validate_email(text)
    except ValidationError:
        raise LocalAccountError(
            "invalid_contact", _("Enter a mobile number or an e-mail address."), "contact"
        ) from None
    return Contact(email=text.lower())


def _local(contact: Contact):
    accounts = CitizenAccount.objects.select_related("user").filter(identity_verified=False)
    if contact.phone:
        return accounts.filter(phone=contact.phone)
    return accounts.filter(email=contact.email)


@transaction.atomic
def register(*, full_name: str, id_number: str, contact_text: str, password: str, request=None):
    """A new local account, inactive until its code is entered; a second registration of a
    contact still unconfirmed replaces the first (the person lost the code or mistyped)."""
    full_name = " ".join(full_name.split())[:200]
    if not full_name:
        raise LocalAccountError("name_required", _("Enter your full name."), "full_name")
    try:
        number = validate_identity(IdentityType.PERSONAL_ID, id_number.strip())
    except IdentityError as error:
        raise LocalAccountError("invalid_id", error.message, "id_number") from None
    contact = read_contact(contact_text)
    existing = _local(contact).first()
    if existing is not None and existing.user.is_active:
        raise LocalAccountError(
            "already_registered",
            _("An account already uses this phone or e-mail: sign in instead."),
            "contact",
        )
    user = (
        existing.user if existing else get_user_model()(username=f"local-{uuid.uuid4().hex[:24]}")
    )
    user.first_name, user.is_active = full_name[:150], False
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise LocalAccountError("weak_password", " ".join(error.messages), "password") from None
    user.set_password(password)
    user.save()
    account = existing or CitizenAccount(
        user=user, kind=AccountKind.CITIZEN, identity_verified=False
    )
    account.id_type, account.id_number, account.full_name = (
        IdentityType.PERSONAL_ID,
        number,
        full_name,
    )
    account.phone, account.email = contact.phone, contact.email
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError:  # the same contact registered at the same moment
        raise LocalAccountError(
            "already_registered",
            _("An account already uses this phone or e-mail: sign in instead."),
            "contact",
        ) from None
    send_code(account, request=request)
    return account


def _digest(account_id: int, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{account_id}:{code}".encode(), hashlib.sha256).hexdigest()


def _channel(contact: Contact) -> str:
    """E-mail for an address; for a phone, the SMS gateway when notices use it, else the
    console in development."""
    if contact.email:
        return Channel.EMAIL
    channels = notify_conf.channels()
    if Channel.SMS in channels:
        return Channel.SMS
    if settings.DEBUG or Channel.CONSOLE in channels:
        return Channel.CONSOLE
    raise LocalAccountError(
        "sms_unavailable", _("Codes cannot be sent by SMS here: register with an e-mail address.")
    )


def send_code(account: CitizenAccount, *, request=None) -> OneTimeCode:
    """A new code to the account's phone or e-mail (the older ones stop working)."""
    limits = [throttle.Limit(f"otp:account:{account.pk}", CODES_PER_HOUR, 3600)]
    if request is not None:
        from motcua.throttle.clients import client_address

        limits.append(throttle.Limit(f"otp:addr:{client_address(request)}", 20, 3600))
    if throttle.hit_all(limits):
        raise LocalAccountError(
            "too_many_codes", _("Too many codes were sent. Try again in an hour.")
        )
    contact = Contact(account.phone, account.email)
    channel = _channel(contact)
    code = f"{secrets.randbelow(10**6):06d}"
    account.codes.filter(used_at__isnull=True).update(used_at=timezone.now())
    row = OneTimeCode.objects.create(
        account=account,
        code_hash=_digest(account.pk, code),
        sent_to=contact.value,
        expires_at=timezone.now() + timedelta(minutes=CODE_MINUTES),
    )
    text = _("Your motcua code is %(code)s. It expires in %(minutes)s minutes.") % {
        "code": code,
        "minutes": CODE_MINUTES,
    }
    message = Rendered(
        subject=_("Your motcua code"), body=text, sms=text, zalo_template_id="", zalo_data={}
    )
    try:
        send(channel, contact.value, message, key=f"otp:{row.pk}", extra_headers={})
    except Exception:
        raise LocalAccountError(
            "code_not_sent", _("The code could not be sent. Check the contact and try again.")
        ) from None
    return row


def confirm(account_id: int, code: str) -> CitizenAccount:
    """The code proves the contact: the account is active (and may sign in). A wrong try is
    counted (committed) before it is refused; after CODE_TRIES the code is spent."""
    with transaction.atomic():
        row = (
            OneTimeCode.objects.select_for_update()
            .select_related("account__user")
            .filter(account_id=account_id, used_at__isnull=True)
            .first()
        )
        now = timezone.now()
        if row is None or row.expires_at <= now or row.attempts >= CODE_TRIES:
            raise LocalAccountError(
                "code_expired", _("This code has expired: ask for a new one."), "code"
            )
        right = hmac.compare_digest(row.code_hash, _digest(account_id, code.strip()))
        if not right:
            row.attempts += 1
            row.save(update_fields=["attempts"])
        else:
            row.used_at = now
            row.save(update_fields=["used_at"])
            account = row.account
            if not account.user.is_active:
                account.user.is_active = True
                account.user.save(update_fields=["is_active"])
                record_event(
                    "citizen.account_created", account, actor=account.user, provider="local"
                )
    if not right:
        raise LocalAccountError("wrong_code", _("The code is not right."), "code")
    return account


def authenticate(request, contact_text: str, password: str):
    """The local account's user for this contact and password, or a LocalAccountError: a
    locked contact or address is refused before the password is even checked."""
    try:
        contact = read_contact(contact_text)
    except LocalAccountError:
        contact = Contact(email=contact_text.strip().lower()[:254])
    from motcua.throttle.clients import client_address

    window = settings.MOTCUA_LOGIN_COOLOFF_MINUTES * 60
    by_contact = f"citizen-login:{contact.value}"
    limits = [
        throttle.Limit(by_contact, settings.MOTCUA_LOGIN_FAILURE_LIMIT, window),
        throttle.Limit(f"citizen-login-addr:{client_address(request)}", 50, window),
    ]
    if throttle.hit_all(limits):
        raise LocalAccountError(
            "locked",
            _("Too many failed sign-ins. Try again in %(minutes)s minutes.")
            % {"minutes": settings.MOTCUA_LOGIN_COOLOFF_MINUTES},
        )
    account = _local(contact).first()
    if account is None or not account.user.check_password(password):
        raise LocalAccountError(
            "wrong_credentials", _("The phone or e-mail, or the password, is not right.")
        )
    if not account.user.is_active:
        raise LocalAccountError(
            "not_confirmed", _("Confirm your account with the code sent to you first.")
        )
    throttle.undo_hit(by_contact)  # a success does not count towards the lock
    return account.user
