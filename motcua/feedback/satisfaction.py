"""The satisfaction report: ratings given in a period, per officer, counter, procedure, unit
or month (Decree 61/2018 art. 32: results are published and used to assess units and
staff), with the share satisfied (very satisfied or satisfied) that a centre announces each
quarter. Read-only; an Excel copy through the formula-safe writer."""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from motcua.catalogue.models import Procedure
from motcua.organisations.models import Agency
from motcua.spreadsheets import write_only_cells

from .models import Level, Rating


class By(models.TextChoices):
    OFFICER = "officer", gettext_lazy("Officer")
    COUNTER = "counter", gettext_lazy("Counter")
    PROCEDURE = "procedure", gettext_lazy("Procedure")
    UNIT = "unit", gettext_lazy("Unit")
    MONTH = "month", gettext_lazy("Month")


KEYS = {
    By.OFFICER: "officer_id",
    By.COUNTER: "counter_code",
    By.PROCEDURE: "dossier__procedure_id",
    By.UNIT: "dossier__receiving_agency_id",
    By.MONTH: "month",
}
HUNDRED = Decimal(100)


@dataclass
class Row:
    key: object
    label: str
    levels: dict[int, int] = field(default_factory=dict)
    likes: int = 0
    dislikes: int = 0

    @property
    def total(self) -> int:
        return sum(self.levels.values())

    @property
    def satisfied(self) -> int:
        return self.levels.get(Level.VERY_SATISFIED, 0) + self.levels.get(Level.SATISFIED, 0)

    @property
    def satisfied_percent(self) -> Decimal | None:
        if not self.total:
            return None
        return (HUNDRED * self.satisfied / self.total).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def level_counts(self) -> list[int]:
        return [self.levels.get(value, 0) for value in Level.values]


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def ratings_in(first: date, after: date, agency_ids: set[int] | None, channel: str = ""):
    found = Rating.objects.filter(created_at__gte=_moment(first), created_at__lt=_moment(after))
    if agency_ids is not None:
        ids = list(agency_ids)
        found = found.filter(
            Q(dossier__receiving_agency_id__in=ids) | Q(dossier__competent_agency_id__in=ids)
        )
    if channel:
        found = found.filter(channel=channel)
    return found


def _labels(by: str, keys: set) -> dict:
    keys.discard(None)
    if by == By.OFFICER:
        users = get_user_model().objects.in_bulk(list(keys))
        return {k: (u.get_full_name() or u.get_username()) for k, u in users.items()}
    if by == By.PROCEDURE:
        return dict(Procedure.objects.filter(pk__in=keys).values_list("pk", "name"))
    if by == By.UNIT:
        return dict(Agency.objects.filter(pk__in=keys).values_list("pk", "name"))
    if by == By.MONTH:
        return {k: timezone.localtime(k).strftime("%m/%Y") if k else "" for k in keys}
    return {k: k for k in keys}


def build(ratings, by: str) -> tuple[list[Row], Row]:
    """(rows per group, the total) of `ratings`."""
    key = KEYS[By(by)]
    if by == By.MONTH:
        ratings = ratings.annotate(month=TruncMonth("created_at"))
    counted = ratings.values(key, "level").annotate(
        n=Count("pk"),
        likes=Count("pk", filter=Q(liked=True)),
        dislikes=Count("pk", filter=Q(liked=False)),
    )
    rows: dict[object, Row] = {}
    total = Row(None, _("Total"))
    for values in counted:
        row = rows.setdefault(values[key], Row(values[key], ""))
        for target in (row, total):
            target.levels[values["level"]] = target.levels.get(values["level"], 0) + values["n"]
            target.likes += values["likes"]
            target.dislikes += values["dislikes"]
    labels = _labels(by, set(rows))
    unknown = _("Not known")
    for row in rows.values():
        row.label = str(labels.get(row.key) or unknown)
    ordered = sorted(rows.values(), key=lambda r: (r.key is None, r.label))
    return ordered, total


def workbook(rows: list[Row], total: Row, title: str) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Satisfaction")[:31])
    sheet.append(write_only_cells(sheet, [title]))
    header = [_("Group"), _("Ratings"), *[str(label) for _v, label in Level.choices]]
    header += [_("Satisfied (%)"), _("Likes"), _("Dislikes")]
    sheet.append(write_only_cells(sheet, header))
    for row in [*rows, total]:
        percent = row.satisfied_percent
        values = [row.label, row.total, *row.level_counts]
        values += [float(percent) if percent is not None else None, row.likes, row.dislikes]
        sheet.append(write_only_cells(sheet, values))
    out = BytesIO()
    book.save(out)
    return out.getvalue()
