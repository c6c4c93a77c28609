"""The citizen's voice: ratings of the service a dossier received (Decree 61/2018 arts.
27-32, Circular 01/2018 art. 12) and the register of feedback and complaints (phản ánh, kiến
nghị; Decree 20/2008/NĐ-CP) with the deadlines of QĐ 766/QĐ-TTg figure 5.2."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalogue.models import ProcedureVersion
from motcua.dossiers.models import Dossier
from motcua.organisations.models import Agency


class Channel(models.TextChoices):
    """Where a rating was given (Decree 61/2018 art. 28: questionnaires, electronic rating
    devices at the counter, online rating)."""

    DEVICE = "device", _("Counter rating device")
    PORTAL = "portal", _("Online portal")
    KIOSK = "kiosk", _("Lookup kiosk")
    NOTICE_LINK = "notice_link", _("Link in a notice")
    PAPER = "paper", _("Paper questionnaire")


class Level(models.IntegerChoices):
    """The four-level scale of the questionnaires (domain.md §7.1): Rất hài lòng, Hài lòng,
    Bình thường, Không hài lòng."""

    VERY_SATISFIED = 4, _("Very satisfied")
    SATISFIED = 3, _("Satisfied")
    ACCEPTABLE = 2, _("Acceptable")
    DISSATISFIED = 1, _("Dissatisfied")


class Criterion(models.TextChoices):
    """The applicant's criteria of Decree 61/2018 art. 31.1 (the last, "other", is the
    comment)."""

    TIME = "time", _("Time taken against the legal time limit")
    AGENCIES = "agencies", _("Number of agencies contacted")
    CONTACTS = "contacts", _("Number of trips to the receiving point")
    INFORMATION = "information", _("Accuracy of the published information")
    ATTITUDE = "attitude", _("Attitude of the officers")
    LAWFULNESS = "lawfulness", _("Lawfulness of the result and of the costs")
    COMPLAINTS = "complaints", _("Quality and timeliness of answers to complaints")
    ONLINE = "online", _("Quality of the online service")


class RatingQuerySet(models.QuerySet):
    def disliked(self) -> "RatingQuerySet":
        """A dislike: the thumb down, or "dissatisfied" when no thumb was given."""
        return self.filter(
            models.Q(liked=False) | models.Q(liked__isnull=True, level=Level.DISSATISFIED)
        )


class Rating(models.Model):
    """One applicant's rating of the service a dossier received, on one channel."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="ratings"
    )
    channel = models.CharField(_("rating channel"), max_length=16, choices=Channel.choices)
    level = models.PositiveSmallIntegerField(_("overall"), choices=Level.choices)
    liked = models.BooleanField(_("like"), null=True, blank=True)
    criteria = models.JSONField(_("criteria scores"), default=dict, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    procedure_version = models.ForeignKey(
        ProcedureVersion,
        verbose_name=_("procedure version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    counter_code = models.CharField(_("counter"), max_length=32, blank=True)
    ticket_number = models.CharField(_("ticket"), max_length=32, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("given at"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed at"), default=timezone.now)
    editable_until = models.DateTimeField(_("editable until"))

    objects = RatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "channel"], name="feedback_one_rating_per_channel"
            ),
        ]
        indexes = [models.Index(fields=["created_at"], name="feedback_rating_created")]

    def __str__(self) -> str:
        return f"{self.dossier_id}/{self.channel}: {self.level}"

    @property
    def is_dislike(self) -> bool:
        return self.liked is False or (self.liked is None and self.level == Level.DISSATISFIED)


class Feedback(models.Model):
    """One item of the register of feedback and complaints (sổ tiếp nhận phản ánh, kiến
    nghị; Decree 20/2008/NĐ-CP art. 9)."""

    class Subject(models.TextChoices):
        RULE = "rule", _("An administrative rule")
        PROCEDURE = "procedure", _("An administrative procedure")
        BEHAVIOUR = "behaviour", _("An officer's behaviour")
        DOSSIER = "dossier", _("The handling of a dossier")

    class Classification(models.TextChoices):
        """QĐ 766 figure 5.1's categories."""

        POLICY = "policy", _("Policy or rule")
        PROCEDURE = "procedure", _("Administrative procedure")
        STAFF_BEHAVIOUR = "staff_behaviour", _("Staff behaviour")
        OTHER = "other", _("Other")

    class Source(models.TextChoices):
        """Decree 20/2008 art. 6: in writing (letter, e-mail, portal) or by phone."""

        PORTAL = "portal", _("Online portal")
        KIOSK = "kiosk", _("Lookup kiosk")
        PHONE = "phone", _("Phone")
        LETTER = "letter", _("Letter")
        IN_PERSON = "in_person", _("In person")

    class Verdict(models.TextChoices):
        """Whether the item was founded (có căn cứ: the agency was at fault), given with the
        answer to an item about a procedure or a dossier (Circular 01/2018 indicator 7)."""

        FOUNDED = "founded", _("Founded")
        PARTLY = "partly", _("Partly founded")
        NOT_FOUNDED = "not_founded", _("Not founded")

    class State(models.TextChoices):
        RECEIVED = "received", _("Received")
        CLASSIFIED = "classified", _("Classified")
        REFUSED = "refused", _("Refused")
        FORWARDED = "forwarded", _("Forwarded to the competent agency")
        SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplement asked of the sender")
        HANDLING = "handling", _("Being handled")
        ANSWERED = "answered", _("Answered, awaiting approval")
        AWAITING_PUBLICATION = "awaiting_publication", _("Approved, awaiting publication")
        PUBLISHED = "published", _("Answer published")

    reference = models.CharField(_("reference"), max_length=32, unique=True, null=True)
    # The sending form's one-time token: a double submit finds the item it already made.
    token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    source = models.CharField(_("received through"), max_length=16, choices=Source.choices)
    agency = models.ForeignKey(
        Agency, verbose_name=_("receiving agency"), on_delete=models.PROTECT, related_name="+"
    )
    handling_agency = models.ForeignKey(
        Agency, verbose_name=_("handling agency"), on_delete=models.PROTECT, related_name="+"
    )
    sender_name = models.CharField(_("full name"), max_length=200)
    sender_address = models.CharField(_("address"), max_length=500)
    sender_phone = models.CharField(_("phone"), max_length=20)
    sender_email = models.EmailField(_("e-mail"), blank=True)
    sender_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sender's account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subject = models.CharField(_("about"), max_length=16, choices=Subject.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("content"))
    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("dossier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    follow_up_of = models.ForeignKey(
        "self",
        verbose_name=_("sent again about"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    classification = models.CharField(
        _("classification"), max_length=16, choices=Classification.choices, blank=True
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer concerned"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=24, choices=State.choices, default=State.RECEIVED
    )
    received_at = models.DateTimeField(_("received at"))
    clock_started_at = models.DateTimeField(_("deadlines counted from"))
    forward_due_at = models.DateTimeField(_("forward by"))
    refuse_due_at = models.DateTimeField(_("refuse by"))
    supplement_due_at = models.DateTimeField(_("ask a supplement by"))
    handle_due_at = models.DateTimeField(_("handle by"))
    publish_due_at = models.DateTimeField(_("publish by"), null=True, blank=True)
    classified_at = models.DateTimeField(_("classified at"), null=True, blank=True)
    refused_at = models.DateTimeField(_("refused at"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("forwarded at"), null=True, blank=True)
    supplement_requested_at = models.DateTimeField(_("supplement asked at"), null=True, blank=True)
    supplement_received_at = models.DateTimeField(
        _("supplement received at"), null=True, blank=True
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    supplement_note = models.TextField(_("supplement asked"), blank=True)
    supplement_text = models.TextField(_("supplement given"), blank=True)
    answer = models.TextField(_("answer"), blank=True)
    verdict = models.CharField(
        _("founded?"), max_length=16, choices=Verdict.choices, blank=True, default=""
    )
    public_title = models.CharField(_("published title"), max_length=200, blank=True)
    public_body = models.TextField(_("published content"), blank=True)
    public_answer = models.TextField(_("published answer"), blank=True)
    sender_liked = models.BooleanField(_("sender's opinion of the answer"), null=True)
    reacted_at = models.DateTimeField(_("opinion given at"), null=True, blank=True)
    notified_at = models.DateTimeField(_("sender notified at"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("feedback or complaint")
        verbose_name_plural = _("feedback and complaints")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "handle_due_at"], name="feedback_state_due"),
            models.Index(fields=["received_at"], name="feedback_received"),
            models.Index(fields=["answered_at"], name="feedback_answered"),
        ]

    def __str__(self) -> str:
        return self.reference or f"#{self.pk}"

    @property
    def needs_verdict(self) -> bool:
        """An item about a procedure or a dossier is judged founded or not when answered
        (Circular 01/2018 indicator 7: a founded complaint)."""
        return (
            self.subject in (self.Subject.PROCEDURE, self.Subject.DOSSIER)
            or self.dossier_id is not None
            or self.classification == self.Classification.PROCEDURE
        )

    @property
    def is_founded(self) -> bool:
        """Founded or partly founded: the agency was at fault, wholly or in part."""
        return self.verdict in (self.Verdict.FOUNDED, self.Verdict.PARTLY)


class FeedbackFile(models.Model):
    """A file sent with a feedback item (checked by its content as dossier files are)."""

    feedback = models.ForeignKey(
        Feedback, verbose_name=_("feedback"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("file"), upload_to="feedback/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=64)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("feedback file")
        verbose_name_plural = _("feedback files")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name
