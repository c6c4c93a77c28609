"""The procedure catalogue (Decree 63/2010/NĐ-CP art. 8.2 lists what a procedure must state).

A Procedure is the stable identity (its national code); its content lives in immutable
ProcedureVersions. Editing a published procedure creates a new version (services.py);
dossiers pin the version they were received under.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.organisations.models import Agency, Department
from motcua.organisations.roles import Role

procedure_code_validator = RegexValidator(
    r"^[0-9]\.[0-9]{6}(\.[0-9A-Z]+)*$",
    _("A procedure code looks like 1.001193, or 2.001035.000.00.00.H61 when localised."),
    code="invalid_procedure_code",
)


class Level(models.TextChoices):
    """Level of government that carries out a procedure (Cấp thực hiện)."""

    MINISTRY = "ministry", _("Ministry level")
    PROVINCE = "province", _("Province level")
    COMMUNE = "commune", _("Commune level")
    OTHER = "other_agency", _("Other agency")


class OnlineLevel(models.TextChoices):
    """Decree 42/2022 arts. 11-12 (kept by Decree 224/2026 art. 14)."""

    NONE = "none", _("Not online")
    PARTIAL = "partial", _("Partially online")
    END_TO_END = "end_to_end", _("End-to-end online")


class Channel(models.TextChoices):
    """Ways of filing (Decree 61/2018 art. 16)."""

    IN_PERSON = "in_person", _("In person")
    POSTAL = "postal", _("By public post")
    ONLINE = "online", _("Online")


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    CALENDAR_DAYS = "calendar_days", _("days")
    HOURS = "working_hours", _("working hours")
    MONTHS = "months", _("months")


class ApplicantType(models.TextChoices):
    """DVCQG catalogue (0 citizen, 1 enterprise, 2 household business) plus others seen."""

    CITIZEN = "citizen", _("Vietnamese citizen")
    FOREIGNER = "foreigner", _("Foreigner")
    ENTERPRISE = "enterprise", _("Enterprise")
    HOUSEHOLD_BUSINESS = "household_business", _("Household business")
    COOPERATIVE = "cooperative", _("Cooperative")
    ORGANISATION = "organisation", _("Organisation")
    PUBLIC_BODY = "public_body", _("State body or public unit")


class Field(models.Model):
    """A sector of state management (lĩnh vực), Circular 01/2018 art. 20."""

    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=255, unique=True)

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProcedureQuerySet(models.QuerySet):
    def published(self) -> "ProcedureQuerySet":
        return self.filter(is_active=True, current_version__isnull=False)


class Procedure(models.Model):
    """Identity of a procedure. Search columns are copied from the current version when a
    version is published, so that catalogue search is one indexed table."""

    code = models.CharField(
        _("procedure code"), max_length=48, unique=True, validators=[procedure_code_validator]
    )
    owner_agency = models.ForeignKey(
        Agency,
        verbose_name=_("managed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_procedures",
        help_text=_("Agency whose administrators maintain this entry; empty = system-wide."),
    )
    current_version = models.OneToOneField(
        "ProcedureVersion",
        verbose_name=_("current version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(_("published"), default=True)
    # Denormalised from the current version (services.publish_version keeps them in step).
    name = models.CharField(_("name"), max_length=2000, blank=True)
    field = models.ForeignKey(
        Field, verbose_name=_("field"), null=True, blank=True, on_delete=models.PROTECT
    )
    levels_index = models.CharField(max_length=64, blank=True, editable=False)
    online_level = models.CharField(
        _("online level"), max_length=16, choices=OnlineLevel.choices, default=OnlineLevel.NONE
    )
    search_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


class ProcedureVersion(models.Model):
    """One immutable published state of a procedure (Decree 63/2010 art. 8.2 contents)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Superseded")

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    # The longest real name on the national portal is 1,094 characters (1.013980).
    name = models.CharField(_("name"), max_length=2000)
    field = models.ForeignKey(Field, verbose_name=_("field"), on_delete=models.PROTECT)
    procedure_type = models.CharField(_("procedure type"), max_length=255, blank=True)
    publishing_agency = models.CharField(_("published by"), max_length=255, blank=True)
    decision_number = models.CharField(_("announcing decision"), max_length=255, blank=True)
    levels = models.JSONField(_("levels"), default=list)
    applicant_types = models.JSONField(_("applicant types"), default=list, blank=True)
    target_subjects = models.TextField(_("who may apply"), blank=True)
    implementing_agency_text = models.TextField(_("implementing agency"), blank=True)
    competent_authority_text = models.TextField(_("deciding authority"), blank=True)
    coordinating_agency_text = models.TextField(_("coordinating agency"), blank=True)
    implementing_agencies = models.ManyToManyField(
        Agency, verbose_name=_("implementing agencies (local)"), blank=True, related_name="+"
    )
    deciding_agency = models.ForeignKey(
        Agency,
        verbose_name=_("deciding agency (local)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    receiving_address = models.TextField(_("where to file"), blank=True)
    channels = models.JSONField(_("channels"), default=list)
    online_level = models.CharField(
        _("online level"), max_length=16, choices=OnlineLevel.choices, default=OnlineLevel.NONE
    )
    online_note = models.TextField(
        _("why not end-to-end online"),
        blank=True,
        help_text=_(
            "For a procedure offered partially online or not online: what must be done in "
            "person and why (Decree 224/2026 art. 14), shown to citizens before they file."
        ),
    )
    eform = models.JSONField(
        _("e-form"),
        default=dict,
        blank=True,
        help_text=_(
            "The interactive form filled online: a JSON Schema with a small UI schema "
            "(docs/online-filing.md). Empty: online filing uploads documents only."
        ),
    )
    boundary_independent = models.BooleanField(
        _("can be filed anywhere in the province"),
        default=False,
        help_text=_("Procedure independent of administrative boundary (Decree 118/2025)."),
    )
    supplement_clock = models.CharField(
        _("time limit after a supplement"),
        max_length=16,
        choices=[
            ("restart", _("restarts (Decree 61/2018 art. 19.4)")),
            ("pause", _("pauses while waiting")),
        ],
        blank=True,
        help_text=_("Empty: the deployment's policy (setting MOTCUA_SUPPLEMENT_CLOCK)."),
    )
    steps_text = models.TextField(_("sequence of steps"), blank=True)
    requirements = models.TextField(_("requirements and conditions"), blank=True)
    result = models.TextField(_("result"), blank=True)
    results = models.JSONField(_("results (structured)"), default=list, blank=True)
    legal_basis = models.JSONField(_("legal basis"), default=list, blank=True)
    legal_basis_text = models.TextField(_("legal basis (text)"), blank=True)
    time_limit_value = models.DecimalField(
        _("time limit"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    time_limit_unit = models.CharField(
        _("time limit unit"), max_length=16, choices=TimeUnit.choices, blank=True
    )
    time_limit_text = models.TextField(_("time limit as published"), blank=True)
    channel_time_limits = models.JSONField(_("time limit per channel"), default=list, blank=True)
    fees_text = models.TextField(_("fees as published"), blank=True)
    documents_note = models.TextField(_("notes on documents"), blank=True)
    source = models.JSONField(_("source"), default=dict, blank=True)
    import_notes = models.JSONField(_("import repairs"), default=list, blank=True)
    change_note = models.CharField(_("change note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("procedure version")
        verbose_name_plural = _("procedure versions")
        ordering = ["procedure__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="version_number_unique"),
            models.UniqueConstraint(
                fields=["procedure"],
                condition=models.Q(status="published"),
                name="one_published_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number}"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def offered_online(self) -> bool:
        """Published and offered end to end or partially online (Decree 224/2026 art. 14):
        a citizen may file it online (filing)."""
        return (
            self.status == self.Status.PUBLISHED
            and self.online_level in (OnlineLevel.END_TO_END, OnlineLevel.PARTIAL)
            and Channel.ONLINE in (self.channels or [])
        )

    def documents(self) -> list["Component"]:
        """The papers to hand in: the checklist, Mẫu 01 and 02 (notes left out)."""
        return [c for c in self.components.all() if c.kind == Component.Kind.DOCUMENT]

    def notes(self) -> list["Component"]:
        """Rows of the document table that are guidance, shown under the checklist."""
        return [c for c in self.components.all() if c.kind == Component.Kind.NOTE]

    def clean(self) -> None:
        bad_levels = set(self.levels or []) - set(Level.values)
        if bad_levels:
            raise ValidationError({"levels": _("Unknown level: %s") % ", ".join(bad_levels)})
        bad_channels = set(self.channels or []) - set(Channel.values)
        if bad_channels:
            raise ValidationError({"channels": _("Unknown channel: %s") % ", ".join(bad_channels)})
        bad_types = set(self.applicant_types or []) - set(ApplicantType.values)
        if bad_types:
            raise ValidationError(
                {"applicant_types": _("Unknown applicant type: %s") % ", ".join(bad_types)}
            )
        if self.eform:
            from .eforms import EFormError, check_definition

            try:
                check_definition(self.eform)
            except EFormError as error:
                raise ValidationError({"eform": error.message}) from error
        if (self.time_limit_value is None) != (not self.time_limit_unit):
            raise ValidationError(
                {"time_limit_unit": _("Give both the time limit and its unit, or neither.")}
            )


class Component(models.Model):
    """A document to hand in (thành phần hồ sơ) with its number of originals and copies.

    The portal's document table also carries legal notes ("* Lưu ý: …"); those rows are kept
    as kind NOTE: guidance shown under the checklist, never something to hand in.
    """

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Document to hand in")
        NOTE = "note", _("Note (guidance only)")

    class Filing(models.TextChoices):
        """Which filings need a mandatory document: the national data writes "(nếu … nộp hồ
        sơ theo hình thức trực tiếp …)" for the paper form and "(… trực tuyến)" for the
        interactive e-form (docs/catalogue-import.md, document_for_paper_filing)."""

        ANY = "any", _("Any filing")
        PAPER = "paper", _("In person or by post")
        ONLINE = "online", _("Online")

    version = models.ForeignKey(
        ProcedureVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="components",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # Case headings on the portal run to 1,800 characters (1.014565), so no length cap.
    case = models.TextField(_("case"), blank=True)
    name = models.TextField(_("document"))
    originals = models.PositiveSmallIntegerField(_("originals"), default=0)
    copies = models.PositiveSmallIntegerField(_("copies"), default=0)
    is_mandatory = models.BooleanField(_("mandatory"), default=True)
    form_files = models.JSONField(_("form templates"), default=list, blank=True)
    form_file = models.FileField(_("downloadable form"), upload_to="forms/", blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.DOCUMENT)
    filing = models.CharField(
        _("required for"), max_length=8, choices=Filing.choices, default=Filing.ANY
    )

    class Meta:
        verbose_name = _("component")
        verbose_name_plural = _("components")
        ordering = ["version", "order", "id"]

    def __str__(self) -> str:
        return self.name[:80]

    def required_for(self, channel: str) -> bool:
        """Must a dossier filed through `channel` (Channel) hold this document?"""
        if not self.is_mandatory or self.kind != self.Kind.DOCUMENT:
            return False
        if self.filing == self.Filing.ANY:
            return True
        online = channel == Channel.ONLINE
        return online == (self.filing == self.Filing.ONLINE)

    @property
    def required_at_counter(self) -> bool:
        return self.required_for(Channel.IN_PERSON)


class Fee(models.Model):
    """A fee or charge (phí, lệ phí) and when it is collected (receipt, supplement, return)."""

    class ChargedAt(models.TextChoices):
        RECEIPT = "receipt", _("At receipt")
        SUPPLEMENT = "supplement", _("At supplement")
        RETURN = "return", _("At return of result")

    version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="fees"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("fee"), max_length=255)
    amount = models.DecimalField(
        _("amount (VND)"),
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    rule = models.TextField(_("rule, when not a fixed amount"), blank=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, blank=True)
    charged_at = models.CharField(
        _("charged"), max_length=16, choices=ChargedAt.choices, default=ChargedAt.RECEIPT
    )

    class Meta:
        verbose_name = _("fee")
        verbose_name_plural = _("fees")
        ordering = ["version", "order", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.amount is None and not self.rule.strip():
            raise ValidationError(_("Give an amount or describe the rule."))


class ProcessStep(models.Model):
    """One step of the internal process (quy trình nội bộ, Circular 01/2018 art. 8)."""

    version = models.ForeignKey(
        ProcedureVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="steps",
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("step"), max_length=255)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the agency that received the dossier."),
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    budget_hours = models.DecimalField(
        _("working hours allowed"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    is_inter_agency = models.BooleanField(_("inter-agency step"), default=False)

    class Meta:
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="step_order_unique")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"

    def clean(self) -> None:
        if self.department_id and self.agency_id and self.department.agency_id != self.agency_id:
            raise ValidationError(
                {"department": _("The department must belong to the step's agency.")}
            )
