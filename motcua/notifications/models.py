"""Notices to applicants (Decree 224/2026 art. 15): the texts per event and language (data,
edited in the admin), what was sent to whom through which channel, and each person's
preferences (docs/notifications.md)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    """What a notice tells; several dossier actions may share one (events.NOTICES)."""

    RECEIVED = "received", _("Dossier received")
    NOT_RECEIVED = "not_received", _("Dossier not received")
    SUPPLEMENT = "supplement", _("Supplement requested")
    APOLOGY = "apology", _("Apology and new appointment")
    RESULT_READY = "result_ready", _("Result ready")
    RETURNED = "returned", _("Result returned")


class Channel(models.TextChoices):
    CONSOLE = "console", _("Console (development)")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    ZALO = "zalo", _("Zalo ZNS")


class NoticeTemplate(models.Model):
    """The words of one event's notice in one language, for every channel. Django template
    syntax; the variables are listed in docs/notifications.md ({{ code }}, {{ agency }}...).
    A Zalo ZNS notice is a template approved by Zalo: here only its id and how its
    parameters are filled."""

    event = models.CharField(_("event"), max_length=32, choices=Event.choices)
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("e-mail subject"), max_length=255)
    body = models.TextField(_("e-mail and console text"))
    sms = models.TextField(
        _("SMS text"),
        blank=True,
        help_text=_("Keep it short: without diacritics, 160 characters are one SMS."),
    )
    zalo_template_id = models.CharField(_("Zalo ZNS template id"), max_length=64, blank=True)
    zalo_params = models.JSONField(
        _("Zalo ZNS parameters"),
        default=dict,
        blank=True,
        help_text=_(
            'The template\'s parameters and the variables filling them, e.g. {"ma_ho_so": "code"}.'
        ),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("notice template")
        verbose_name_plural = _("notice templates")
        ordering = ["event", "language"]
        constraints = [
            models.UniqueConstraint(fields=["event", "language"], name="one_template_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} ({self.language})"

    def clean(self) -> None:
        """A text that does not compile would fail every notice of its event: refused here."""
        from django.template import Engine, TemplateSyntaxError

        errors = {}
        for name in ("subject", "body", "sms"):
            try:
                Engine(autoescape=False).from_string(getattr(self, name))
            except TemplateSyntaxError as error:
                errors[name] = str(error)
        if errors:
            raise ValidationError(errors)


class Notification(models.Model):
    """One notice of one dossier event through one channel: the record that makes a second
    delivery of its outbox message send nothing (unique per event and channel)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting (retried)")
        SENT = "sent", _("Sent")
        REFUSED = "refused", _("Refused by the provider")
        SKIPPED = "skipped", _("Not sent")

    event = models.ForeignKey(
        "dossiers.DossierEvent", on_delete=models.CASCADE, related_name="+", verbose_name=_("event")
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="+", verbose_name=_("dossier")
    )
    notice = models.CharField(_("notice"), max_length=32, choices=Event.choices)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    recipient = models.CharField(_("recipient"), max_length=254, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    reason = models.CharField(_("why not sent"), max_length=255, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    text = models.TextField(_("text"), blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    provider_reference = models.CharField(_("provider's reference"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "channel"], name="one_notice_per_channel")
        ]
        indexes = [models.Index(fields=["state", "channel"], name="notification_state_idx")]

    def __str__(self) -> str:
        return f"{self.get_notice_display()} → {self.get_channel_display()}"


class ContactPreference(models.Model):
    """A person's wishes, keyed by the address notices go to (a phone number as 84…, or an
    e-mail address in lower case): the channels they accept, their language, or no notice
    at all. Without a row, every configured channel is used, in Vietnamese."""

    address = models.CharField(_("phone or e-mail"), max_length=254, unique=True)
    email = models.BooleanField(_("by e-mail"), default=True)
    sms = models.BooleanField(_("by SMS"), default=True)
    zalo = models.BooleanField(_("by Zalo"), default=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    opted_out_at = models.DateTimeField(_("no notices since"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("contact preference")
        verbose_name_plural = _("contact preferences")

    def __str__(self) -> str:
        return self.address

    def accepts(self, channel: str) -> bool:
        if self.opted_out_at is not None:
            return False
        return bool(getattr(self, channel, True))
