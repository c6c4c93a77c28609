"""Schemas of the catalogue API (/api/v1/procedures)."""

from datetime import datetime
from typing import Any

from django.urls import reverse
from ninja import Field, Schema

from motcua.catalogue.models import (
    Channel,
    Fee,
    Level,
    OnlineLevel,
    Procedure,
    ProcedureVersion,
    TimeUnit,
)
from motcua.organisations.roles import Role

from .naming import renamed
from .paging import PageFilters

QUERY_MAX_LENGTH = 200
VersionStatus = renamed(ProcedureVersion.Status, "VersionStatus")


class ProcedureFilters(PageFilters):
    q: str = Field(
        "",
        max_length=QUERY_MAX_LENGTH,
        description="Words to find, accents and case ignored; every word must match. "
        "Also matches the procedure code.",
    )
    agency: str | None = Field(
        None,
        max_length=35,
        description="Agency identifier code (QĐ 20/2020), e.g. H42.12: procedures it "
        "implements or maintains.",
    )
    field: str | None = Field(None, max_length=64, description="Field code, e.g. ho-tich.")
    level: Level | None = Field(None, description="Level of government.")
    online: OnlineLevel | None = Field(None, description="Online level.")


class FieldOut(Schema):
    code: str
    name: str


class AgencyOut(Schema):
    code: str
    name: str


class TimeLimitOut(Schema):
    value: float | None = Field(None, description="Number of units; null when not stated.")
    unit: TimeUnit | None = None
    text: str = Field("", description="The time limit as published.")


def time_limit_of(version: ProcedureVersion | None) -> TimeLimitOut:
    if version is None:
        return TimeLimitOut()
    return TimeLimitOut(
        value=version.time_limit_value,
        unit=version.time_limit_unit or None,
        text=version.time_limit_text,
    )


class ProcedureSummary(Schema):
    code: str
    name: str
    field: FieldOut | None
    levels: list[Level]
    online_level: OnlineLevel
    time_limit: TimeLimitOut
    url: str = Field(description="Path of the public page.")

    @staticmethod
    def resolve_levels(procedure: Procedure) -> list[str]:
        return procedure.levels_index.split()

    @staticmethod
    def resolve_time_limit(procedure: Procedure) -> TimeLimitOut:
        return time_limit_of(procedure.current_version)

    @staticmethod
    def resolve_url(procedure: Procedure) -> str:
        return reverse("catalogue:detail", args=[procedure.code])


class ProcedurePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ProcedureSummary]


class ComponentOut(Schema):
    id: int = Field(description="Send it as `component_id` with a document handed in.")
    order: int
    case: str
    name: str
    originals: int
    copies: int
    is_mandatory: bool
    form_files: list[Any]
    kind: str = Field(description="`document` to hand in, or `note`: guidance only.")
    filing: str = Field(
        description="When a mandatory document is required: `any` filing, `paper` (in person "
        "or by post) or `online`."
    )


class FeeOut(Schema):
    name: str
    amount: int | None = Field(description="In VND; null when the rule text applies.")
    rule: str
    channel: Channel | None = Field(description="null: every channel.")
    charged_at: Fee.ChargedAt

    @staticmethod
    def resolve_channel(fee: Fee) -> str | None:
        return fee.channel or None


class ProcedureStepOut(Schema):
    order: int
    name: str
    role: Role
    agency: AgencyOut | None
    budget_hours: float = Field(description="Working hours allowed for the step.")
    is_inter_agency: bool


class VersionOut(Schema):
    number: int
    status: VersionStatus
    published_at: datetime | None
    is_current: bool


class ProcedureDetail(Schema):
    """One version of a procedure with everything Decree 63/2010 art. 8.2 asks to publish."""

    code: str
    name: str
    version: VersionOut
    field: FieldOut
    procedure_type: str
    publishing_agency: str
    decision_number: str
    levels: list[Level]
    applicant_types: list[str]
    target_subjects: str
    implementing_agency_text: str
    implementing_agencies: list[AgencyOut]
    competent_authority_text: str
    deciding_agency: AgencyOut | None
    coordinating_agency_text: str
    receiving_address: str
    channels: list[Channel]
    online_level: OnlineLevel
    boundary_independent: bool
    time_limit: TimeLimitOut
    channel_time_limits: list[Any]
    components: list[ComponentOut]
    fees: list[FeeOut]
    fees_text: str
    documents_note: str
    requirements: str
    steps_text: str
    result: str
    results: list[Any]
    legal_basis: list[Any]
    legal_basis_text: str
    steps: list[ProcedureStepOut] = Field(description="Internal process template, if defined.")

    @staticmethod
    def resolve_code(version: ProcedureVersion) -> str:
        return version.procedure.code

    @staticmethod
    def resolve_version(version: ProcedureVersion) -> VersionOut:
        return VersionOut(
            number=version.number,
            status=version.status,
            published_at=version.published_at,
            is_current=version.pk == version.procedure.current_version_id,
        )

    @staticmethod
    def resolve_time_limit(version: ProcedureVersion) -> TimeLimitOut:
        return time_limit_of(version)

    @staticmethod
    def resolve_implementing_agencies(version: ProcedureVersion) -> list:
        return list(version.implementing_agencies.all())

    @staticmethod
    def resolve_components(version: ProcedureVersion) -> list:
        return list(version.components.all())

    @staticmethod
    def resolve_fees(version: ProcedureVersion) -> list:
        return list(version.fees.all())

    @staticmethod
    def resolve_steps(version: ProcedureVersion) -> list:
        return list(version.steps.all())
