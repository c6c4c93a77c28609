"""Schemas of the reports API (/api/v1/reports/bieu-06)."""

from datetime import date

from ninja import Field, Schema

from motcua.reports.scope import GroupBy, Level

from .naming import renamed

ResolvingLevel = renamed(Level, "ResolvingLevel")


class Bieu06Filters(Schema):
    date_from: date = Field(
        ..., alias="from", description="First day of the period (local day, included)."
    )
    date_to: date = Field(
        ..., alias="to", description="Last day of the period (local day, included)."
    )
    agency: str | None = Field(
        None,
        max_length=35,
        description="Agency identifier code, e.g. H42.12: dossiers received by or resolved "
        "at it. Without it, every agency the caller may report on.",
    )
    department: int | None = Field(None, description="Department id: dossiers it processed.")
    field: str | None = Field(None, max_length=64, description="Field code, e.g. ho-tich.")
    procedure: str | None = Field(None, max_length=48, description="Procedure code.")
    level: ResolvingLevel | None = Field(None, description="Level of the resolving agency.")
    group_by: GroupBy = Field(GroupBy.NONE, description="One row per group; empty: total only.")


class ReportPeriodOut(Schema):
    first: date
    last: date
    name: str = Field(
        description="The period as the form names it, e.g. Quý I năm 2026; "
        "empty when it is not a month, quarter, 6 or 9 months or a year."
    )


class ReportScopeOut(Schema):
    agencies: list[str] | None = Field(
        description="Codes of the agencies reported on; null: every agency."
    )
    department: int | None
    field: str | None
    procedure: str | None
    level: ResolvingLevel | None


class ReportFiguresOut(Schema):
    """Numbers of dossiers; the columns (3) to (13) of Biểu 06 and the figures beside it."""

    received: int = Field(description="(3) Received: carried over + received this period.")
    received_online: int = Field(description="(4) Received online this period.")
    received_in_person: int = Field(description="(5) Received in person or by post.")
    received_by_post: int = Field(
        description="Received by post this period (beside the form; part of (5))."
    )
    carried_over: int = Field(description="(6) Carried over from the previous period.")
    resolved: int = Field(description="(7) Resolved: early + on time + late.")
    early: int = Field(description="(8) Resolved early.")
    on_time: int = Field(description="(9) Resolved on time.")
    late: int = Field(description="(10) Resolved late.")
    in_progress: int = Field(description="(11) In progress at the end of the period.")
    in_time: int = Field(description="(12) In progress, not yet due.")
    overdue: int = Field(description="(13) In progress, overdue.")
    waiting_supplement: int = Field(description="Waiting for a supplement at the end.")
    withdrawn: int
    stopped: int
    refused: int = Field(description="Refused after appraisal.")
    not_received: int = Field(description="Refused at reception.")
    apologised: int
    returned_by_post: int = Field(description="Results returned by post.")


class ReportRatesOut(Schema):
    on_time_rate: float | None = Field(
        description="Percentage of the resolved dossiers resolved early or on time."
    )
    online_share: float | None = Field(
        description="Percentage of the dossiers received this period that came online."
    )


class ReportRowOut(Schema):
    key: int | str | None = Field(
        description="The group: an id (agency, department, field, procedure), a level, the "
        "first day of a month; null for the total."
    )
    label: str
    figures: ReportFiguresOut
    rates: ReportRatesOut


class FigureLabelOut(Schema):
    key: str
    label: str
    in_form: bool = Field(description="A column of the official Biểu 06.")


class Bieu06Out(Schema):
    period: ReportPeriodOut
    scope: ReportScopeOut
    group_by: GroupBy
    how_counted: str = Field(description="The counting rules, one paragraph per line.")
    figure_labels: list[FigureLabelOut]
    rows: list[ReportRowOut]
    total: ReportRowOut
