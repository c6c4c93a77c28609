"""Schemas of the staff dossier API (/api/v1/dossiers)."""

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Literal

from django.utils import timezone
from ninja import Field, Schema
from pydantic import AfterValidator, AwareDatetime, PlainSerializer

from motcua.catalogue.models import ApplicantType
from motcua.dossiers.identity import IdentityType

# Moments are written in Vietnam's local time with their offset, like the workdays API.
LocalTime = Annotated[
    datetime, PlainSerializer(lambda value: timezone.localtime(value).isoformat())
]
# Moments read: the working-day calendar covers these years (api/workdays.py).
FIRST_YEAR, LAST_YEAR = 1990, 2100


def _in_calendar(moment: datetime) -> datetime:
    # The year as written first: a moment at the edge of year 1 or 9999 cannot be converted.
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValueError(f"the year must be between {FIRST_YEAR} and {LAST_YEAR}")
    return moment.astimezone(UTC)


# A moment sent to the API must carry its offset: the same text could name two moments
# otherwise (the workdays API refuses it too). Django's forms read a moment typed without
# one in Vietnam's time, as people at the office mean it; programs must say it.
Moment = Annotated[
    AwareDatetime,
    AfterValidator(_in_calendar),
    Field(
        description="ISO 8601 with its offset, e.g. 2026-03-20T17:00:00+07:00; a moment "
        "without one is refused (422), as are years before 1990 or after 2100."
    ),
]


class IdentityDocument(StrEnum):
    """The documents a new applicant identifies with (dossiers.applicants.COUNTER_TYPES)."""

    PERSONAL_ID = IdentityType.PERSONAL_ID.value
    PASSPORT = IdentityType.PASSPORT.value
    TAX_CODE = IdentityType.TAX_CODE.value


class ApplicantIn(Schema):
    type: ApplicantType = ApplicantType.CITIZEN
    name: str = Field(..., max_length=255)
    id_type: IdentityDocument | None = Field(
        None,
        description="The document the number is from; by default the one the applicant type "
        "usually shows (citizen: personal_id, foreigner: passport, the others: tax_code). A "
        "citizen may give a passport; a document the type does not use is 400 "
        "invalid_id_type.",
    )
    id_number: str = Field(
        ...,
        max_length=20,
        description="Checked by the structure of its document: personal_id, the 12-digit "
        "personal identity number (province code, century and sex, year of birth, serial); "
        "passport, 6 to 9 letters and digits; tax_code, 10 digits with its check digit, or "
        "10 digits, a dash and a 3-digit branch. A refusal is 400 with code "
        "invalid_citizen_id, invalid_passport or invalid_tax_code and a message naming what "
        "is wrong.",
    )
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=500)


class HandedInIn(Schema):
    component_id: int | None = Field(None, description="Checklist item id (procedure API)")
    name: str = Field("", max_length=2000, description="Required for an extra document")
    originals: int = Field(0, ge=0, le=99)
    certified_copies: int = Field(0, ge=0, le=99)
    copies: int = Field(0, ge=0, le=99)
    digitised: bool = False


class MissingIn(Schema):
    component_id: int | None = None
    name: str = Field(..., max_length=2000)
    reason: str = Field(..., max_length=2000)


class IntakeIn(Schema):
    procedure: str = Field(..., max_length=48, description="Procedure code, e.g. 1.001193")
    agency: str = Field(..., max_length=35, description="Receiving agency code")
    competent_agency: str | None = Field(None, max_length=35)
    applicant: ApplicantIn
    handed_in: list[HandedInIn] = Field(default_factory=list, max_length=200)
    subject: str = Field("", max_length=500)
    sets: int = Field(1, ge=1, le=99)


class CounterIntakeIn(IntakeIn):
    channel: Literal["in_person", "postal"] = Field(
        "in_person", description="Online dossiers arrive through POST /dossiers/online"
    )
    outcome: str = Field("receive", pattern="^(receive|supplement|refuse)$")
    missing: list[MissingIn] = Field(default_factory=list, max_length=200)
    refusal_reasons: str = Field("", max_length=4000)


class ReasonsIn(Schema):
    reasons: str = Field(..., max_length=4000)


class MissingListIn(Schema):
    missing: list[MissingIn] = Field(..., max_length=200)


class DossierSummary(Schema):
    code: str
    procedure: str = Field(..., alias="procedure.code")
    procedure_name: str = Field(..., alias="procedure_version.name")
    status: int
    status_label: str = Field(..., alias="get_status_display")
    channel: str
    receiving_agency: str = Field(..., alias="receiving_agency.code")
    competent_agency: str = Field(..., alias="competent_agency.code")
    applicant_name: str
    received_at: LocalTime | None
    due_at: LocalTime | None
    finished_at: LocalTime | None
    returned_at: LocalTime | None
    version: int = Field(
        ..., description="Counts the dossier's changes; send it back as `expected_version`"
    )


class DossierStepOut(Schema):
    id: int = Field(..., description="Send it as `step` with an action on the step in progress")
    order: int
    name: str
    role: str
    agency: str = Field(..., alias="agency.code")
    state: str
    started_at: LocalTime | None
    due_at: LocalTime | None
    finished_at: LocalTime | None


class DossierComponentOut(Schema):
    """A document handed in, against an item of the procedure's checklist or extra."""

    id: int = Field(..., description="Send it as `component_id` with a scan of the document")
    component_id: int | None = Field(..., description="The checklist item; null: extra")
    name: str
    originals: int
    certified_copies: int
    copies: int
    is_digitised: bool


class EventOut(Schema):
    created_at: LocalTime
    action: str
    from_status: int | None
    to_status: int
    actor: str | None = Field(None, alias="actor.username")
    note: str
    data: dict


class DossierDetail(DossierSummary):
    procedure_version: int = Field(..., alias="procedure_version.number")
    outcome: str
    subject: str
    sets: int
    applicant_type: str
    applicant_id_type: str
    applicant_id_number: str
    applicant_phone: str
    applicant_email: str
    applicant_address: str
    submitted_at: LocalTime | None
    clock_start_at: LocalTime | None
    original_due_at: LocalTime | None
    components: list[DossierComponentOut] = Field(..., alias="components_list")
    steps: list[DossierStepOut] = Field(..., alias="steps_list")
    events: list[EventOut] = Field(..., alias="events_list")
    available_actions: list[str] = Field(
        ...,
        alias="available_actions_list",
        description=(
            "What the caller may do now (the permission policy): the `<action>` of each "
            "POST /api/v1/dossiers/{code}/<action> it may send"
        ),
    )


class DossierPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[DossierSummary]
