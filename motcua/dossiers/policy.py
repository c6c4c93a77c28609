"""Who may act on a dossier: the one permission policy (issue 12 §2; docs/security.md, "Who
may act on a dossier").

`POLICY` says, for every operation, in which national statuses it is offered and which
roles, at which relation to the dossier, may perform it. Services call `check`; the back
office and the API show `available_operations`. Whether the dossier is as the caller saw it
(preconditions.py), whether the transition is legal (status.py) and whether the input is
complete stay in the services: this module answers only *who*.

Relations (a membership at an agency also covers every agency below it, so a membership at
a parent agency holds each relation too: organisations.permissions):

* receiving: the agency that received the dossier, i.e. its one-stop section (Decree
  61/2018 art. 3.3, arts. 17-18 and 20: it receives, hands over, returns);
* competent: the agency that resolves it (art. 19);
* step: the agency of the step in progress, with the step-level rules of access.py (the
  step's role, department and assignee; agency-wide or department assignment);
* any step: an agency with a step of the dossier (inter-agency processing, art. 19.6-19.7);
* consulted: an agency asked for its opinion (art. 19.5).

The system (organisations.actors.SYSTEM: the worker, an outbox consumer, the portal's relay;
or no actor at all) may perform only the operations in `SYSTEM_OPERATIONS`: it never
decides a dossier's outcome.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.organisations import actors, permissions
from motcua.organisations.roles import Capability, Role, roles_with

from . import access
from .models import Consultation, Dossier, DossierStep
from .status import Status

C, S = Capability, Status
NEW = None  # before the dossier exists (or is received): the intake operations


class Operation(models.TextChoices):
    SUBMIT_ONLINE = "submit-online", _("Relay an online submission")
    RECEIVE = "receive", _("Receive")
    GUIDE_SUPPLEMENT = "guide-supplement", _("Guide to supplement at reception (Form 02)")
    REFUSE_AT_RECEPTION = "refuse-at-reception", _("Refuse at reception (Form 03)")
    HAND_OVER = "hand-over", _("Hand over for processing")
    ASSIGN = "assign", _("Assign the current step")
    COMPLETE = "complete", _("Complete the current step")
    APPROVE = "approve", _("Approve and sign")
    SEND_BACK = "send-back", _("Send back to an earlier step")
    CONSULT = "consult", _("Ask another agency's opinion")
    ANSWER_CONSULTATION = "answer-consultation", _("Answer a consultation")
    REQUEST_SUPPLEMENT = "request-supplement", _("Request a supplement (once)")
    RECEIVE_SUPPLEMENT = "receive-supplement", _("Supplement received")
    REQUIRE_PAYMENT = "require-payment", _("Require a financial obligation")
    CONFIRM_PAYMENT = "confirm-payment", _("Obligation fulfilled")
    APOLOGISE = "apologise", _("Apologise and set a new appointment (Form 04)")
    RESULT_READY = "result-ready", _("Result ready")
    REFUSE = "refuse", _("Refuse after appraisal")
    RETURN = "return", _("Return the result")
    WITHDRAW = "withdraw", _("Withdraw at the applicant's request")
    STOP = "stop", _("Stop processing")
    ATTACH = "attach", _("Attach a file")
    PRINT_RECEIPT = "print-01", _("Print the receipt (Form 01)")
    PRINT_SUPPLEMENT = "print-02", _("Print the supplement slip (Form 02)")
    PRINT_REFUSAL = "print-03", _("Print the refusal (Form 03)")
    PRINT_APOLOGY = "print-04", _("Print the apology (Form 04)")
    PRINT_CONTROL = "print-05", _("Print the control slip (Form 05)")


class Relation(StrEnum):
    RECEIVING = "receiving agency"
    COMPETENT = "competent agency"
    STEP = "agency of the step in progress"
    ANY_STEP = "agency with a step"
    CONSULTED = "consulted agency"


class StepRule(StrEnum):
    """The step-level rules of access.py, for Relation.STEP."""

    COMPLETE = "the step's assignee, or if unassigned a holder of its role"  # may_complete
    ASSIGN = (  # access.may_assign
        "an assigner of the step (agency-wide, its department's head, or when it names no "
        "department a head of one of its agency's departments, below a leader's step)"
    )
    WORK = "the step's assignee or role holder, or an assigner of it"  # may_work_on


@dataclass(frozen=True)
class Rule:
    """Holders of one of `capabilities` at `relation`; for Relation.STEP with a `step_rule`,
    the step-level rule instead."""

    relation: Relation
    capabilities: frozenset[str] = frozenset()
    step_rule: StepRule | None = None

    def roles(self) -> list[str]:
        found = {role for c in self.capabilities for role in roles_with(c)}
        return [r for r in Role.values if r in found and r != Role.SYSTEM_ADMIN]


@dataclass(frozen=True)
class Entry:
    statuses: frozenset[Status | None]
    rules: tuple[Rule, ...]
    reason: Promise  # why a user without any of the rules is refused
    basis: str  # the legal source, for docs/security.md


def caps(*capabilities: str) -> frozenset[str]:
    return frozenset(capabilities)


ONE_STOP = Rule(Relation.RECEIVING, caps(C.RECEIVE_DOSSIER))
RETURNING = Rule(Relation.RECEIVING, caps(C.RETURN_RESULT))
MANAGING = caps(C.ASSIGN_DOSSIER, C.APPROVE_DOSSIER)
WORKING = caps(C.PROCESS_DOSSIER, C.ASSIGN_DOSSIER, C.APPROVE_DOSSIER)
STEP_WORK = Rule(Relation.STEP, step_rule=StepRule.WORK)
OPEN = frozenset({S.RECEIVED, S.PROCESSING, S.SUPPLEMENT, S.FINANCIAL})
RECEIVED = frozenset(set(S) - {S.SUBMITTED, S.NOT_RECEIVED})
ATTACHABLE = frozenset({S.SUBMITTED, *OPEN, S.RESOLVED})
INTAKE: frozenset[Status | None] = frozenset({NEW, S.SUBMITTED})
ON_FILE = Rule(Relation.ANY_STEP, WORKING)

POLICY: dict[Operation, Entry] = {
    Operation.SUBMIT_ONLINE: Entry(
        frozenset({NEW}),
        (ONE_STOP,),
        _("You cannot receive dossiers for this agency."),
        "Decree 61/2018 art. 17.2",
    ),
    Operation.RECEIVE: Entry(
        frozenset({*INTAKE, S.SUPPLEMENT}),
        (ONE_STOP,),
        _("You cannot receive dossiers for this agency."),
        "Decree 61/2018 art. 17",
    ),
    Operation.GUIDE_SUPPLEMENT: Entry(
        INTAKE,
        (ONE_STOP,),
        _("You cannot receive dossiers for this agency."),
        "Decree 61/2018 arts. 15.2, 17.1.a",
    ),
    Operation.REFUSE_AT_RECEPTION: Entry(
        INTAKE,
        (ONE_STOP,),
        _("You cannot receive dossiers for this agency."),
        "Decree 61/2018 art. 17.1.b",
    ),
    Operation.HAND_OVER: Entry(
        frozenset({S.RECEIVED}),
        (ONE_STOP,),
        _("Only a clerk of the receiving agency hands the dossier over."),
        "Decree 61/2018 art. 18",
    ),
    Operation.ASSIGN: Entry(
        frozenset({S.PROCESSING}),
        (Rule(Relation.STEP, step_rule=StepRule.ASSIGN),),
        _("You may not assign this step."),
        "Decree 61/2018 art. 19.1",
    ),
    Operation.COMPLETE: Entry(
        frozenset({S.PROCESSING}),
        (Rule(Relation.STEP, step_rule=StepRule.COMPLETE),),
        _("This step is not yours to complete."),
        "Decree 61/2018 art. 19.1; Circular 01/2018 art. 8",
    ),
    Operation.APPROVE: Entry(
        frozenset({S.PROCESSING}),
        (Rule(Relation.STEP, step_rule=StepRule.COMPLETE),),
        _("This step is not yours to complete."),
        "Decree 61/2018 art. 19.1",
    ),
    Operation.SEND_BACK: Entry(
        frozenset({S.PROCESSING}),
        (Rule(Relation.STEP, step_rule=StepRule.COMPLETE),),
        _("This step is not yours to send back."),
        "Decree 61/2018 art. 19.1",
    ),
    Operation.CONSULT: Entry(
        frozenset({S.PROCESSING}),
        (STEP_WORK,),
        _("You may not consult for this step."),
        "Decree 61/2018 art. 19.5",
    ),
    Operation.ANSWER_CONSULTATION: Entry(
        frozenset({S.PROCESSING}),
        (Rule(Relation.CONSULTED, WORKING),),
        _("Only the consulted agency answers."),
        "Decree 61/2018 art. 19.5",
    ),
    Operation.REQUEST_SUPPLEMENT: Entry(
        frozenset({S.PROCESSING}),
        (STEP_WORK,),
        _("You may not ask for a supplement here."),
        "Decree 61/2018 art. 19.4",
    ),
    Operation.RECEIVE_SUPPLEMENT: Entry(
        frozenset({S.SUPPLEMENT}),
        (ONE_STOP,),
        _("Only a clerk of the receiving agency receives the supplement."),
        "Decree 61/2018 art. 19.4",
    ),
    Operation.REQUIRE_PAYMENT: Entry(
        frozenset({S.PROCESSING}),
        (ONE_STOP, STEP_WORK),
        _("You may not handle this dossier's payments."),
        "Decree 61/2018 art. 22; national status 6",
    ),
    Operation.CONFIRM_PAYMENT: Entry(
        frozenset({S.FINANCIAL}),
        (ONE_STOP, STEP_WORK),
        _("You may not handle this dossier's payments."),
        "Decree 61/2018 art. 22; national status 6",
    ),
    Operation.APOLOGISE: Entry(
        OPEN,
        (ONE_STOP, Rule(Relation.COMPETENT, MANAGING), Rule(Relation.STEP, MANAGING)),
        _("You may not reschedule this dossier."),
        "Decree 61/2018 art. 19.9; Circular 01/2018 Form 04",
    ),
    Operation.RESULT_READY: Entry(
        frozenset({S.PROCESSING}),
        (RETURNING, Rule(Relation.COMPETENT, caps(C.APPROVE_DOSSIER))),
        _("You may not declare this result."),
        "Decree 61/2018 art. 20",
    ),
    Operation.REFUSE: Entry(
        frozenset({S.PROCESSING}),
        (
            Rule(Relation.COMPETENT, caps(C.APPROVE_DOSSIER)),
            Rule(Relation.STEP, caps(C.APPROVE_DOSSIER)),
        ),
        _("Only an approver of the agency refuses a dossier."),
        "Decree 61/2018 art. 19.8",
    ),
    Operation.RETURN: Entry(
        frozenset({S.RESOLVED}),
        (RETURNING,),
        _("Only a clerk of the receiving agency returns results."),
        "Decree 61/2018 art. 20",
    ),
    Operation.WITHDRAW: Entry(
        frozenset({S.SUBMITTED, *OPEN}),
        (ONE_STOP,),
        _("Only a clerk of the receiving agency records a withdrawal."),
        "national status 7 (domain.md §3.2)",
    ),
    Operation.STOP: Entry(
        OPEN,
        (
            Rule(Relation.COMPETENT, caps(C.ASSIGN_DOSSIER)),
            Rule(Relation.STEP, caps(C.ASSIGN_DOSSIER)),
        ),
        _("Only a leader or department head of the agency stops processing."),
        "national status 8 (domain.md §3.2)",
    ),
    Operation.ATTACH: Entry(
        ATTACHABLE,
        (
            Rule(Relation.RECEIVING, caps(C.RECEIVE_DOSSIER, C.RETURN_RESULT)),
            Rule(Relation.COMPETENT, WORKING),
            ON_FILE,
        ),
        _("You cannot attach files to this dossier."),
        "Decree 118/2025 art. 17(1)(c); Decree 61/2018 art. 20",
    ),
    Operation.PRINT_RECEIPT: Entry(
        RECEIVED,
        (ONE_STOP,),
        _("Only the one-stop section of the receiving agency prints this form."),
        "Decree 61/2018 art. 17.1.c; Circular 01/2018 Form 01",
    ),
    Operation.PRINT_SUPPLEMENT: Entry(
        frozenset(RECEIVED - {S.RECEIVED}),
        (ONE_STOP, Rule(Relation.COMPETENT, WORKING)),
        _("Only the one-stop section or the competent agency prints this form."),
        "Decree 61/2018 arts. 17.1.a, 19.4; Circular 01/2018 Form 02",
    ),
    Operation.PRINT_REFUSAL: Entry(
        frozenset({S.NOT_RECEIVED}),
        (ONE_STOP,),
        _("Only the one-stop section of the receiving agency prints this form."),
        "Decree 61/2018 art. 17.1.b; Circular 01/2018 Form 03",
    ),
    Operation.PRINT_APOLOGY: Entry(
        RECEIVED,
        (ONE_STOP, Rule(Relation.COMPETENT, MANAGING), Rule(Relation.STEP, MANAGING)),
        _("Only the one-stop section or the management of the agency at fault prints it."),
        "Decree 61/2018 art. 19.9; Circular 01/2018 Form 04",
    ),
    Operation.PRINT_CONTROL: Entry(
        RECEIVED,
        (
            Rule(Relation.RECEIVING, caps(C.RECEIVE_DOSSIER, C.SUPERVISE)),
            Rule(Relation.COMPETENT, WORKING),
            ON_FILE,
        ),
        _("Only the agencies processing the dossier print its control slip."),
        "Decree 61/2018 art. 19; Circular 01/2018 Form 05",
    ),
}

# What the system does without a person: relay an online submission (the portal).
SYSTEM_OPERATIONS = frozenset({Operation.SUBMIT_ONLINE})
PRINTS = {
    "01": Operation.PRINT_RECEIPT,
    "02": Operation.PRINT_SUPPLEMENT,
    "03": Operation.PRINT_REFUSAL,
    "04": Operation.PRINT_APOLOGY,
    "05": Operation.PRINT_CONTROL,
}


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


def is_system(actor) -> bool:
    """The system acting without a person: organisations.actors.SYSTEM (the worker, a
    consumer of the outbox), or no actor at all (the older way of saying it)."""
    return actor is None or actors.is_system(actor)


@dataclass
class Facts:
    """What the rules read about one dossier and one user, each read once: the user's roles
    at each agency involved (organisations.permissions.roles_at), the step in progress, the
    agencies with a step, the consulted agencies."""

    user: Any
    dossier: Dossier
    step: DossierStep | None = None
    step_known: bool = False
    consultation: Consultation | None = None
    _roles: dict[int, list[tuple[str, int | None]]] = field(default_factory=dict)
    _steps: list[DossierStep] | None = None
    _consulted: set[int] | None = None

    def roles(self, agency_id: int | None) -> list[tuple[str, int | None]]:
        if agency_id is None:
            return []
        if agency_id not in self._roles:
            self._roles[agency_id] = permissions.roles_at(self.user, agency_id)
        return self._roles[agency_id]

    def holds(self, capabilities: Iterable[str], agency_id: int | None) -> bool:
        roles = self.roles(agency_id)
        return any(permissions.grants(roles, c) for c in capabilities)

    def steps(self) -> list[DossierStep]:
        """The dossier's steps, the columns the rules read (one read)."""
        if self._steps is None:
            self._steps = []
            if self.dossier.pk is not None:
                found = DossierStep.objects.filter(dossier_id=self.dossier.pk)
                self._steps = list(found.order_by("order", "id").only(*STEP_COLUMNS))
        return self._steps

    def active_step(self) -> DossierStep | None:
        if not self.step_known:
            self.step_known = True
            active = DossierStep.State.ACTIVE
            self.step = next((s for s in self.steps() if s.state == active), None)
        return self.step

    def step_agencies(self) -> set[int]:
        return {step.agency_id for step in self.steps()}

    def consulted(self) -> set[int]:
        if self.consultation is not None:
            return {self.consultation.to_agency_id}
        if self._consulted is None:
            waiting = Consultation.objects.filter(dossier_id=self.dossier.pk, answered_at=None)
            self._consulted = set(waiting.values_list("to_agency_id", flat=True))
        return self._consulted


STEP_COLUMNS = ("dossier", "order", "role", "agency", "department", "assignee", "state")
STEP_RULES = {
    StepRule.COMPLETE: access.may_complete,
    StepRule.ASSIGN: access.may_assign,
    StepRule.WORK: access.may_work_on,
}


def _fits(rule: Rule, facts: Facts) -> bool:
    dossier = facts.dossier
    if rule.relation == Relation.RECEIVING:
        return facts.holds(rule.capabilities, dossier.receiving_agency_id)
    if rule.relation == Relation.COMPETENT:
        return facts.holds(rule.capabilities, dossier.competent_agency_id)
    if rule.relation == Relation.STEP:
        step = facts.active_step()
        if step is None:
            return False
        if rule.step_rule is not None:
            return STEP_RULES[rule.step_rule](facts.user, step, roles=facts.roles(step.agency_id))
        return facts.holds(rule.capabilities, step.agency_id)
    agencies = facts.step_agencies() if rule.relation == Relation.ANY_STEP else facts.consulted()
    return any(facts.holds(rule.capabilities, agency) for agency in agencies)


def _is_staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def _decide(facts: Facts, operation: Operation) -> Decision:
    entry = POLICY[operation]
    user = facts.user
    if is_system(user):
        if operation in SYSTEM_OPERATIONS:
            return Decision(True)
        return Decision(False, str(_("The system does not perform this operation.")))
    if not _is_staff(user):
        return Decision(False, str(entry.reason))
    if user.is_superuser or any(_fits(rule, facts) for rule in entry.rules):
        return Decision(True)
    return Decision(False, str(entry.reason))


def allowed(
    user,
    operation: Operation | str,
    dossier: Dossier,
    step: DossierStep | None = None,
    *,
    consultation: Consultation | None = None,
) -> Decision:
    """May `user` perform `operation` on `dossier` (`step`: the step in progress when the
    caller has read it)? Statuses are not looked at here: the services' transitions refuse
    those with their own reason (status.py); `available_operations` uses both."""
    facts = Facts(user, dossier, step, step is not None, consultation)
    return _decide(facts, Operation(operation))


def check(
    user,
    operation: Operation | str,
    dossier: Dossier,
    step: DossierStep | None = None,
    *,
    consultation: Consultation | None = None,
) -> None:
    """DossierError `forbidden` (403) with the reason unless `allowed`."""
    decision = allowed(user, operation, dossier, step, consultation=consultation)
    if not decision:
        raise access.forbidden(decision.reason)


def offered_in(operation: Operation, status: int | None) -> bool:
    return (Status(status) if status is not None else NEW) in POLICY[operation].statuses


def available_operations(user, dossier: Dossier) -> set[Operation]:
    """The operations `user` may perform on `dossier` now (its status, then the rules). A
    bounded number of reads whatever the number of operations: the user's roles once per
    agency involved, the steps once, the open consultations once."""
    facts = Facts(user, dossier)
    if _is_staff(user) and not user.is_superuser:
        # Read everything up front: the same reads for every user, whatever they may do.
        involved = {dossier.receiving_agency_id, dossier.competent_agency_id}
        for agency_id in involved | facts.step_agencies() | facts.consulted():
            facts.roles(agency_id)
    found = set()
    for operation in POLICY:
        if offered_in(operation, dossier.status) and _decide(facts, operation):
            found.add(operation)
    if Operation.APPROVE in found and getattr(facts.active_step(), "role", None) != Role.LEADER:
        found.discard(Operation.APPROVE)  # only a leader's step is approved
    if dossier.received_at is not None:
        found.discard(Operation.RECEIVE)  # status 5 after appraisal is not reception's
    return found


# --- The table as docs/security.md shows it (checked by a test, so it cannot drift) --------


def _who(rule: Rule) -> str:
    where = f"the {rule.relation}"
    if rule.step_rule is not None:
        return f"{rule.step_rule}, at {where}"
    roles = ", ".join(str(Role(role).label).lower() for role in rule.roles())
    return f"{roles} at {where}"


def _statuses(entry: Entry) -> str:
    codes = sorted(int(s) for s in entry.statuses if s is not None)
    return ", ".join(["new"] * (NEW in entry.statuses) + [str(c) for c in codes])


def table_markdown() -> str:
    """The policy as a Markdown table (English), for docs/security.md."""
    from django.utils import translation

    lines = ["| Operation | Statuses | Who (a membership above covers below) | Legal basis |"]
    lines.append("|---|---|---|---|")
    with translation.override("en"):
        for operation, entry in POLICY.items():
            who = "; or ".join(_who(rule) for rule in entry.rules)
            if operation == Operation.APPROVE:
                who += " (a leader's step only)"
            if operation in SYSTEM_OPERATIONS:
                who += "; or the system"
            row = (operation.value, _statuses(entry), who, entry.basis)
            lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"
