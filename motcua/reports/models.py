"""Running tallies of the statistics (see facts.py and tallies.py).

Keys are plain integers, not foreign keys: the tables are written on every lifecycle change
and must stay narrow (no extra index per key); department 0 means none. Rows are never
edited by hand; `rebuild_tallies` recomputes them from the dossiers.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .facts import COLUMNS, STOCKS
from .quality_points import KEY_COLUMNS, LINK_COLUMNS, OFFICER_COLUMNS


class TallyKey(models.Model):
    receiving = models.IntegerField()
    competent = models.IntegerField()
    department = models.IntegerField(default=0)
    procedure = models.IntegerField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.receiving}/{self.competent}/{self.department}/{self.procedure}"


def _counts(names) -> dict[str, models.Field]:
    return {name: models.IntegerField(default=0) for name in names}


class Flows(TallyKey):
    locals().update(_counts(COLUMNS))

    class Meta:
        abstract = True


class DayTally(Flows):
    """Points per local day and key."""

    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "competent", "receiving", "department", "procedure"],
                name="one_day_tally_per_key",
            )
        ]


class MonthTally(Flows):
    """Points per month (its first day) and key."""

    month = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "competent", "receiving", "department", "procedure"],
                name="one_month_tally_per_key",
            )
        ]


class MonthStock(TallyKey):
    """Dossiers open, overdue and waiting for a supplement at the start of a month (all
    points dated before it), for the keys where one is not zero."""

    month = models.DateField()
    locals().update(_counts(STOCKS))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "competent", "receiving", "department", "procedure"],
                name="one_month_stock_per_key",
            )
        ]


class StockMonth(models.Model):
    """The months whose MonthStock rows are kept up to date."""

    month = models.DateField(unique=True)

    def __str__(self) -> str:
        return self.month.isoformat()


# --- The quality indicators' tallies (quality_points.py, quality_tallies.py) -----------------


def _unique(name: str, *fields: str) -> list[models.BaseConstraint]:
    return [models.UniqueConstraint(fields=list(fields), name=name)]


KEYED = ("competent", "receiving", "department", "procedure")


class QualityFlows(TallyKey):
    locals().update(_counts(c for c in KEY_COLUMNS if c != "work_seconds"))
    work_seconds = models.BigIntegerField(default=0)

    class Meta:
        abstract = True


class QualityDay(QualityFlows):
    """Quality points per local day and key."""

    day = models.DateField()

    class Meta:
        constraints = _unique("one_quality_day_per_key", "day", *KEYED)


class QualityMonth(QualityFlows):
    """Quality points per month (its first day) and key."""

    month = models.DateField()

    class Meta:
        constraints = _unique("one_quality_month_per_key", "month", *KEYED)


class OnlineLate(TallyKey):
    """Online dossiers late at the end of any day from `late_from` on, by the day received."""

    received = models.DateField()
    late_from = models.DateField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = _unique("one_online_late_per_key", "received", *KEYED, "late_from")


class OfficerFlows(TallyKey):
    user = models.IntegerField()
    agency = models.IntegerField()
    locals().update(_counts(OFFICER_COLUMNS))

    class Meta:
        abstract = True


class OfficerDay(OfficerFlows):
    """Officers' points per local day, officer, agency of the step and key."""

    day = models.DateField()

    class Meta:
        constraints = _unique("one_officer_day_per_key", "day", "user", "agency", *KEYED)


class OfficerMonth(OfficerFlows):
    """Officers' points per month, officer, agency of the step and key."""

    month = models.DateField()

    class Meta:
        constraints = _unique("one_officer_month_per_key", "month", "user", "agency", *KEYED)


class OfficerLink(TallyKey):
    """Links between consecutive days of an officer's steps on one dossier (quality_points)."""

    start = models.DateField()
    end = models.DateField()
    user = models.IntegerField()
    locals().update(_counts(LINK_COLUMNS))

    class Meta:
        constraints = _unique("one_officer_link_per_key", "start", "end", "user", *KEYED)


class Appraisal(models.Model):
    """The appraised score (điểm thẩm định) of one Circular 01/2018 indicator for one unit
    and period, entered by a supervisor of an agency above the unit (reports/appraisal.py),
    shown beside the self-score the system computes. Changed only through
    `appraisal.save_scores`, which audits every change."""

    agency = models.ForeignKey(
        "organisations.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    first = models.DateField(_("first day"))
    last = models.DateField(_("last day"))
    indicator = models.PositiveSmallIntegerField(_("indicator"))
    score = models.DecimalField(_("appraised score"), max_digits=2, decimal_places=1)
    note = models.CharField(_("note"), max_length=500, blank=True)
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("appraised by"),
    )
    appraised_at = models.DateTimeField(_("appraised at"))

    class Meta:
        verbose_name = _("appraised score")
        verbose_name_plural = _("appraised scores")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "first", "last", "indicator"], name="one_appraisal_per_indicator"
            ),
            models.CheckConstraint(
                condition=models.Q(indicator__gte=1, indicator__lte=9),
                name="appraisal_indicator_1_to_9",
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=2), name="appraisal_score_0_to_2"
            ),
            models.CheckConstraint(
                condition=models.Q(first__lte=models.F("last")), name="appraisal_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.first}–{self.last} #{self.indicator}: {self.score}"
