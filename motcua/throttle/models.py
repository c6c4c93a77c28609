"""Attempt counters kept in the database, so that every app process sees the same counts
(architecture.md §6: no in-memory state shared between requests)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AttemptCounter(models.Model):
    """Attempts counted under `key` in the fixed window that ends at `expires_at`.

    `expires_at` has no index on purpose: every counted attempt rewrites it, and an index
    on it would be rewritten too (a second page per attempt on SQLite; no heap-only
    updates on PostgreSQL), while the only reader of it by range is pruning, now and then,
    over a table that holds one row per client or code seen within a window."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    count = models.PositiveIntegerField(_("attempts"), default=0)
    expires_at = models.DateTimeField(_("window ends"))

    class Meta:
        verbose_name = _("attempt counter")
        verbose_name_plural = _("attempt counters")

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
