"""Dossiers (hồ sơ) and everything that happens to them.

Status changes go through services.py only; the event log is append-only and written in the
same transaction as the change it records (style.md principle 5).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalogue.models import ApplicantType, Channel, Component, Procedure, ProcedureVersion
from motcua.organisations.models import Agency, Department, ReceptionPoint
from motcua.organisations.roles import Role

from .identity import IdentityType
from .status import FINAL, OPEN, Action, Status


class DailySequence(models.Model):
    """Last dossier number given by an agency on a day (Circular 01/2018 art. 19: the code
    ends with the sequence number of the dossier that day)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="one_sequence_per_agency_day")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}: {self.last_value}"


class DossierQuerySet(models.QuerySet):
    def open(self) -> "DossierQuerySet":
        return self.filter(status__in=OPEN)

    def overdue(self, now=None) -> "DossierQuerySet":
        """Open with the appointment's day over (the on-time rule, timeleft)."""
        from .timeleft import overdue_before  # timeleft reads these models

        return self.open().filter(due_at__lt=overdue_before(now or timezone.now()))

    def for_agencies(self, agency_ids) -> "DossierQuerySet":
        if agency_ids is None:
            return self
        return self.filter(
            models.Q(receiving_agency__in=agency_ids) | models.Q(competent_agency__in=agency_ids)
        )


class Dossier(models.Model):
    class Outcome(models.TextChoices):
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")

    code = models.CharField(_("dossier code"), max_length=64, unique=True)
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.PROTECT, related_name="+"
    )
    procedure_version = models.ForeignKey(
        ProcedureVersion,
        verbose_name=_("procedure version"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    receiving_agency = models.ForeignKey(
        Agency,
        verbose_name=_("receiving agency"),
        on_delete=models.PROTECT,
        related_name="received_dossiers",
    )
    competent_agency = models.ForeignKey(
        Agency,
        verbose_name=_("competent agency"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("processing department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The competent agency's department of the first processing step."),
    )
    reception_point = models.ForeignKey(
        ReceptionPoint,
        verbose_name=_("reception point"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    status = models.PositiveSmallIntegerField(_("status"), choices=Status.choices)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)

    outcome_note = models.TextField(_("reasons or note on the result"), blank=True)
    clock_paused_at = models.DateTimeField(_("clock paused since"), null=True, blank=True)
    returned_method = models.CharField(
        _("returned"), max_length=16, choices=Channel.choices, blank=True
    )
    collected_by_name = models.CharField(_("collected by"), max_length=255, blank=True)
    collected_by_id_number = models.CharField(_("collector's ID number"), max_length=20, blank=True)

    applicant_type = models.CharField(
        _("applicant type"), max_length=24, choices=ApplicantType.choices
    )
    applicant_name = models.CharField(_("applicant"), max_length=255)
    digitised_before_import = models.BooleanField(
        _("digitised in the system it came from"),
        default=False,
        help_text=_(
            "History only: the older system recorded the dossier as digitised (QĐ 766 figure "
            "4.2 counts it with the dossiers whose documents were scanned here)."
        ),
    )
    applicant_id_type = models.CharField(
        _("identity document"),
        max_length=16,
        choices=IdentityType.choices,
        default=IdentityType.PERSONAL_ID,
        help_text=_("What the number is: it is checked by its type's rule (dossiers.identity)."),
    )
    applicant_id_number = models.CharField(
        _("ID number or tax code"), max_length=20, blank=True, db_index=True
    )
    applicant_phone = models.CharField(_("phone"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("e-mail"), blank=True)
    applicant_address = models.CharField(_("address"), max_length=500, blank=True)
    subject = models.CharField(_("subject"), max_length=500, blank=True)
    sets = models.PositiveSmallIntegerField(_("number of sets"), default=1)
    # Filed online: the answers to the version's e-form (catalogue.eforms), and how the
    # applicant asked to receive the result (at the counter, by post, online).
    form_data = models.JSONField(_("e-form answers"), default=dict, blank=True)
    result_delivery = models.CharField(
        _("result delivered"), max_length=16, choices=Channel.choices, blank=True
    )
    delivery_address = models.CharField(_("delivery address"), max_length=500, blank=True)
    # The portal account that filed it online (filing.services.submit): the owner of a local
    # account, whose identity number nobody verified, reaches its dossiers through it.
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed online by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    submitted_at = models.DateTimeField(_("submitted online"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), null=True, blank=True, db_index=True)
    clock_start_at = models.DateTimeField(_("time limit counted from"), null=True, blank=True)
    due_at = models.DateTimeField(_("appointment"), null=True, blank=True, db_index=True)
    original_due_at = models.DateTimeField(_("first appointment"), null=True, blank=True)
    finished_at = models.DateTimeField(_("processing ended"), null=True, blank=True)
    returned_at = models.DateTimeField(_("result returned"), null=True, blank=True)
    supplement_count = models.PositiveSmallIntegerField(_("supplement requests"), default=0)
    apology_count = models.PositiveSmallIntegerField(_("apologies"), default=0)
    # The appointment for which the deadline worker last recorded each warning: a warning is
    # recorded once per appointment, again only if the appointment moves (deadlines.py).
    due_soon_recorded_for = models.DateTimeField(null=True, blank=True, editable=False)
    apology_prompt_recorded_for = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_recorded_for = models.DateTimeField(null=True, blank=True, editable=False)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # What the statistics last counted for this dossier (reports.facts), kept in step by
    # events.record() in the same transaction; never edited by hand.
    tally = models.JSONField(default=dict, blank=True, editable=False)
    # How many changes the dossier has had: a page or an API client sends back the version it
    # saw, and an action prepared against an older one is refused (preconditions.py).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["competent_agency", "status"]),
            # The counter's queues (to receive, to hand over, results to return) by status at
            # the receiving agency: without it SQLite read all of a centre's dossiers, ~70,000
            # at a million, 0.18 s for each queue (bench pages).
            models.Index(fields=["receiving_agency", "status"]),
            models.Index(fields=["status", "due_at"]),
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs):
        """A lifecycle service saves `updated_at` with every change it makes (the deadline
        worker's reminders and the statistics' bookkeeping do not): the version goes up by
        one in the same UPDATE. Services lock the row first (flow.lock), so the increment
        cannot be lost to a concurrent change."""
        fields = kwargs.get("update_fields")
        if fields is not None and "updated_at" in fields and "version" not in fields:
            self.version += 1
            kwargs["update_fields"] = [*fields, "version"]
        return super().save(*args, **kwargs)

    @property
    def is_closed(self) -> bool:
        return self.status in FINAL

    def is_overdue(self, now=None) -> bool:
        if self.due_at is None:
            return False
        from .timeleft import Verdict, is_overdue, judge  # timeleft reads these models

        if self.status in OPEN:
            return is_overdue(self.due_at, now or timezone.now())
        return self.finished_at is not None and judge(self.finished_at, self.due_at) == Verdict.LATE


class DossierComponent(models.Model):
    """What was handed in against one item of the procedure's checklist."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="components")
    component = models.ForeignKey(
        Component, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.TextField(_("document"))
    originals = models.PositiveSmallIntegerField(_("originals"), default=0)
    certified_copies = models.PositiveSmallIntegerField(_("certified copies"), default=0)
    copies = models.PositiveSmallIntegerField(_("copies"), default=0)
    is_digitised = models.BooleanField(_("digitised"), default=False)

    class Meta:
        ordering = ["dossier", "id"]

    def __str__(self) -> str:
        return self.name[:80]


class DossierStep(models.Model):
    """One step of the dossier's processing, planned from the pinned process template."""

    class State(models.TextChoices):
        PENDING = "pending", _("Not started")
        ACTIVE = "active", _("In progress")
        DONE = "done", _("Done")
        SENT_BACK = "sent_back", _("Sent back")
        CANCELLED = "cancelled", _("Cancelled")  # the dossier ended before the step ran

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("step"), max_length=255)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossier_steps",
    )
    budget_hours = models.DecimalField(_("working hours allowed"), max_digits=7, decimal_places=2)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    started_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["dossier", "order", "id"]
        indexes = [
            models.Index(fields=["assignee", "state"]),
            models.Index(fields=["agency", "state"]),
            # "Has this dossier a step at one of these agencies?" (the queues' visible
            # dossiers): one probe per dossier, where SQLite would otherwise scan every step
            # of the agency for each dossier (seconds with a million dossiers; decision 0010).
            models.Index(fields=["dossier", "agency"]),
        ]

    def __str__(self) -> str:
        return f"{self.dossier.code} {self.order}. {self.name}"


class DossierEvent(models.Model):
    """Append-only history of a dossier: who did what, when, and the status before/after."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=48, choices=Action.choices)
    from_status = models.PositiveSmallIntegerField(null=True, blank=True, choices=Status.choices)
    to_status = models.PositiveSmallIntegerField(choices=Status.choices)
    step = models.ForeignKey(
        DossierStep, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["dossier", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.action} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def title(self) -> str:
        """What happened, in words. A leader's step completed is an approval and signature
        (processing.approve records `approved`), not "a step completed"."""
        if self.action == Action.COMPLETE_STEP and self.data.get("approved"):
            return str(_("Approved and signed"))
        return self.get_action_display()


class SupplementRequest(models.Model):
    """A written request to supplement after appraisal (Decree 61/2018 art. 19.4; Mẫu 02)."""

    class Clock(models.TextChoices):
        RESTART = "restart", _("Time limit restarts on receipt of the supplement")
        PAUSE = "pause", _("Time limit pauses while waiting")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="supplements")
    step = models.ForeignKey(
        DossierStep, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    items = models.JSONField(_("documents to supplement"), default=list)
    clock = models.CharField(_("clock policy"), max_length=16, choices=Clock.choices)
    due_before = models.DateTimeField(_("appointment before the request"), null=True, blank=True)
    answered_at = models.DateTimeField(_("supplement received"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_after = models.DateTimeField(_("appointment after the supplement"), null=True, blank=True)

    class Meta:
        ordering = ["dossier", "requested_at"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.requested_at:%Y-%m-%d}"


class Apology(models.Model):
    """Apology and new appointment (Decree 61/2018 art. 19.9; Circular 01/2018 Mẫu 04):
    at most once per dossier."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="apology")
    created_at = models.DateTimeField(_("issued"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason for the delay"))
    responsible_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    previous_due_at = models.DateTimeField(_("previous appointment"))
    new_due_at = models.DateTimeField(_("new appointment"))
    issued_on_time = models.BooleanField(
        _("issued at least one working day before the deadline"), default=True
    )

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.new_due_at:%Y-%m-%d}"


class Consultation(models.Model):
    """A request for another agency's opinion, with its deadline (Decree 61/2018 art. 19.5)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="consultations")
    step = models.ForeignKey(
        DossierStep, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    content = models.TextField(_("question"))
    requested_at = models.DateTimeField(_("requested"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    deadline_at = models.DateTimeField(_("answer due"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answer = models.TextField(_("answer"), blank=True)

    class Meta:
        ordering = ["dossier", "requested_at"]

    def __str__(self) -> str:
        return f"{self.dossier_id} → {self.to_agency_id}"

    @property
    def due_at(self):
        """The answer deadline, under the name the work queues read (queues.py)."""
        return self.deadline_at

    @property
    def late(self) -> bool:
        """Answered after its deadline, or unanswered past it (art. 19.5 escalates it)."""
        return (self.answered_at or timezone.now()) > self.deadline_at


class FinancialObligation(models.Model):
    """Taxes or fees the applicant must pay before processing continues (status 6)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="obligations")
    description = models.TextField(_("obligation"))
    amount = models.DecimalField(
        _("amount (VND)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    requested_at = models.DateTimeField(_("requested"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    fulfilled_at = models.DateTimeField(_("fulfilled"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["dossier", "requested_at"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.amount}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    """Files live under the dossier's code, named by their content hash (no user input in
    paths)."""
    return f"dossiers/{instance.dossier.code}/{instance.sha256}{instance.extension}"


class Attachment(models.Model):
    """A scanned document or a result file (Decree 118/2025 art. 17(1)(c): paper is
    digitised at receipt; Decree 61/2018 art. 20: results are stored for reuse). Stored
    through Django's storage API outside the static root; served only after a permission
    check."""

    class Kind(models.TextChoices):
        SCAN = "scan", _("Scanned document")
        RESULT = "result", _("Result file")
        OPINION = "opinion", _("Consulted agency's answer")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="attachments")
    component = models.ForeignKey(
        DossierComponent,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
    )
    consultation = models.ForeignKey(
        Consultation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
        help_text=_("The consultation whose answer the file belongs to."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    extension = models.CharField(max_length=8)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["dossier", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class IdempotencyKey(models.Model):
    """A request that creates a dossier (or attaches a file) under the key its client chose:
    a retry with the same key, after a dropped connection or a double submit, answers what
    the first request answered instead of creating again (idempotency.py). Written in the
    same transaction as what it created; kept `idempotency.KEPT_FOR`."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    # sha256 of what was asked (door, path and body): the same key for another request is
    # refused rather than answered with the first result.
    fingerprint = models.CharField(max_length=64)
    dossier = models.ForeignKey(
        Dossier, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_idempotency_key_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key}"
