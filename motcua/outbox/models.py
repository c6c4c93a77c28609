from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """Something that must happen after a committed change, written in the change's own
    transaction and delivered at least once by the worker (decision record 0009).

    A message is *pending* until a worker leases it; a leased message whose lease runs out
    (its worker died) is taken again; a delivery that fails is retried after a backoff
    (`available_at`), and after MOTCUA_OUTBOX_MAX_ATTEMPTS it is *dead* with its last error
    until an administrator retries it. `key` is unique: a second enqueue with the same key is
    ignored, and consumers use it to ignore a second delivery."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        LEASED = "leased", _("Being delivered")
        DELIVERED = "delivered", _("Delivered")
        DEAD = "dead", _("Failed (dead letter)")

    topic = models.CharField(_("topic"), max_length=100)
    key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # When it may be taken: now, after a backoff, or when its lease runs out.
    available_at = models.DateTimeField(_("available at"))
    leased_until = models.DateTimeField(_("leased until"), null=True, blank=True)
    leased_by = models.CharField(_("leased by"), max_length=64, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-id"]
        indexes = [
            # The worker's claim: messages due, oldest first; delivered ones are not indexed.
            models.Index(
                fields=["available_at", "id"],
                condition=Q(state__in=["pending", "leased"]),
                name="outbox_due_idx",
            ),
            models.Index(fields=["state", "topic"], name="outbox_state_topic_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} {self.key}"


class PeriodicJob(models.Model):
    """When a periodic job (outbox.schedule) is next due. Shared by every worker: the one
    that moves `next_run_at` forward enqueues the run, so a job runs once per period however
    many workers there are."""

    name = models.CharField(_("job"), max_length=100, unique=True)
    next_run_at = models.DateTimeField(_("next run"))
    last_enqueued_at = models.DateTimeField(_("last enqueued"), null=True, blank=True)

    class Meta:
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")

    def __str__(self) -> str:
        return self.name
