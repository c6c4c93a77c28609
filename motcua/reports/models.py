"""Running tallies of the statistics (see facts.py and tallies.py).

Keys are plain integers, not foreign keys: the tables are written on every lifecycle change
and must stay narrow (no extra index per key); department 0 means none. Rows are never
edited by hand; `rebuild_tallies` recomputes them from the dossiers.
"""

from django.db import models

from .facts import COLUMNS, STOCKS


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
