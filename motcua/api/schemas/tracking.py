"""Schemas of the public tracking API (/api/v1/tracking/{code}) and the error body."""

from datetime import datetime

from ninja import Schema


class ErrorDetail(Schema):
    code: str
    message: str


class ErrorOut(Schema):
    error: ErrorDetail


class ProcedureRef(Schema):
    code: str
    name: str


class StatusOut(Schema):
    code: int
    label: str


class ProgressOut(Schema):
    received_at: datetime | None
    steps_done: int
    steps_total: int
    is_resolved: bool
    is_returned: bool
    is_closed: bool


class MilestoneOut(Schema):
    kind: str
    label: str
    at: datetime


class HandlerOut(Schema):
    agency: str
    department: str | None


class ApologyOut(Schema):
    issued_at: datetime
    previous_appointment_at: datetime
    new_appointment_at: datetime


class DetailsOut(Schema):
    applicant: str
    current_step: str | None
    handled_by: HandlerOut | None
    appointment_at: datetime | None
    apology: ApologyOut | None
    result_ready: bool
    collect_at: str | None


class TrackingOut(Schema):
    code: str
    procedure: ProcedureRef
    status: StatusOut
    progress: ProgressOut
    milestones: list[MilestoneOut]
    details: DetailsOut | None
