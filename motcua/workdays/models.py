from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import public_holidays


class CalendarOverride(models.Model):
    """A local change to the package's holiday calendar for one date: an extra day off, a
    weekend day made a working day, or a package holiday cancelled (a working day on it).

    Changed only through `services.set_override` / `services.remove_override`, which audit.
    `updated_at` is part of the calendar's cache stamp (see `loader.get_calendar`).
    """

    class Kind(models.TextChoices):
        DAY_OFF = public_holidays.DAY_OFF, _("Day off")
        WORKING_DAY = public_holidays.WORKING_DAY, _("Working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"
