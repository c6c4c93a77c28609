"""The GET form of the statistics pages: a period (a preset of the year or two dates, day
first) and a scope within the agencies the staff member may report on. Parsing only: the
figures are motcua.reports'."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalogue.models import Field, Procedure
from motcua.organisations.models import Agency, Department
from motcua.reports import drilldown
from motcua.reports import figures as f
from motcua.reports.scope import GroupBy, Level, Period, Scope, month_end, quarter

MAX_DAYS = 5 * 366
FIRST_YEAR = 2000


PERIODS = [
    ("month", _("Month")),
    ("quarter", _("Quarter")),
    ("half", _("First 6 months")),
    ("nine", _("First 9 months")),
    ("year", _("Year")),
    ("dates", _("From – to")),
]
PERIOD_FIELDS = ["period", "year", "month", "quarter", "date_from", "date_to"]
SCOPE_FIELDS = ["agency", "department", "field", "procedure", "level", "group_by"]
MONTHS = [(n, str(n)) for n in range(1, 13)]
QUARTERS = [(n, str(n)) for n in range(1, 5)]


def preset_period(kind: str, year: int, month: int, number: int) -> Period:
    if kind == "month":
        first = date(year, month, 1)
        return Period(first, month_end(first))
    if kind == "quarter":
        return quarter(year, number)
    last_month = {"half": 6, "nine": 9, "year": 12}[kind]
    return Period(date(year, 1, 1), month_end(date(year, last_month, 1)))


def defaults(today: date) -> dict[str, str]:
    """The page without parameters: this quarter, every agency of the user, by agency."""
    return {
        "period": "quarter",
        "year": str(today.year),
        "month": str(today.month),
        "quarter": str((today.month - 1) // 3 + 1),
        "group_by": GroupBy.AGENCY,
    }


class DepartmentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Department) -> str:
        return f"{obj.name} — {obj.agency.name}"


class ReportForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=PERIODS)
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=2199)
    month = forms.TypedChoiceField(label=_("Month"), choices=MONTHS, coerce=int)
    quarter = forms.TypedChoiceField(label=_("Quarter"), choices=QUARTERS, coerce=int)
    date_from = forms.DateField(label=_("From (dd/mm/yyyy)"), required=False)
    date_to = forms.DateField(label=_("To (dd/mm/yyyy)"), required=False)
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.none(), required=False
    )
    department = DepartmentChoice(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    field = forms.ModelChoiceField(label=_("Field"), queryset=Field.objects.none(), required=False)
    procedure = forms.CharField(label=_("Procedure code"), max_length=48, required=False)
    level = forms.ChoiceField(
        label=_("Level"), choices=[("", _("All levels")), *Level.choices], required=False
    )
    group_by = forms.ChoiceField(label=_("Rows by"), choices=GroupBy.choices, required=False)

    def __init__(self, data, *, allowed: set[int] | None, today: date):
        given = data.dict() if hasattr(data, "dict") else dict(data)
        super().__init__({**defaults(today), **given})
        self.allowed, self.today = allowed, today
        agencies = (
            Agency.objects.all() if allowed is None else Agency.objects.filter(pk__in=allowed)
        )
        self.fields["agency"].queryset = agencies.order_by("code")
        departments = Department.objects.select_related("agency").order_by("agency__code", "name")
        if allowed is not None:
            departments = departments.filter(agency_id__in=allowed)
        self.fields["department"].queryset = departments
        self.fields["field"].queryset = Field.objects.order_by("name")
        self.procedure_obj: Procedure | None = None

    def clean_procedure(self) -> str:
        code = (self.cleaned_data.get("procedure") or "").split(maxsplit=1)
        if not code:
            return ""
        found = Procedure.objects.filter(code=code[0]).only("pk", "code", "name").first()
        if found is None:
            raise forms.ValidationError(_("No procedure has this code."), code="unknown")
        self.procedure_obj = found
        return found.code

    def clean(self):
        data = super().clean()
        department, agency = data.get("department"), data.get("agency")
        if department and agency and department.agency_id != agency.pk:
            self.add_error("department", _("This department is not part of the chosen agency."))
        if data.get("period") == "dates":
            self._check_dates(data)
        if not self.errors and self.chosen_period().first > self.today:
            raise forms.ValidationError(_("This period has not started yet."), code="future")
        return data

    def _check_dates(self, data) -> None:
        start, end = data.get("date_from"), data.get("date_to")
        for name, value in (("date_from", start), ("date_to", end)):
            if value is None and name not in self.errors:
                self.add_error(name, _("Enter a date as dd/mm/yyyy."))
            elif value is not None and value.year < FIRST_YEAR:
                self.add_error(name, _("Choose a date from the year 2000 on."))
                return
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        elif start and end and (end - start).days > MAX_DAYS:
            self.add_error("date_to", _("Choose a period of at most five years."))

    def full_period(self) -> Period:
        data = self.cleaned_data
        if data["period"] == "dates":
            return Period(data["date_from"], data["date_to"])
        return preset_period(data["period"], data["year"], data["month"], data["quarter"])

    def chosen_period(self) -> Period:
        """The chosen period, up to today: figures of days to come would count every open
        dossier due before the period end as overdue."""
        full = self.full_period()
        return Period(full.first, max(full.first, min(full.last, self.today)))

    def is_cut(self) -> bool:
        return self.chosen_period().last < self.full_period().last

    def chosen_scope(self) -> Scope:
        data = self.cleaned_data
        agency = data.get("agency")
        chosen = Scope(
            frozenset({agency.pk}) if agency else None,
            getattr(data.get("department"), "pk", None),
            getattr(data.get("field"), "pk", None),
            getattr(self.procedure_obj, "pk", None),
            data.get("level") or None,
        )
        return chosen.restricted_to(self.allowed)

    def period_fields(self) -> list:
        return [self[name] for name in PERIOD_FIELDS]

    def scope_fields(self) -> list:
        return [self[name] for name in SCOPE_FIELDS]

    @property
    def grouping(self) -> str:
        return self.cleaned_data.get("group_by") or ""


class DrilldownForm(ReportForm):
    """The report's parameters, the figure, and the row (group and its key)."""

    figure = forms.ChoiceField(label=_("Figure"), choices=list(f.LABELS.items()))
    key = forms.CharField(required=False)

    def clean(self):
        data = super().clean()
        raw = data.get("key") or ""
        data["row"] = None
        if raw and not self.errors:
            try:
                data["row"] = drilldown.parse_key(self.grouping, raw)
                drilldown.row_period(self.chosen_period(), self.grouping, data["row"])
            except ValueError:
                raise forms.ValidationError(_("This row does not exist."), code="row") from None
        elif not raw:
            data["group_by"] = ""  # the total row
        return data

    @property
    def row(self) -> object:
        return self.cleaned_data.get("row")
