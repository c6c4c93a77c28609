"""Schemas of the feedback API (/api/v1/feedback/...): the register of feedback and
complaints for staff, the signed-in citizen's own items, and the ratings' aggregates."""

import re
from datetime import date
from typing import TYPE_CHECKING, Annotated

from ninja import Field, Schema
from pydantic import BeforeValidator

from motcua.feedback.models import Channel, Feedback
from motcua.feedback.satisfaction import By

from .dossiers import LocalTime
from .naming import renamed

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: object) -> object:
    """A day as YYYY-MM-DD only (pydantic would also read a number as a timestamp)."""
    if isinstance(value, str) and not ISO_DAY.fullmatch(value):
        raise ValueError("a day is written YYYY-MM-DD")
    return value


IsoDay = Annotated[date, BeforeValidator(_iso_day)]

if TYPE_CHECKING:  # the same values, under the names the OpenAPI document gives them
    FeedbackState = Feedback.State
    FeedbackSubject = Feedback.Subject
    FeedbackClassification = Feedback.Classification
    FeedbackSource = Feedback.Source
    FeedbackVerdict = Feedback.Verdict
    RatingGroupBy = By
    RatingChannel = Channel
else:
    FeedbackState = renamed(Feedback.State, "FeedbackState")
    FeedbackSubject = renamed(Feedback.Subject, "FeedbackSubject")
    FeedbackClassification = renamed(Feedback.Classification, "FeedbackClassification")
    FeedbackSource = renamed(Feedback.Source, "FeedbackSource")
    FeedbackVerdict = renamed(Feedback.Verdict, "FeedbackVerdict")
    RatingGroupBy = renamed(By, "RatingGroupBy")
    RatingChannel = renamed(Channel, "RatingChannel")


class FeedbackFilters(Schema):
    state: FeedbackState | None = Field(None, description="Only items in this state.")
    overdue: bool | None = Field(
        None, description="true: only items past the deadline running now; false: the others."
    )
    received_from: IsoDay | None = Field(
        None, alias="from", description="Received on or after this local day."
    )
    received_to: IsoDay | None = Field(
        None, alias="to", description="Received on or before this local day."
    )
    agency: str | None = Field(
        None,
        max_length=35,
        description="Agency code: items it received or handles (one you may read).",
    )


class FeedbackDeadlinesOut(Schema):
    """Each limit of QĐ 766/QĐ-TTg figure 5.2 and Decree 20/2008 art. 9 (end of the working
    day it falls on), counted from the later of the sending and forwarding dates."""

    forward_by: LocalTime
    refuse_by: LocalTime
    supplement_by: LocalTime
    handle_by: LocalTime
    publish_by: LocalTime | None
    running: LocalTime | None = Field(
        description="The deadline running now: handling until the answer is approved, then "
        "publication; none while the sender is asked for a supplement or once closed."
    )
    overdue: bool = Field(description="The deadline running now has passed.")
    missed: list[str] = Field(
        description="Limits already missed: refuse, supplement, forward, handle, publish."
    )


class FeedbackItemOut(Schema):
    """An item of the register, without the sender's personal data."""

    reference: str
    state: FeedbackState
    source: FeedbackSource
    subject: FeedbackSubject
    classification: FeedbackClassification | None
    title: str
    receiving_agency: str = Field(description="Code of the agency that received it.")
    handling_agency: str = Field(description="Code of the agency handling it.")
    received_at: LocalTime
    answered_at: LocalTime | None
    approved_at: LocalTime | None
    published_at: LocalTime | None
    refused_at: LocalTime | None
    verdict: FeedbackVerdict | None = Field(
        description="Founded or not (the agency at fault), given with the answer to an item "
        "about a procedure or a dossier (Circular 01/2018 indicator 7)."
    )
    sender_liked: bool | None = Field(description="The sender's opinion of the answer.")
    deadlines: FeedbackDeadlinesOut


class FeedbackPageOut(Schema):
    count: int
    page: int
    page_size: int
    results: list[FeedbackItemOut]


class FeedbackSenderOut(Schema):
    """Personal data (Decree 20/2008 art. 7): shown only to the staff who may read the item."""

    name: str
    address: str
    phone: str
    email: str


class FeedbackEventOut(Schema):
    action: str = Field(description="The audit event, e.g. feedback.classify.")
    at: LocalTime
    actor: str | None = Field(
        description="User name of who did it; null: the sender or the system."
    )


class FeedbackDetailOut(FeedbackItemOut):
    body: str
    dossier: str | None = Field(description="Code of the dossier it is about.")
    follow_up_of: str | None = Field(description="Reference of the answer it sends again about.")
    sender: FeedbackSenderOut
    officer: str | None = Field(description="User name of the officer concerned.")
    handler: str | None = Field(description="User name of the officer handling it.")
    refusal_reason: str
    supplement_note: str
    supplement_text: str
    answer: str
    public_title: str
    public_body: str
    public_answer: str
    history: list[FeedbackEventOut]


class FeedbackIn(Schema):
    """What a signed-in citizen sends (Decree 20/2008 art. 7: in Vietnamese, with the
    sender's name, address and phone). Files are sent through the portal's form."""

    subject: FeedbackSubject
    title: str = Field(..., max_length=200)
    body: str = Field(..., max_length=5000)
    address: str = Field(..., max_length=500)
    phone: str | None = Field(
        None, max_length=20, description="Default: the phone of the citizen's account."
    )
    name: str | None = Field(
        None, max_length=200, description="Default: the name of the citizen's account."
    )
    email: str | None = Field(None, max_length=254)
    agency: str | None = Field(
        None,
        max_length=35,
        description="Code of the agency it is sent to; default: the one-stop centre, or the "
        "agency that received the dossier named.",
    )
    dossier: str | None = Field(
        None, max_length=40, description="Code of one of the citizen's own dossiers."
    )
    follow_up_of: str | None = Field(
        None,
        max_length=32,
        description="Reference of one of the citizen's published items it sends again about.",
    )


class MyFeedbackOut(Schema):
    """One of the signed-in citizen's own items."""

    reference: str
    state: FeedbackState
    subject: FeedbackSubject
    title: str
    body: str
    dossier: str | None
    agency: str = Field(description="Name of the agency handling it.")
    received_at: LocalTime
    handle_by: LocalTime = Field(description="Handled within 15 working days by then.")
    supplement_asked: str = Field(description="What the agency asks the sender to add.")
    refusal_reason: str
    answer: str = Field(description="The answer, once published.")
    published_at: LocalTime | None
    liked: bool | None = Field(description="Your opinion of the answer.")


class MyFeedbackPageOut(Schema):
    count: int
    page: int
    page_size: int
    results: list[MyFeedbackOut]


class RatingFilters(Schema):
    date_from: IsoDay = Field(..., alias="from", description="Ratings given from this local day.")
    date_to: IsoDay = Field(..., alias="to", description="Up to this local day (included).")
    group_by: RatingGroupBy = Field(By.UNIT, description="One row per group.")
    channel: RatingChannel | None = Field(None, description="Only ratings of this channel.")
    agency: str | None = Field(
        None, max_length=35, description="Agency code: dossiers it received or resolves."
    )


class RatingLevelsOut(Schema):
    very_satisfied: int
    satisfied: int
    acceptable: int
    dissatisfied: int


class RatingRowOut(Schema):
    key: str | None = Field(
        description="The group: agency code, user name, counter, procedure code or month "
        "(YYYY-MM); null for the total or an unknown group."
    )
    label: str
    ratings: int
    levels: RatingLevelsOut
    satisfied_percent: str | None = Field(
        description="Very satisfied + satisfied ÷ ratings, in percent with two decimals "
        '(a string, e.g. "87.50"); null without ratings.'
    )
    likes: int
    dislikes: int


class RatingPeriodOut(Schema):
    first: date
    last: date


class RatingSummaryOut(Schema):
    period: RatingPeriodOut
    group_by: RatingGroupBy
    channel: RatingChannel | None
    agencies: list[str] | None = Field(description="Codes of the agencies; null: every agency.")
    rows: list[RatingRowOut]
    total: RatingRowOut
