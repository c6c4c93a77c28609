"""Today's work for the demo staff: dossiers received and moved through the real services
(intake, processing, supplements, delays, results) at moments of the last working days, so
that every queue of the "my work" page holds something, with appointments, events and
statistics exactly as the services make them.

Each case names a procedure of the demo catalogue, the team that handles it, and how far it
has gone (`Stage`). Its actions are spread over the working days from its receipt to the
last working day before today; each runs with the clock set to its moment (time-machine),
so nothing happens in the future. Cases due soon have their receipt day chosen so that the
appointment falls on the next working day that has not closed yet (today if it is worked).
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import IntEnum

import time_machine
from django.contrib.auth import get_user_model
from django.utils import timezone

from motcua.catalogue.models import Channel, Procedure, ProcedureVersion
from motcua.dossiers.applicants import Applicant
from motcua.dossiers.consultations import request_consultation
from motcua.dossiers.delays import apologise
from motcua.dossiers.intake import (
    HandedIn,
    Intake,
    Missing,
    receive_dossier,
    receive_submitted,
    request_supplement_at_reception,
    submit_online,
)
from motcua.dossiers.models import Dossier
from motcua.dossiers.processing import approve, assign_step, complete_step, hand_over
from motcua.dossiers.results import mark_result_ready
from motcua.dossiers.supplements import request_supplement
from motcua.organisations.actors import SYSTEM
from motcua.organisations.models import Agency, ReceptionPoint
from motcua.workdays.calendar import WorkCalendar
from motcua.workdays.loader import get_calendar

from .applicants import People


class Stage(IntEnum):
    """How far a case goes; each stage includes the ones before it."""

    GUIDED = 0  # incomplete at the counter: guided to supplement (Mẫu 02), not received
    SUBMITTED = 1  # online, waiting for a clerk
    RECEIVED = 2  # waiting to be handed over
    HANDED_OVER = 3  # the head's step (deciding who appraises) waits
    TRIAGED = 4  # the appraisal step waits for an officer
    ASSIGNED = 5  # the officer appraises
    APPRAISED = 6  # the leader signs
    READY = 7  # the result waits at the counter
    SUPPLEMENT = 8  # ASSIGNED, then a supplement asked of the applicant
    APOLOGY = 9  # ASSIGNED, then an apology and a new appointment, which passed too
    CONSULTED = 10  # ASSIGNED, then another agency's opinion asked (`Case.consult`)


@dataclass(frozen=True)
class Team:
    counter: str  # the receiving agency
    clerk: str
    head: str
    officer: str
    leader: str
    place: str = ""  # where its applicants live ("": anywhere in the province)


JUSTICE = Team("H42.01", "tiepnhan", "truongphong", "chuyenvien", "lanhdao")
CIVIL = Team(
    "H42.50.01",
    "tiepnhan.thanhsen",
    "phancong.thanhsen",
    "hotich.thanhsen",
    "chutich.thanhsen",
    "phường Thành Sen",
)
ECONOMY = Team(
    "H42.50.01",
    "tiepnhan.thanhsen",
    "kinhte.thanhsen",
    "kinhte.thanhsen",
    "chutich.thanhsen",
    "phường Thành Sen",
)
DUE_SOON = 0  # as `received`: the receipt day that makes the appointment fall next


@dataclass(frozen=True)
class Case:
    procedure: str  # its code in the catalogue
    team: Team
    stage: Stage
    received: int  # working days before today (1: the last one), or DUE_SOON
    at: str = "09:00"  # the time of receipt
    online: bool = False
    company: bool = False
    until: int = 1  # the working day of the last action (index as `received`)
    consult: str = ""  # CONSULTED: the agency asked, by code


# Sở Tư pháp's procedures (received at the provincial centre) and Phường Thành Sen's.
CRIMINAL_RECORD = "3.000333"  # Cấp Phiếu lý lịch tư pháp (10 days)
LAWYER = "1.002153"  # Đăng ký hành nghề luật sư với tư cách cá nhân (5 working days)
LAWYER_CERTIFICATE = "1.000828"  # Cấp Chứng chỉ hành nghề luật sư (15 working days)
AUCTIONEER = "1.003915"  # Cấp Chứng chỉ hành nghề đấu giá (10 working days)
NOTARY_CARD = "1.013830"  # Cấp lại Thẻ công chứng viên (5 working days)
BAILIFF_TRAINEE = "1.008925"  # Đăng ký tập sự hành nghề Thừa phát lại (3 working days)
BIRTH = "1.001193"  # Đăng ký khai sinh (1 working day)
MARRIAGE = "1.000894"  # Đăng ký kết hôn (1 working day)
DEATH = "1.000656"  # Đăng ký khai tử (1 working day)
MARITAL_STATUS = "1.004873"  # Cấp Giấy xác nhận tình trạng hôn nhân (3 working days)
CIVIL_EXTRACT = "2.000635"  # Cấp bản sao Trích lục hộ tịch (1 working day)
RESIDENCE = "1.004222"  # Đăng ký thường trú (7 working days)
CONSTRUCTION = "1.013234"  # Thẩm định thiết kế xây dựng (40 days)

T = Stage
CASES = [
    # The provincial centre's counter and Sở Tư pháp.
    Case(CRIMINAL_RECORD, JUSTICE, T.SUBMITTED, 1, "20:40", online=True),
    Case(CRIMINAL_RECORD, JUSTICE, T.SUBMITTED, 1, "06:55", online=True),
    Case(LAWYER_CERTIFICATE, JUSTICE, T.RECEIVED, 1, "15:40"),
    Case(AUCTIONEER, JUSTICE, T.HANDED_OVER, 1, "09:05"),
    Case(BAILIFF_TRAINEE, JUSTICE, T.HANDED_OVER, 2, "14:10"),
    Case(CRIMINAL_RECORD, JUSTICE, T.TRIAGED, 2, "08:30"),
    Case(CRIMINAL_RECORD, JUSTICE, T.ASSIGNED, 3, "08:10", online=True),
    Case(NOTARY_CARD, JUSTICE, T.ASSIGNED, DUE_SOON, "09:20"),
    Case(LAWYER_CERTIFICATE, JUSTICE, T.ASSIGNED, 4, "10:15"),
    Case(AUCTIONEER, JUSTICE, T.SUPPLEMENT, 4, "10:20"),
    Case(CRIMINAL_RECORD, JUSTICE, T.CONSULTED, 3, "09:50", consult="H42.50.01"),
    Case(CRIMINAL_RECORD, JUSTICE, T.CONSULTED, 9, "10:35", until=6, consult="H42.50.02"),
    Case(LAWYER, JUSTICE, T.APOLOGY, 10, "09:15"),
    Case(LAWYER, JUSTICE, T.APPRAISED, DUE_SOON, "08:45"),
    Case(CRIMINAL_RECORD, JUSTICE, T.APPRAISED, 5, "14:30"),
    Case(CRIMINAL_RECORD, JUSTICE, T.READY, 6, "09:40"),
    Case(NOTARY_CARD, JUSTICE, T.READY, 4, "08:50"),
    # Phường Thành Sen: civil status by the office, construction by the economic department.
    Case(BIRTH, CIVIL, T.RECEIVED, 1, "16:05"),
    Case(RESIDENCE, CIVIL, T.GUIDED, 1, "10:10"),
    Case(MARITAL_STATUS, CIVIL, T.HANDED_OVER, 1, "09:30"),
    Case(MARRIAGE, CIVIL, T.ASSIGNED, DUE_SOON, "08:20"),
    Case(DEATH, CIVIL, T.ASSIGNED, 1, "10:40"),
    Case(CIVIL_EXTRACT, CIVIL, T.APPRAISED, DUE_SOON, "08:05"),
    Case(BIRTH, CIVIL, T.READY, 2, "09:00"),
    Case(MARRIAGE, CIVIL, T.READY, 2, "14:00", online=True),
    Case(CONSTRUCTION, ECONOMY, T.HANDED_OVER, 3, "10:30", company=True),
    Case(CONSTRUCTION, ECONOMY, T.ASSIGNED, 8, "14:20", company=True),
]

SUPPLEMENT_REASON = (
    "Qua thẩm định, hồ sơ còn thiếu giấy tờ theo quy định; đề nghị ông/bà bổ sung để "
    "tiếp tục giải quyết."
)
SUPPLEMENT_DETAIL = "Bản chụp không rõ nét, không có chứng thực; nộp bản sao có chứng thực."
APOLOGY_REASON = (
    "Hồ sơ cần xác minh quá trình hành nghề của người đề nghị tại tổ chức hành nghề luật "
    "sư trước đây; Sở Tư pháp đã có văn bản đề nghị xác minh nhưng chưa nhận được trả lời."
)
CONSULTATION = (
    "Đề nghị Ủy ban nhân dân xác minh nơi cư trú và nhân thân của người yêu cầu cấp Phiếu "
    "lý lịch tư pháp (bản sao tờ khai kèm theo)."
)
CONSULTATION_DAYS = 2  # working days to answer
GUIDANCE = "Thiếu giấy tờ chứng minh chỗ ở hợp pháp; bổ sung hợp đồng thuê nhà có công chứng."
PAST_DAYS = 60  # how many past working days the schedule may reach


class Schedule:
    """Moments of the last working days (index 1: the last working day before today)."""

    def __init__(self, calendar: WorkCalendar, now: datetime):
        self.calendar, self.now = calendar, now
        today = calendar.local(now).date()
        self.days: list[date] = [today]  # index 0: today, never used for a moment
        day = today
        while len(self.days) <= PAST_DAYS:
            day -= timedelta(days=1)
            if calendar.is_working_day(day):
                self.days.append(day)
        self.index = {day: i for i, day in enumerate(self.days)}

    def at(self, index: int, clock: str) -> datetime:
        hours, minutes = map(int, clock.split(":"))
        return self.calendar.at(self.days[index], time(hours, minutes))

    def submitted(self, index: int, clock: str) -> datetime:
        """An online submission: `clock` on the calendar day before working day `index`,
        unless `clock` is an evening hour, then on that day itself."""
        moment = self.at(index, clock)
        return moment if moment.hour >= 17 else moment - timedelta(days=1)

    def next_due(self) -> date:
        """The first working day whose close of business is still to come."""
        calendar, day = self.calendar, self.days[0]
        while not calendar.is_working_day(day) or calendar.close_of(day) <= self.now:
            day += timedelta(days=1)
        return day

    def later(self, moment: datetime, index: int, order: int) -> datetime:
        """The moment of a case's `order`th action, on working day `index`: in the morning
        of a day later than `moment`, or 35 working minutes after it on the same day."""
        if self.calendar.local(moment).date() != self.days[index]:
            return self.at(index, f"08:{10 + 7 * order:02d}")
        moment += timedelta(minutes=35)
        local = self.calendar.local(moment)
        if time(11, 20) <= local.time() < time(13, 30):
            return self.calendar.at(local.date(), time(13, 40))
        return moment


class Seeder:
    def __init__(self, seed: int, now: datetime):
        self.calendar = get_calendar()
        self.schedule = Schedule(self.calendar, now)
        self.people = People(seed, self.calendar.local(now).year)
        self.rng = random.Random(seed)
        users = get_user_model().objects.all()
        self.staff = {user.username: user for user in users}
        self.agencies = {agency.code: agency for agency in Agency.objects.all()}
        self.procedures: dict[str, Procedure] = {}

    # Moments ------------------------------------------------------------------------------

    def _run(self, moment: datetime, action: Callable, *args, **kwargs):
        """`action` as if it were `moment` (which must be past)."""
        if moment >= self.schedule.now:
            raise ValueError(f"{moment} is not in the past")
        with time_machine.travel(moment, tick=False):
            return action(*args, **kwargs)

    def _procedure(self, code: str) -> Procedure:
        if code not in self.procedures:
            self.procedures[code] = Procedure.objects.select_related("current_version").get(
                code=code
            )
        return self.procedures[code]

    def _received(self, case: Case) -> int:
        """The receipt day's index: as given, or the one that makes the appointment fall on
        the next working day still open (the latest such day; the last one if none)."""
        if case.received != DUE_SOON:
            return case.received
        version = _version(self._procedure(case.procedure))
        limit, unit = version.time_limit_value, version.time_limit_unit
        assert limit is not None  # every procedure of CASES has a time limit
        target = self.schedule.next_due()
        for index in range(1, PAST_DAYS):
            moment = self.schedule.at(index, case.at)
            due = self.calendar.due_moment(moment, limit, unit, apply_cutoff=True)
            if self.calendar.local(due).date() <= target:
                return index
        return 1

    # A case -------------------------------------------------------------------------------

    def intake(self, case: Case, *, complete: bool = True) -> Intake:
        procedure = self._procedure(case.procedure)
        agency = self.agencies[case.team.counter]
        documents = _version(procedure).documents()
        if case.company:
            applicant: Applicant = self.people.company(place=case.team.place)
        else:
            applicant = self.people.citizen(place=case.team.place).applicant
        handed_in = [
            HandedIn(c.pk, originals=1, copies=int(self.rng.random() < 0.4)) for c in documents
        ]
        if not complete:
            handed_in = [h for h in handed_in if h.component_id != _mandatory(procedure)]
        point = ReceptionPoint.objects.filter(agency=agency).order_by("pk").first()
        return Intake(
            procedure,
            agency,
            applicant,
            channel=Channel.ONLINE if case.online else Channel.IN_PERSON,
            handed_in=handed_in,
            reception_point=None if case.online else point,
        )

    def seed(self, case: Case) -> Dossier:
        staff, team, schedule = self.staff, case.team, self.schedule
        index = self._received(case)
        moment = schedule.at(index, case.at)
        clerk = staff[team.clerk]
        if case.stage == Stage.GUIDED:
            intake = self.intake(case, complete=False)
            missing = [Missing(_mandatory(intake.procedure), _document(intake), GUIDANCE)]
            return self._run(
                moment, request_supplement_at_reception, intake, actor=clerk, missing=missing
            )
        intake = self.intake(case)
        if case.online:
            submitted = schedule.submitted(index, case.at)
            dossier = self._run(submitted, submit_online, intake, submitted_by=SYSTEM)
            if case.stage == Stage.SUBMITTED:
                return dossier
            self._run(moment, receive_submitted, dossier, actor=clerk)
        else:
            dossier = self._run(moment, receive_dossier, intake, actor=clerk)
        actions = self._actions(case, dossier)
        last = case.until
        if case.stage == Stage.APOLOGY:
            dossier.refresh_from_db()
            last = schedule.index[self._due_day(dossier)] + 3
        for order, action in enumerate(actions, start=1):
            span = max(0, index - last)
            day = index - (order * span) // len(actions)
            moment = schedule.later(moment, day, order)
            action(moment)
        if case.stage == Stage.APOLOGY:
            self._apologise(dossier)
        return dossier

    def _actions(self, case: Case, dossier: Dossier) -> list[Callable[[datetime], object]]:
        """The case's actions after receipt, in order, each taking its moment."""
        staff, team = self.staff, case.team
        clerk, head, officer = staff[team.clerk], staff[team.head], staff[team.officer]
        leader = staff[team.leader]
        stage = min(case.stage, Stage.ASSIGNED) if case.stage > Stage.READY else case.stage
        steps: list[Callable[[datetime], object]] = []

        def add(action: Callable, *args, **kwargs) -> None:
            steps.append(lambda moment: self._run(moment, action, dossier, *args, **kwargs))

        if stage >= Stage.HANDED_OVER:
            add(hand_over, actor=clerk)
        if stage >= Stage.TRIAGED:
            add(complete_step, actor=head, note="Giao chuyên viên thẩm định theo quy trình nội bộ.")
        if stage >= Stage.ASSIGNED:
            add(assign_step, actor=head, assignee=officer)
        if stage >= Stage.APPRAISED:
            add(complete_step, actor=officer, note="Hồ sơ đủ điều kiện; trình ký kết quả.")
        if stage >= Stage.READY:
            add(approve, actor=leader)
            add(mark_result_ready, actor=clerk)
        if case.stage == Stage.CONSULTED:
            to_agency = self.agencies[case.consult]
            add(
                request_consultation,
                actor=officer,
                to_agency=to_agency,
                content=CONSULTATION,
                deadline_days=CONSULTATION_DAYS,
            )
        if case.stage == Stage.SUPPLEMENT:
            items = [{"name": _document_of(dossier), "reason": SUPPLEMENT_DETAIL}]
            add(request_supplement, actor=officer, reason=SUPPLEMENT_REASON, items=items)
        return steps

    def _due_day(self, dossier: Dossier) -> date:
        assert dossier.due_at is not None  # every procedure of CASES has a time limit
        return self.calendar.local(dossier.due_at).date()

    def _apologise(self, dossier: Dossier) -> None:
        """Two working days before the appointment (in time: at least one), by the leader,
        moving it two working days later; that appointment has passed too."""
        schedule = self.schedule
        position = schedule.index[self._due_day(dossier)]
        new_due = self.calendar.close_of(schedule.days[position - 2])
        self._run(
            schedule.at(position + 2, "10:00"),
            apologise,
            dossier,
            actor=self.staff[JUSTICE.leader],
            reason=APOLOGY_REASON,
            new_due_at=new_due,
            responsible_agency=dossier.competent_agency,
        )


def _version(procedure: Procedure) -> ProcedureVersion:
    version = procedure.current_version
    assert version is not None  # the demo catalogue publishes every procedure
    return version


def _mandatory(procedure: Procedure) -> int | None:
    documents = _version(procedure).documents()
    return next((c.pk for c in documents if c.is_mandatory), None)


def _document(intake: Intake) -> str:
    documents = _version(intake.procedure).documents()
    return next((c.name for c in documents if c.is_mandatory), "Giấy tờ theo quy định")[:200]


def _document_of(dossier: Dossier) -> str:
    first = dossier.components.order_by("pk").first()
    return first.name[:200] if first is not None else "Giấy tờ theo quy định"


def seed_live(seed: int, now: datetime | None = None) -> list[str]:
    """Every case of CASES, in order; the codes of the dossiers made."""
    seeder = Seeder(seed, now or timezone.now())
    return [seeder.seed(case).code for case in CASES]
