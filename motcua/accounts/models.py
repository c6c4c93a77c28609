"""Accounts of citizens and businesses on the portal, and their links to the national identity
providers (capabilities.md §2.6). A citizen account is a Django user with no password and no
staff flag, signed in only through a provider (views.py) and loaded only by CitizenBackend:
staff and citizens never share a login page or a session scope (middleware.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.identity import IdentityType


class AccountKind(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    BUSINESS = "business", _("Business")


class Provider(models.TextChoices):
    DVCQG = "dvcqg", _("National Public Service Portal (DVCQG)")
    VNEID = "vneid", _("VNeID")


class CitizenAccount(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="citizen_account"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AccountKind.choices)
    id_type = models.CharField(_("identity document"), max_length=16, choices=IdentityType)
    id_number = models.CharField(_("identity number"), max_length=20)
    full_name = models.CharField(_("full name"), max_length=200)
    business_name = models.CharField(_("business name"), max_length=300, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=500, blank=True)
    # True when a national identity provider vouches for the number (every provider account);
    # False for a local account (local.py), whose number is the person's own word: it sees
    # only the dossiers it filed itself, never those a counter received for that number.
    identity_verified = models.BooleanField(_("identity verified"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("citizen account")
        verbose_name_plural = _("citizen accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["id_type", "id_number"],
                condition=models.Q(identity_verified=True),
                name="citizen_account_unique_identity",
            ),
            # A local account signs in with its phone or e-mail: one account each.
            models.UniqueConstraint(
                fields=["phone"],
                condition=models.Q(identity_verified=False) & ~models.Q(phone=""),
                name="local_account_unique_phone",
            ),
            models.UniqueConstraint(
                fields=["email"],
                condition=models.Q(identity_verified=False) & ~models.Q(email=""),
                name="local_account_unique_email",
            ),
        ]

    def __str__(self) -> str:
        return self.business_name or self.full_name

    @property
    def masked_id_number(self) -> str:
        return "•" * max(len(self.id_number) - 4, 0) + self.id_number[-4:]


class IdentityLink(models.Model):
    """One provider's stable id for the account's holder (DVCQG and VNeID: `TechID`)."""

    account = models.ForeignKey(CitizenAccount, on_delete=models.CASCADE, related_name="links")
    provider = models.CharField(_("provider"), max_length=16, choices=Provider.choices)
    subject = models.CharField(_("stable id"), max_length=200)
    assurance = models.CharField(_("assurance level"), max_length=32, blank=True)
    claims = models.JSONField(_("claims at the last sign-in"), default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("identity provider link")
        verbose_name_plural = _("identity provider links")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "subject"], name="identity_link_unique_subject"
            ),
            models.UniqueConstraint(
                fields=["account", "provider"], name="identity_link_one_per_provider"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.subject}"


class OneTimeCode(models.Model):
    """A code sent to a local account's phone or e-mail to prove it reaches the person
    (local.py): kept as a hash, valid for minutes, a few tries, used once."""

    account = models.ForeignKey(CitizenAccount, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64)
    sent_to = models.CharField(max_length=254)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.account_id} · {self.created_at:%Y-%m-%d %H:%M}"
