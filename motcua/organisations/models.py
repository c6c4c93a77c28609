from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .codes import MAX_LENGTH, validate_agency_code, validate_alias_code
from .roles import Role


def existed_during(first: date, last: date) -> Q:
    """Rows (units or agencies) that existed on some day from `first` to `last` inclusive:
    in force from `valid_from` (empty: always), no longer from `valid_until` (empty: still)."""
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=last)) & (
        Q(valid_until__isnull=True) | Q(valid_until__gt=first)
    )


def _check_validity(obj: "AdministrativeUnit | Agency") -> None:
    """The validity rules units and agencies share: an interval that is not empty, and a
    successor (what the row was merged into) that is another row in force on the day this
    one ended."""
    errors: dict[str, list] = {}
    if obj.valid_from and obj.valid_until and obj.valid_until <= obj.valid_from:
        errors.setdefault("valid_until", []).append(
            _("The day it ended must come after the day it began.")
        )
    successor = obj.successor
    if successor is not None:
        if obj.valid_until is None:
            errors.setdefault("successor", []).append(
                _("Only a unit or agency that has ended (give the day) has a successor.")
            )
        elif not successor.existed_on(obj.valid_until):
            errors.setdefault("successor", []).append(
                _("The successor must be in force on the day this one ended.")
            )
        seen = {obj.pk} if obj.pk else set()
        while successor is not None:
            if successor.pk in seen:
                errors.setdefault("successor", []).append(_("These successors would form a cycle."))
                break
            seen.add(successor.pk)
            successor = successor.successor
    if errors:
        raise ValidationError(errors)


class Validity(models.Model):
    """When a unit or an agency existed. A merged or abolished one is kept, with the day it
    ended and what took its place, so history and the reports of the periods when it existed
    still name it (docs/organisations-import.md)."""

    valid_from = models.DateField(
        _("in force from"), null=True, blank=True, help_text=_("Empty: since before any record.")
    )
    valid_until = models.DateField(
        _("ended on"),
        null=True,
        blank=True,
        help_text=_(
            "The day it was merged, abolished or reorganised, from which it no longer exists "
            "(the day the decision takes effect). Empty: still in force."
        ),
    )
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=255,
        blank=True,
        help_text=_("The decision or resolution that set these dates."),
    )

    class Meta:
        abstract = True

    def existed_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day < self.valid_until
        )

    def has_ended(self, today: date | None = None) -> bool:
        """Ended on or before `today` (default: today, local time)."""
        today = today or timezone.localdate()
        return self.valid_until is not None and self.valid_until <= today


class AdministrativeUnitQuerySet(models.QuerySet):
    def existed_during(self, first: date, last: date) -> "AdministrativeUnitQuerySet":
        return self.filter(existed_during(first, last))


class AdministrativeUnit(Validity):
    """A province or commune after the 2025 reform (Law 72/2025/QH15), or a unit of before
    it (a province since merged, a district, a commune since reorganised) kept as history,
    with the day it ended and its successor, so that data that names it can be recorded and
    the reports of a past period show the units of that period."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Province")
        COMMUNE = "commune", _("Commune")
        LEGACY_DISTRICT = "legacy_district", _("District (before 2025)")

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=128)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    division_type = models.CharField(_("division type"), max_length=32, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_legacy = models.BooleanField(_("abolished (legacy)"), default=False)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        help_text=_("The unit it was merged into or reorganised as."),
    )

    objects = AdministrativeUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["code"]
        indexes = [models.Index(fields=["kind", "parent"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        parent_kind = self.parent.kind if self.parent else None
        if self.kind == self.Kind.PROVINCE and self.parent_id:
            raise ValidationError({"parent": _("A province has no parent unit.")})
        if self.kind == self.Kind.COMMUNE and parent_kind == self.Kind.LEGACY_DISTRICT:
            if not self.is_legacy:
                raise ValidationError(
                    {"parent": _("Only a commune of before 2025 (abolished) has a district.")}
                )
        elif self.kind != self.Kind.PROVINCE and parent_kind != self.Kind.PROVINCE:
            raise ValidationError(
                {
                    "parent": _(
                        "Communes and districts belong to a province (before 2025 a "
                        "commune could belong to a district)."
                    )
                }
            )
        if self.has_ended() and not self.is_legacy:
            raise ValidationError(
                {"is_legacy": _("A unit that ended on or before today is abolished (legacy).")}
            )
        _check_validity(self)


class AgencyQuerySet(models.QuerySet):
    def active(self) -> "AgencyQuerySet":
        """In operation now: offered in forms, its staff may sign in to it. An agency that
        ended (valid_until) is never active, but keeps its history."""
        return self.filter(is_active=True)

    def existed_during(self, first: date, last: date) -> "AgencyQuerySet":
        """Agencies that existed on some day of the period, active or since ended: the
        agencies a report of that period counts."""
        return self.filter(existed_during(first, last))


class Agency(Validity):
    """A state body that receives or resolves procedures (Decree 61/2018 art. 7). One that
    was merged or abolished keeps its row, with the day it ended (valid_until), its
    successor and is_active off."""

    class Kind(models.TextChoices):
        PROVINCIAL_COMMITTEE = "provincial_committee", _("Provincial People's Committee")
        PROVINCIAL_SERVICE_CENTRE = (
            "provincial_centre",
            _("Provincial Public Administration Service Centre"),
        )
        PROVINCIAL_DEPARTMENT = "provincial_department", _("Provincial department")
        COMMUNE_COMMITTEE = "commune_committee", _("Commune People's Committee")
        COMMUNE_SERVICE_CENTRE = "commune_centre", _("Commune Public Administration Service Centre")
        # Before the 2025 reform: a district's committee, kept as history (valid_until).
        DISTRICT_COMMITTEE = "district_committee", _("District People's Committee (before 2025)")
        MINISTRY_UNIT = "ministry_unit", _("Ministry unit")
        POLICE = "police", _("Police (vertical agency)")
        TAX = "tax", _("Tax (vertical agency)")
        SOCIAL_INSURANCE = "social_insurance", _("Social insurance (vertical agency)")
        OTHER_VERTICAL = "other_vertical", _("Other vertical agency")

    code = models.CharField(
        _("identifier code"),
        max_length=MAX_LENGTH,
        unique=True,
        validators=[validate_agency_code],
        help_text=_("Electronic identifier code per QĐ 20/2020/QĐ-TTg, e.g. H15.50.05.13"),
    )
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=64, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        help_text=_("The agency it was merged into, or that took over its work."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.short_name or self.name

    def clean(self) -> None:
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("An agency cannot be its own parent.")})
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": _("This parent would create a cycle.")})
            ancestor = ancestor.parent
        if self.is_active and self.has_ended():
            raise ValidationError(
                {"is_active": _("An agency that ended on or before today cannot be active.")}
            )
        _check_validity(self)


class AgencyAlias(models.Model):
    """Another code an agency was known by: its code in the Circular 10/2016 form
    (``000.00.12.H56`` for ``H56.12``), or a code it had before a renumbering. History
    naming the old code (import_dossiers) is recorded against the agency; a code is the
    alias of one agency at most and never another agency's own code."""

    code = models.CharField(
        _("old code"),
        max_length=MAX_LENGTH,
        unique=True,
        validators=[validate_alias_code],
        help_text=_("As the older system wrote it, e.g. 000.00.12.H56"),
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="aliases"
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agency code alias")
        verbose_name_plural = _("agency code aliases")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} → {self.agency.code}"

    def clean(self) -> None:
        if self.code and Agency.objects.filter(code=self.code).exists():
            raise ValidationError({"code": _("This is an agency's own code, not an alias.")})


class Department(models.Model):
    """A division (phòng, ban) inside an agency."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="departments"
    )
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=255)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["agency__code", "code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="department_code_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency})"


class ReceptionPoint(models.Model):
    """A place where dossiers are received and results returned (điểm tiếp nhận)."""

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        related_name="reception_points",
    )
    name = models.CharField(_("name"), max_length=255)
    address = models.CharField(_("address"), max_length=255, blank=True)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("administrative unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("reception point")
        verbose_name_plural = _("reception points")
        ordering = ["agency__code", "name"]

    def __str__(self) -> str:
        return self.name


class Counter(models.Model):
    """A counter (quầy) at a reception point."""

    reception_point = models.ForeignKey(
        ReceptionPoint,
        verbose_name=_("reception point"),
        on_delete=models.CASCADE,
        related_name="counters",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=128, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")
        ordering = ["reception_point", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["reception_point", "number"], name="counter_number_per_point"
            )
        ]

    def __str__(self) -> str:
        return self.name or _("Counter %(number)s") % {"number": self.number}


class MembershipQuerySet(models.QuerySet):
    def active(self) -> "MembershipQuerySet":
        return self.filter(is_active=True, agency__is_active=True)


class Membership(models.Model):
    """A staff member's role in an agency (and optionally one of its departments)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="memberships"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["agency__code", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "department", "role"],
                condition=models.Q(department__isnull=False),
                name="membership_unique_in_department",
            ),
            models.UniqueConstraint(
                fields=["user", "agency", "role"],
                condition=models.Q(department__isnull=True),
                name="membership_unique_in_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.agency}"

    def clean(self) -> None:
        if self.department_id and self.agency_id and self.department.agency_id != self.agency_id:
            raise ValidationError(
                {"department": _("The department must belong to the selected agency.")}
            )


class ApiToken(models.Model):
    """A bearer token with which a program acts as `user` on the JSON API.

    Only the SHA-256 of the token is stored: a leaked database gives no usable token. The
    plain token is shown once, when it is made (organisations.tokens.issue_token)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for."))
    prefix = models.CharField(_("prefix"), max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(
        _("expires"), null=True, blank=True, help_text=_("Empty: the token does not expire.")
    )
    is_revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    def is_usable(self, now) -> bool:
        if self.is_revoked or not self.user.is_active:
            return False
        return self.expires_at is None or self.expires_at > now
