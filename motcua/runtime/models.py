from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """The last time a background worker finished a round, so that /healthz can tell a worker
    that stopped from one that has nothing to do."""

    name = models.CharField(_("worker"), max_length=64, unique=True)
    last_run_at = models.DateTimeField(_("last run"))
    host = models.CharField(_("host"), max_length=128, blank=True)
    pid = models.PositiveIntegerField(_("process id"), default=0)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.name
