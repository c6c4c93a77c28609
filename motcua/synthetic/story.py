"""One synthetic dossier's life, from its receipt to the end date. No database access: the
world (agencies, procedures, staff) and the clock are given, the randomness comes from one
seeded `random.Random`, so the same seed on the same world tells the same stories.

Shares (of dossiers, before the end date cuts the recent ones short): ~1% refused at
reception, ~5% asked for a supplement after appraisal (~10% of them never answered),
~1% withdrawn, ~0.3% stopped, ~1% refused after appraisal; of the resolved ones ~85% early,
~10% on time, ~4-5% late (varying by agency and procedure), half of the late ones with an
apology and a new appointment; online share rising from 15% to 60% over the period.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from motcua.catalogue.models import ApplicantType, Channel
from motcua.dossiers.status import Status

from .clock import Clock
from .world import Place, Plan, World

ONLINE, POSTAL, IN_PERSON = Channel.ONLINE.value, Channel.POSTAL.value, Channel.IN_PERSON.value
COMMUNE_SHARE = 0.62  # of dossiers, resolved by commune committees
CENTRE_SHARE = 0.8  # of provincial dossiers, received by the service centre
ONLINE_FROM, ONLINE_TO = 0.15, 0.60
POSTAL_SHARE = 0.04  # of paper dossiers
NOT_RECEIVED = 0.01
SUPPLEMENT, NEVER_ANSWERED = 0.05, 0.1
WITHDRAWN, STOPPED, REFUSED = 0.01, 0.003, 0.01
ON_TIME, LATE = 0.10, 0.035
LATENESS_NORM = 1.297  # mean of the two lognormal lateness factors of world.py
APOLOGY = 0.55
NEVER_COLLECTED = 0.003
RETURN_DELAY = {ONLINE: 0.3, IN_PERSON: 1.5, POSTAL: 1.0}  # mean, in working days
RETURN_METHODS = {  # channel -> (method, cumulative share)
    ONLINE: [(ONLINE, 0.85), (POSTAL, 0.95), (IN_PERSON, 1.0)],
    IN_PERSON: [(IN_PERSON, 0.92), (POSTAL, 1.0)],
    POSTAL: [(POSTAL, 0.9), (IN_PERSON, 1.0)],
}
EARLY, IN_TIME, OVERDUE = 0, 1, 2
# Plain ints: the database drivers are given no enums.
RECEIVED, PROCESSING = int(Status.RECEIVED), int(Status.PROCESSING)
NOT_RECEIVED_STATUS, SUPPLEMENT_STATUS = int(Status.NOT_RECEIVED), int(Status.SUPPLEMENT)
WITHDRAWN_STATUS, STOPPED_STATUS = int(Status.WITHDRAWN), int(Status.STOPPED)
RESOLVED, RETURNED = int(Status.RESOLVED), int(Status.RETURNED)

FAMILY = [
    "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Lê",
    "Phạm", "Hoàng", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý",
]  # fmt: skip
MIDDLE = [
    "Văn", "Văn", "Thị", "Thị", "Hữu", "Đức", "Minh", "Thanh",
    "Ngọc", "Quốc", "Xuân", "Thu", "Hoài", "Công",
]  # fmt: skip
GIVEN = [
    "An", "Bình", "Chi", "Dũng", "Hà", "Hải", "Hạnh", "Hoa",
    "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Minh",
    "Nam", "Ngọc", "Phúc", "Phương", "Quân", "Sơn", "Tâm", "Thảo",
    "Thắng", "Trang", "Tuấn", "Vân", "Việt", "Yến",
]  # fmt: skip
APPLICANT_TYPES = [
    (ApplicantType.CITIZEN.value, 0.90),
    (ApplicantType.HOUSEHOLD_BUSINESS.value, 0.93),
    (ApplicantType.ENTERPRISE.value, 0.98),
    (ApplicantType.ORGANISATION.value, 1.0),
]
PEOPLE = {ApplicantType.CITIZEN.value, ApplicantType.HOUSEHOLD_BUSINESS.value}
NOT_RECEIVED_NOTE = "Không đủ điều kiện tiếp nhận (dữ liệu mẫu)"
REFUSED_NOTE = "Không đủ điều kiện giải quyết (dữ liệu mẫu)"
SUPPLEMENT_REASON = "Hồ sơ cần bổ sung giấy tờ (dữ liệu mẫu)"
SUPPLEMENT_ITEMS = (
    '[{"name": "Giấy tờ bổ sung", "reason": "Thiếu bản chính", "component_id": null}]'
)
APOLOGY_REASON = "Cần xác minh thêm thông tin (dữ liệu mẫu)"


NAMES = [f"{family} {middle} {given}" for family in FAMILY for middle in MIDDLE for given in GIVEN]


def _first_under(table: list[tuple[str, float]], u: float) -> str:
    """The value whose cumulative share first exceeds `u`."""
    for value, share in table:
        if u < share:
            return value
    return table[-1][0]


@dataclass(slots=True)
class Supplement:
    requested_at: datetime
    requested_by_id: int
    clock: str
    due_before: datetime | None
    answered_at: datetime | None = None
    received_by_id: int | None = None
    due_after: datetime | None = None


@dataclass(slots=True)
class ApologyNote:
    created_at: datetime
    created_by_id: int
    responsible_agency_id: int
    previous_due_at: datetime
    new_due_at: datetime
    issued_on_time: bool


@dataclass(slots=True)
class StepRow:
    order: int
    name: str
    role: str
    agency_id: int
    department_id: int | None
    assignee_id: int | None
    budget_hours: object
    state: str
    started_at: datetime | None
    due_at: datetime | None
    finished_at: datetime | None


@dataclass(slots=True)
class Story:
    """A dossier row (field names as the model's attnames; moments naive local)."""

    id: int
    code: str
    day: date
    sequence: int
    procedure_id: int
    procedure_version_id: int
    receiving_agency_id: int
    competent_agency_id: int
    department_id: int | None
    reception_point_id: int | None
    channel: str
    subject: str
    received_by_id: int | None
    applicant_type: str = ""
    applicant_name: str = ""
    applicant_id_number: str = ""
    applicant_phone: str = ""
    applicant_address: str = ""
    status: int = PROCESSING
    outcome: str = ""
    outcome_note: str = ""
    clock_paused_at: datetime | None = None
    returned_method: str = ""
    submitted_at: datetime | None = None
    received_at: datetime | None = None
    clock_start_at: datetime | None = None
    due_at: datetime | None = None
    original_due_at: datetime | None = None
    finished_at: datetime | None = None
    returned_at: datetime | None = None
    supplement_count: int = 0
    apology_count: int = 0
    created_at: datetime | None = None
    updated_at: datetime | None = None
    supplement: Supplement | None = None
    apology: ApologyNote | None = None
    steps: list[StepRow] = field(default_factory=list)


class Teller:
    """Tells the stories of the dossiers received on each day, in receipt order."""

    def __init__(self, world: World, clock: Clock, rng: random.Random, first: date, last: date):
        self.world, self.clock, self.rng = world, clock, rng
        self.first, self.span = first, max(1, (last - first).days)
        self.horizon = datetime.combine(last, time(23, 59, 59))
        self.sequences: dict[tuple[int, date], int] = {}
        self.next_id = 1
        self.with_steps = False
        self._addresses: dict[int, list[str]] = {}
        self._day: date | None = None
        self._day_text = ""
        pools = [(world.commune, COMMUNE_SHARE), (world.province, 1 - COMMUNE_SHARE)]
        present = [(pool, share) for pool, share in pools if pool is not None]
        total = sum(share for _, share in present)
        self._pools = [(pool, share / total) for pool, share in present]
        # The online share is of all dossiers: procedures that can be filed online carry
        # the share of those that cannot.
        capable = sum(pool.online_capable() * share for pool, share in self._pools)
        self._online_boost = 1 / capable if capable else 0.0

    # A day -------------------------------------------------------------------------------

    def day(self, day: date, count: int) -> list[Story]:
        saturday = not self.clock.is_working(day)
        seconds = sorted(self._time_of_day(saturday) for _ in range(count))
        share = ONLINE_FROM + (ONLINE_TO - ONLINE_FROM) * min(
            1.0, (day - self.first).days / self.span
        )
        self._online_share = min(0.95, share * self._online_boost)
        self._day, self._day_text = day, f"{day:%y%m%d}"
        midnight = datetime.combine(day, time())
        return [self.story(midnight + timedelta(seconds=s)) for s in seconds]

    def _time_of_day(self, saturday: bool) -> int:
        """Seconds after midnight: mornings busier, few arrivals just before closing."""
        r = self.rng
        m0, m1, a0, a1 = self.clock.bounds
        if saturday or r.random() < 0.6:
            return int(m0 + r.triangular(0, m1 - m0, (m1 - m0) / 3))
        return int(a0 + r.triangular(0, a1 - a0, (a1 - a0) / 4))

    # One dossier -------------------------------------------------------------------------

    def story(self, received: datetime) -> Story:
        plan, competent, receiving = self._who()
        channel = self._channel(plan)
        submitted = None
        if channel == ONLINE:  # the code is given on submission (intake.submit_online)
            submitted = received - timedelta(seconds=int(self.rng.expovariate(1 / 10800)))
        story = self._new(plan, competent, receiving, channel, submitted or received)
        story.submitted_at = submitted
        self._applicant(story, receiving)
        if self.rng.random() < NOT_RECEIVED:
            return self._not_received(story, received)
        self._receive(story, plan, received)
        self._live(story, plan, competent, receiving)
        if self.with_steps:
            self._steps(story, plan, competent)
        return story

    def _who(self) -> tuple[Plan, Place, Place]:
        r = self.rng.random
        u, pools = r(), self._pools
        pool = pools[0][0] if u < pools[0][1] or len(pools) == 1 else pools[1][0]
        plan = pool.pick(r())
        competent = plan.pick_agency(r())
        receiving = competent
        centre = self.world.centre
        if (
            centre is not None
            and not competent.is_commune
            and competent.id != centre.id
            and competent.province_unit == centre.province_unit
            and r() < CENTRE_SHARE
        ):
            receiving = centre
        return plan, competent, receiving

    def _channel(self, plan: Plan) -> str:
        r = self.rng.random
        if plan.online and r() < self._online_share:
            return ONLINE
        return POSTAL if plan.postal and r() < POSTAL_SHARE else IN_PERSON

    def _new(self, plan, competent, receiving, channel, coded: datetime) -> Story:
        """The dossier with its code: the receiving agency's sequence of the day `coded`."""
        day = coded.date()
        key = (receiving.id, day)
        sequence = self.sequences.get(key, 0) + 1
        self.sequences[key] = sequence
        day_text = self._day_text if day == self._day else f"{day:%y%m%d}"
        story = Story(
            id=self.next_id,
            code=f"{receiving.code}-{day_text}-{sequence:04d}",
            day=day,
            sequence=sequence,
            procedure_id=plan.id,
            procedure_version_id=plan.version_id,
            receiving_agency_id=receiving.id,
            competent_agency_id=competent.id,
            department_id=plan.department[competent.id],
            reception_point_id=receiving.point if channel != ONLINE else None,
            channel=channel,
            subject=plan.subject,
            received_by_id=receiving.clerk,
        )
        self.next_id += 1
        return story

    def _applicant(self, story: Story, receiving: Place) -> None:
        """Obviously synthetic: ID numbers and tax codes starting 999 / 99 (no province has
        them), phone numbers 0999…, "Địa chỉ mẫu" addresses, "Dữ liệu mẫu" companies."""
        r = self.rng.random
        u = r()
        kind = _first_under(APPLICANT_TYPES, u)
        story.applicant_type = kind
        if kind in PEOPLE:
            story.applicant_name = NAMES[int(r() * len(NAMES))]
            story.applicant_id_number = f"999{int(r() * 1e9):09d}"
        else:
            story.applicant_name = f"Công ty TNHH Dữ liệu mẫu {int(r() * 1e5):05d}"
            story.applicant_id_number = f"99{int(r() * 1e8):08d}"
        story.applicant_phone = f"0999{int(r() * 1e6):06d}"
        addresses = self._addresses.get(receiving.id)
        if addresses is None:
            addresses = self._addresses[receiving.id] = [
                f"Địa chỉ mẫu số {n}, {receiving.place}" for n in range(1, 201)
            ]
        story.applicant_address = addresses[int(r() * 200)]

    def _not_received(self, story: Story, moment: datetime) -> Story:
        story.status = NOT_RECEIVED_STATUS
        story.finished_at = moment
        story.outcome_note = NOT_RECEIVED_NOTE
        story.created_at = story.submitted_at or moment
        story.updated_at = moment
        return story

    def _receive(self, story: Story, plan: Plan, received: datetime) -> None:
        paper = story.channel != ONLINE
        story.received_at = received
        story.clock_start_at = self.clock.effective_receipt(received, paper)
        story.due_at = story.original_due_at = self.clock.due(received, plan.limit, paper)
        story.created_at = story.submitted_at or received

    # Processing --------------------------------------------------------------------------

    def _live(self, story: Story, plan: Plan, competent: Place, receiving: Place) -> None:
        """Decide how the dossier ends, then cut its life at the end date."""
        r = self.rng.random
        start = story.clock_start_at
        if r() < SUPPLEMENT:
            start, abandoned = self._supplement(story, plan, competent, receiving)
            if abandoned is not None:
                self._close(story, *abandoned)
                return
        u = r()
        if u < WITHDRAWN + STOPPED:
            ending = WITHDRAWN_STATUS if u < WITHDRAWN else STOPPED_STATUS
            self._close(story, ending, self._finish(start, story.due_at, EARLY))
            return
        late = min(0.3, LATE * competent.lateness * plan.lateness / LATENESS_NORM)
        v = r()
        kind = OVERDUE if v < late else IN_TIME if v < late + ON_TIME else EARLY
        finish = self._finish(start, story.due_at, kind)
        if kind == OVERDUE and story.due_at is not None and r() < APOLOGY:
            self._apologise(story, competent, start, finish)
        self._resolve(story, finish, refused=r() < REFUSED)

    def _supplement(self, story, plan, competent, receiving):
        """A request within 3 working days of receipt; the clock restarts (or pauses) when
        the supplement arrives. Returns when work resumes, and (status, moment) for a
        request never answered: the dossier is withdrawn or stopped weeks later."""
        clock, r = self.clock, self.rng.random
        requested = self._moment_from(story.clock_start_at, int(r() * 3))
        request = Supplement(
            requested, competent.officer or self.world.fallback_user, plan.clock, story.due_at
        )
        story.supplement, story.supplement_count = request, 1
        if r() < NEVER_ANSWERED:
            ending = WITHDRAWN_STATUS if r() < 0.6 else STOPPED_STATUS
            return None, (ending, self._moment_from(requested, 20 + int(r() * 40)))
        answered = self._moment_from(requested, int(self.rng.expovariate(1 / 4)))
        request.answered_at, request.received_by_id = answered, receiving.clerk
        paper = story.channel != ONLINE
        due = story.due_at
        if plan.clock == "restart":
            story.clock_start_at = clock.effective_receipt(answered, paper)
            due = clock.due(answered, plan.limit, paper)
        elif due is not None:
            waited = clock.position(answered) - clock.position(requested)
            due = clock.moment_at(clock.position(due) + waited)
        story.due_at = request.due_after = due
        return max(answered, story.clock_start_at), None

    def _moment_from(self, start: datetime, days: int) -> datetime:
        """A random working moment `days` working days after `start` (after it, that day)."""
        clock = self.clock
        index, worked = clock.index(start.date()), clock.worked(start)
        if not clock.is_working(start.date()):
            worked = 0
        if days > 0 or worked >= clock.day_seconds:
            index, worked = index + max(days, 1), 0
        return clock.at(index, worked + int((clock.day_seconds - worked) * self.rng.random()))

    def _finish(self, start: datetime, due: datetime | None, kind: int) -> datetime:
        """When processing ends: `kind` early (a day before the appointment's), in time
        (on its day, by it) or overdue (after it)."""
        if due is None:
            return self._moment_from(start, int(self.rng.expovariate(1 / 3)))
        return max(start, self._finish_by(start, due, kind))

    def _finish_by(self, start: datetime, due: datetime, kind: int) -> datetime:
        clock, r = self.clock, self.rng.random
        i0 = clock.index(start.date())
        w0 = clock.worked(start)
        last, w_due = clock.index(due.date()), clock.worked(due)
        if kind == EARLY and last > i0:
            index = i0 + int((last - i0) * r() ** 1.7)
            low = w0 if index == i0 else 0
            return clock.at(index, low + int((clock.day_seconds - low) * r()))
        if kind != OVERDUE:
            low = w0 if last <= i0 else 0
            if w_due <= low:
                return due
            return clock.at(last, low + int((w_due - low) * r()))
        index = max(last, i0) + 1 + int(self.rng.expovariate(1 / 2.5))
        return clock.at(index, int(clock.day_seconds * r()))

    def _apologise(self, story: Story, competent: Place, start: datetime, finish: datetime):
        """At least a working day before the appointment, mostly (Decree 61/2018 art. 19.9);
        the new appointment usually covers the actual end."""
        clock, r = self.clock, self.rng.random
        due = story.due_at
        last = clock.index(due.date())
        index = max(clock.index(start.date()), last - 1 - int(r() * 2))
        low = clock.worked(start) if index == clock.index(start.date()) else 0
        high = clock.worked(due) if index == last else clock.day_seconds
        created = clock.at(index, low + int(max(0, high - low) * r()))
        if r() < 0.85:
            new_due = clock.close(clock.index(finish.date()) + int(r() * 2))
        else:
            new_due = clock.close(last + 1)
        if new_due <= due:
            new_due = clock.close(last + 1)
        on_time = clock.position(due) - clock.position(created) >= clock.day_seconds
        officer = competent.officer or self.world.fallback_user
        story.apology = ApologyNote(created, officer, competent.id, due, new_due, on_time)
        story.apology_count = 1
        story.due_at = new_due

    def _close(self, story: Story, status: int, finish: datetime) -> None:
        """Withdrawn or stopped at `finish` (still open if that is after the end date)."""
        if finish > self.horizon:
            self._still_open(story)
            return
        story.status, story.finished_at, story.updated_at = status, finish, finish

    def _resolve(self, story: Story, finish: datetime, refused: bool) -> None:
        if finish > self.horizon:
            self._still_open(story)
            return
        story.finished_at = story.updated_at = finish
        story.outcome = "refused" if refused else "granted"
        story.outcome_note = REFUSED_NOTE if refused else ""
        story.status = RESOLVED
        r = self.rng
        if r.random() < NEVER_COLLECTED:
            return
        delay = r.expovariate(1 / RETURN_DELAY[story.channel])
        clock = self.clock
        returned = clock.moment_at(clock.position(finish) + int(delay * clock.day_seconds))
        returned = max(returned, finish)
        if returned > self.horizon:
            return
        u = r.random()
        story.returned_method = _first_under(RETURN_METHODS[story.channel], u)
        story.status, story.returned_at, story.updated_at = RETURNED, returned, returned

    def _still_open(self, story: Story) -> None:
        """Open at the end date: what has not happened by then is dropped, latest first."""
        h = self.horizon
        story.status = PROCESSING
        apology = story.apology
        if apology is not None and apology.created_at > h:
            story.apology, story.apology_count = None, 0
            story.due_at = apology.previous_due_at
        request = story.supplement
        if request is not None and request.requested_at > h:
            story.supplement, story.supplement_count = None, 0
            story.due_at = request.due_before
            story.clock_start_at = self.clock.effective_receipt(
                story.received_at, story.channel != ONLINE
            )
        elif request is not None and (request.answered_at is None or request.answered_at > h):
            story.status = SUPPLEMENT_STATUS
            story.clock_paused_at = request.requested_at
            request.answered_at = request.received_by_id = request.due_after = None
            story.due_at = request.due_before
            story.clock_start_at = self.clock.effective_receipt(
                story.received_at, story.channel != ONLINE
            )
        if story.status == PROCESSING and self._received_last_day(story):
            story.status = RECEIVED
        moments = [story.received_at]
        if story.supplement is not None:
            moments += [story.supplement.requested_at, story.supplement.answered_at]
        if story.apology is not None:
            moments.append(story.apology.created_at)
        story.updated_at = max(m for m in moments if m is not None)

    def _received_last_day(self, story: Story) -> bool:
        clock = self.clock
        return clock.index(story.received_at.date()) >= clock.index(self.horizon.date())

    # Steps (optional) --------------------------------------------------------------------

    def _steps(self, story: Story, plan: Plan, competent: Place) -> None:
        """The pinned process, its steps spread over the working time from receipt to the
        end (or, for an open dossier, the one in progress at the end date)."""
        from .steps import plan_steps

        story.steps = plan_steps(self, story, plan, competent)
