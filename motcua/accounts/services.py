"""Signing a person in from what a national provider said (capabilities.md §2.2, the OpenCPS
mapping): found by the provider's stable id; else, when an account holds the same identity
number, the person is asked to confirm the link (never linked silently); else created."""

import uuid
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.audit.services import record_event

from .claims import Identity
from .models import CitizenAccount, IdentityLink

DETAILS = ("full_name", "business_name", "email", "phone", "address")


class SignInRefused(Exception):
    def __init__(self, code: str, message):
        super().__init__(code)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class SignInResult:
    account: CitizenAccount | None = None  # signed in
    to_confirm: CitizenAccount | None = None  # an account with the number, not yet linked
    created: bool = False


def _refresh(account: CitizenAccount, identity: Identity) -> None:
    """The provider's word on the person's details replaces ours; an empty claim does not."""
    for name in DETAILS:
        if getattr(identity, name):
            setattr(account, name, getattr(identity, name))
    if identity.birth_date:
        account.birth_date = date.fromisoformat(identity.birth_date)
    account.save()
    # The user's name is the person's, so that what they do on a dossier (dossiers.online)
    # is signed with it on the back office's pages, as staff are.
    name = account.full_name[:150]
    if account.user.first_name != name:
        account.user.first_name = name
        account.user.save(update_fields=["first_name"])


def _touch(link: IdentityLink, identity: Identity) -> None:
    link.assurance, link.claims = identity.assurance, identity.claims
    link.last_sign_in_at = timezone.now()
    link.save(update_fields=["assurance", "claims", "last_sign_in_at"])


def _usable(account: CitizenAccount) -> CitizenAccount:
    if not account.user.is_active:
        raise SignInRefused("account_disabled", _("This account has been disabled."))
    return account


@transaction.atomic
def sign_in(identity: Identity) -> SignInResult:
    link = (
        IdentityLink.objects.select_related("account__user")
        .filter(provider=identity.provider, subject=identity.subject)
        .first()
    )
    if link:
        account = _usable(link.account)
        if (account.id_type, account.id_number) != (identity.id_type, identity.id_number):
            raise SignInRefused(
                "number_changed",
                _("The provider now gives another identity number for this account."),
            )
        _refresh(account, identity)
        _touch(link, identity)
        return SignInResult(account=account)
    existing = CitizenAccount.objects.filter(  # never a local account: its number is unproven
        id_type=identity.id_type, id_number=identity.id_number, identity_verified=True
    ).first()
    if existing:
        return SignInResult(to_confirm=_usable(existing))
    return SignInResult(account=_create(identity), created=True)


def _create(identity: Identity) -> CitizenAccount:
    user = get_user_model().objects.create_user(f"citizen-{uuid.uuid4().hex[:24]}")
    user.set_unusable_password()
    user.save(update_fields=["password"])
    account = CitizenAccount(
        user=user, kind=identity.kind, id_type=identity.id_type, id_number=identity.id_number
    )
    _refresh(account, identity)
    link = IdentityLink.objects.create(account=account, provider=identity.provider,
                                       subject=identity.subject)  # fmt: skip
    _touch(link, identity)
    record_event("citizen.account_created", account, actor=user, provider=identity.provider)
    return account


@transaction.atomic
def link_identity(account_id: int, identity: Identity) -> CitizenAccount:
    """After the person confirmed: the provider's id joins the account holding their number.
    Refused when the account changed meanwhile or already has another id at this provider."""
    account = CitizenAccount.objects.select_for_update().select_related("user").get(pk=account_id)
    _usable(account)
    if (account.id_type, account.id_number) != (identity.id_type, identity.id_number):
        raise SignInRefused("link_mismatch", _("The account no longer matches this identity."))
    if account.links.filter(provider=identity.provider).exists():
        raise SignInRefused(
            "already_linked",
            _("This account is already linked to another sign-in at this provider."),
        )
    try:
        with transaction.atomic():
            link = IdentityLink.objects.create(
                account=account, provider=identity.provider, subject=identity.subject
            )
    except IntegrityError as error:
        raise SignInRefused(
            "subject_taken", _("This sign-in is already linked to another account.")
        ) from error
    _refresh(account, identity)
    _touch(link, identity)
    record_event("citizen.identity_linked", account, actor=account.user,
                 provider=identity.provider)  # fmt: skip
    return account
