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
from motcua.reports.scope import GroupBy, Level, Scope

from .period_forms import PeriodForm, period_choices, period_defaults

SCOPE_FIELDS = ["agency", "department", "field", "procedure", "level", "group_by"]


def defaults(today: date) -> dict[str, str]:
    """The page without parameters: this quarter, every agency of the user, by agency."""
    return {**period_defaults(today, "quarter"), "group_by": GroupBy.AGENCY}


class DepartmentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Department) -> str:
        return f"{obj.name} — {obj.agency.name}"


class ReportForm(PeriodForm):
    period = forms.ChoiceField(
        label=_("Period"),
        choices=period_choices("month", "quarter", "half", "nine", "year", "dates"),
    )
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

    max_days = 5 * 366
    too_long = _("Choose a period of at most five years.")

    def __init__(self, data, *, allowed: set[int] | None, today: date):
        super().__init__(data, today=today, defaults=defaults(today))
        self.allowed = allowed
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

    def check_scope(self, data: dict) -> None:
        department, agency = data.get("department"), data.get("agency")
        if department and agency and department.agency_id != agency.pk:
            self.add_error("department", _("This department is not part of the chosen agency."))

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
