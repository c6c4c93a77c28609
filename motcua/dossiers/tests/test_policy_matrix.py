"""Who may act on a dossier, through HTTP, for every role at every relation to the dossier and
every operation (issue 12 §2; docs/security.md, "Who may act on a dossier").

The expectations below are written here, from the roles and the law, and do NOT read the
policy's table (motcua/dossiers/policy.py): if the two disagree, one of them is wrong.

The world (conftest personas): the dossier is received at the provincial service centre (the
one-stop section), resolved by the Department of Justice (its registry division appraises and
reviews, its leader signs), verified at Phường Thành Sen (step 4, an inter-agency step); Xã
Thạch Hà is asked for its opinion; the provincial People's Committee is above all of them;
the Department of Health has nothing to do with the dossier. One user holds each role at each
of them, and a system administrator (superuser) is beside them.

Each test builds one dossier in the state its operation needs (through the services), then
sends the operation for every persona, each inside a savepoint rolled back afterwards, so
that every persona meets the same dossier. A forbidden persona must get 403 with a reason
(or 404 when it may not even see the dossier); a permitted one must succeed. The dossier
page must offer exactly the permitted actions and printed forms.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client

from conftest import make_user
from motcua.dossiers import consultations, delays, obligations, processing, results, supplements
from motcua.dossiers.intake import HandedIn, Intake, receive_dossier, refuse_at_reception
from motcua.dossiers.intake import submit_online as submit
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import CITIZEN, MONDAY, at, vn
from motcua.organisations.models import Agency
from motcua.organisations.roles import Role
from motcua.testing.files import blank_pdf

ROLES = {
    "clerk": Role.RECEIVING_CLERK,
    "specialist": Role.SPECIALIST,
    "head": Role.DEPARTMENT_HEAD,
    "leader": Role.LEADER,
    "supervisor": Role.SUPERVISOR,
    "admin": Role.AGENCY_ADMIN,
}
RELATIONS = ("receiving", "competent", "step", "consulted", "parent", "unrelated")
WORKERS = ("specialist", "head", "leader")  # who appraises, reviews and signs
MANAGERS = ("head", "leader")  # who answers for the agency's work (assigns, stops)
NOW = MONDAY + timedelta(hours=2)  # the requests: Monday 11:00, after the dossier was built
NEW_APPOINTMENT = vn(2026, 3, 20, 10, 0)  # a working Friday, after the first appointment

# --- What the law says: role -> the relations at which it may act -------------------------
# Relations, as the expectations name them:
#   receiving  the one-stop section that received the dossier (Decree 61/2018 arts. 17-18, 20)
#   competent  the agency that resolves it (art. 19)
#   active     the agency of the step in progress (its officers do the step; art. 19.1)
#   part       an agency with a step of the dossier (inter-agency processing, art. 19.6-19.7);
#              here the centre (reception and return), the department and the commune
#   consulted  the agency asked for its opinion (art. 19.5)
# A membership at the People's Committee covers every agency below it.
AT_THE_COUNTER = {"clerk": {"receiving"}}
EXPECTED: dict[str, dict[str, set[str]]] = {
    # Reception, hand-over, supplement receipt, withdrawal, return: the one-stop section.
    "submit-online": AT_THE_COUNTER,
    "receive-at-counter": AT_THE_COUNTER,
    "guide-at-counter": AT_THE_COUNTER,
    "refuse-at-counter": AT_THE_COUNTER,
    "receive-online": AT_THE_COUNTER,
    "guide-online": AT_THE_COUNTER,
    "refuse-online": AT_THE_COUNTER,
    "hand-over": AT_THE_COUNTER,
    "receive-supplement": AT_THE_COUNTER,
    "withdraw": AT_THE_COUNTER,
    "return": AT_THE_COUNTER,
    "print-01": AT_THE_COUNTER,
    "print-03": AT_THE_COUNTER,
    # The step in progress (step 4 at the commune, a specialist's step without a department):
    # done by who holds the processing role there; assigned by the commune's management.
    "complete": {"specialist": {"active"}, "head": {"active"}},
    "send-back": {"specialist": {"active"}, "head": {"active"}},
    "assign": {"head": {"active"}, "leader": {"active"}},
    "consult": {role: {"active"} for role in WORKERS},
    "request-supplement": {role: {"active"} for role in WORKERS},
    # The signature (step 5, the leader's step at the department): its leader.
    "approve": {"leader": {"active"}},
    "answer-consultation": {role: {"consulted"} for role in WORKERS},
    # Fees are paid at the counter or handled by whoever works on the step.
    "require-payment": {"clerk": {"receiving"}, **{r: {"active"} for r in WORKERS}},
    "confirm-payment": {"clerk": {"receiving"}, **{r: {"active"} for r in WORKERS}},
    # Apology (art. 19.9): the one-stop section or the management of the agency at fault.
    "apologise": {"clerk": {"receiving"}, **{r: {"competent", "active"} for r in MANAGERS}},
    "print-04": {"clerk": {"receiving"}, **{r: {"competent", "active"} for r in MANAGERS}},
    # Refusal after appraisal (art. 19.8): an approver; stop: the agency's management.
    "refuse": {"leader": {"competent", "active"}},
    "stop": {r: {"competent", "active"} for r in MANAGERS},
    # The result reached the counter, or the competent approver's signed result is it.
    "result-ready": {"clerk": {"receiving"}, "leader": {"competent"}},
    # Files and the control slip: the staff working on the dossier.
    "attach": {"clerk": {"receiving"}, **{r: {"competent", "part"} for r in WORKERS}},
    "print-02": {"clerk": {"receiving"}, **{r: {"competent"} for r in WORKERS}},
    "print-05": {
        "clerk": {"receiving"},
        "supervisor": {"receiving"},
        **{r: {"competent", "part"} for r in WORKERS},
    },
}
# National statuses in which each page action is offered (domain.md §3.3, status.py's law).
OPEN = {2, 4, 5, 6}
AFTER_RECEIPT = {2, 4, 5, 6, 7, 8, 9, 10}
OFFERED_IN = {
    "hand-over": {2},
    "assign": {4},
    "complete": {4},
    "approve": {4},
    "send-back": {4},
    "consult": {4},
    "answer-consultation": {4},
    "request-supplement": {4},
    "receive-supplement": {5},
    "require-payment": {4},
    "confirm-payment": {6},
    "apologise": OPEN,
    "result-ready": {4},
    "refuse": {4},
    "return": {9},
    "withdraw": {1} | OPEN,
    "stop": OPEN,
    "attach": {1, 9} | OPEN,
    "print-01": AFTER_RECEIPT,
    "print-02": AFTER_RECEIPT - {2},
    "print-03": {3},
    "print-04": AFTER_RECEIPT,
    "print-05": AFTER_RECEIPT,
}


@dataclass(frozen=True)
class State:
    """Facts of a built dossier that the relations depend on."""

    name: str
    received: bool = True
    active_at: str | None = None  # which persona relation holds the step in progress
    consulted: bool = False  # an unanswered consultation to Xã Thạch Hà
    # Forms with something to print beyond the receipt and control slip (Mẫu 02, 04): the
    # page links a form only once its record exists; the door itself follows the policy.
    printable: frozenset[str] = frozenset()


STATES = {
    s.name: s
    for s in (
        State("new", received=False),
        State("submitted", received=False),
        State("refused", received=False),
        State("received"),
        State("apologised", printable=frozenset({"print-04"})),
        State("step4", active_at="step", consulted=True),
        State("step5", active_at="competent", consulted=True),
        State("all-done", consulted=True),
        State("supplement", active_at="step", consulted=True, printable=frozenset({"print-02"})),
        State("financial", active_at="step", consulted=True),
        State("resolved", consulted=True),
    )
}


def relations_held(relation: str, state: State) -> set[str]:
    """The expectation's relations a persona at `relation` holds in `state`."""
    held = {
        "receiving": {"receiving", "part"},
        "competent": {"competent", "part"},
        "step": {"part"},
        "consulted": {"consulted"} if state.consulted else set(),
        "unrelated": set(),
    }
    if not state.received:
        held = {k: v - {"part"} for k, v in held.items()}
    if state.active_at is not None:
        held[state.active_at] = held[state.active_at] | {"active"}
    held["parent"] = set().union(*held.values())  # the committee covers every agency below
    return held[relation]


def expected(operation: str, persona: tuple[str, str], state: State) -> bool:
    role, relation = persona
    if role == "root":
        return True
    return bool(EXPECTED[operation].get(role, set()) & relations_held(relation, state))


def sees(persona: tuple[str, str], state: State) -> bool:
    """May the persona read the dossier at all (else a refusal may be a 404)?"""
    role, relation = persona
    if role == "root":
        return True
    if role == "admin" or relation == "unrelated":
        return False
    if relation == "step":
        return state.received
    if relation == "consulted":
        return state.consulted
    return True


# --- The world ----------------------------------------------------------------------------


@pytest.fixture
def world(
    criminal_record,
    centre,
    justice_department,
    registry_division,
    commune_agency,
    other_commune_agency,
    provincial_committee,
):
    health = Agency.objects.create(
        code="H42.13",
        name="Sở Y tế",
        kind="provincial_department",
        unit=provincial_committee.unit,
        parent=provincial_committee,
    )
    agencies = {
        "receiving": centre,
        "competent": justice_department,
        "step": commune_agency,
        "consulted": other_commune_agency,
        "parent": provincial_committee,
        "unrelated": health,
    }
    users = {}
    for relation, agency in agencies.items():
        for name, role in ROLES.items():
            # The department's appraisers and their head belong to its registry division.
            in_division = relation == "competent" and name in ("specialist", "head")
            department = registry_division if in_division else None
            users[(name, relation)] = make_user(f"{name}-{relation}", agency, role, department)
    users[("root", "system")] = make_user("root-system", is_superuser=True, is_staff=True)
    return {"users": users, "agencies": agencies, "procedure": criminal_record}


def _intake(world) -> Intake:
    version = world["procedure"].current_version
    handed_in = [HandedIn(c.pk, originals=1) for c in version.components.all()]
    return Intake(world["procedure"], world["agencies"]["receiving"], CITIZEN, handed_in=handed_in)


def _done(dossier: Dossier, user, *, approve=False) -> None:
    (processing.approve if approve else processing.complete_step)(dossier, actor=user)


def build(state: str, world) -> Dossier | None:
    """The dossier in `state`, through the services, on Monday 09:00."""
    u = world["users"]
    clerk = u[("clerk", "receiving")]
    with at(MONDAY):
        if state == "new":
            return None
        if state == "submitted":
            return submit(_intake(world))
        if state == "refused":
            return refuse_at_reception(_intake(world), actor=clerk, reasons="Sai thủ tục")
        dossier = receive_dossier(_intake(world), actor=clerk)
        if state == "received":
            return dossier
        if state == "apologised":
            delays.apologise(dossier, actor=clerk, reason="Chậm", new_due_at=NEW_APPOINTMENT)
            return dossier
        processing.hand_over(dossier, actor=clerk)
        _done(dossier, u[("specialist", "competent")])  # appraisal
        _done(dossier, u[("head", "competent")])  # review
        consultations.request_consultation(
            dossier,
            actor=u[("specialist", "step")],
            to_agency=world["agencies"]["consulted"],
            content="Xác minh nơi cư trú",
            deadline_days=2,
        )
        return _advance(state, dossier, world)


def _advance(state: str, dossier: Dossier, world) -> Dossier:
    u = world["users"]
    worker, clerk = u[("specialist", "step")], u[("clerk", "receiving")]
    if state == "supplement":
        supplements.request_supplement(dossier, actor=worker, reason="Thiếu", items=["Tờ khai"])
    elif state == "financial":
        obligations.require_payment(dossier, actor=worker, description="Lệ phí", amount=200000)
    elif state != "step4":
        _done(dossier, worker)  # verification at the commune: step 5, the signature
        if state != "step5":
            _done(dossier, u[("leader", "competent")], approve=True)
        if state == "resolved":
            results.mark_result_ready(dossier, actor=clerk)
    return Dossier.objects.get(pk=dossier.pk)


# --- The requests -------------------------------------------------------------------------


def _active_step(dossier: Dossier) -> int:
    return dossier.steps.get(state="active").pk


def _counter(world, **extra) -> dict:
    version = world["procedure"].current_version
    return {
        "procedure": world["procedure"].code,
        "agency": world["agencies"]["receiving"].code,
        "applicant": {"type": "citizen", "name": CITIZEN.name, "id_number": CITIZEN.id_number},
        "handed_in": [{"component_id": c.pk, "originals": 1} for c in version.components.all()],
        **extra,
    }


MISSING = [{"name": "Tờ khai", "reason": "Thiếu chữ ký"}]


@dataclass(frozen=True)
class Case:
    state: str
    path: str  # after /api/v1/dossiers/{code}, or "print/NN", or a full API path for intake
    body: object = None  # (dossier, world) -> dict


CASES: dict[str, Case] = {
    "submit-online": Case("new", "/api/v1/dossiers/online", lambda d, w: _counter(w)),
    "receive-at-counter": Case("new", "/api/v1/dossiers", lambda d, w: _counter(w)),
    "guide-at-counter": Case(
        "new", "/api/v1/dossiers", lambda d, w: _counter(w, outcome="supplement", missing=MISSING)
    ),
    "refuse-at-counter": Case(
        "new", "/api/v1/dossiers", lambda d, w: _counter(w, outcome="refuse", refusal_reasons="x")
    ),
    "receive-online": Case("submitted", "receive"),
    "guide-online": Case("submitted", "request-supplement", lambda d, w: {"missing": MISSING}),
    "refuse-online": Case(
        "submitted", "refuse", lambda d, w: {"reasons": "Không thuộc thẩm quyền"}
    ),
    "hand-over": Case("received", "hand-over"),
    "assign": Case(
        "step4",
        "assign",
        lambda d, w: {"step": _active_step(d), "assignee": "specialist-step"},
    ),
    "complete": Case("step4", "complete-step", lambda d, w: {"step": _active_step(d)}),
    "approve": Case("step5", "approve", lambda d, w: {"step": _active_step(d)}),
    "send-back": Case(
        "step4", "send-back", lambda d, w: {"step": _active_step(d), "to_order": 2, "reason": "x"}
    ),
    "consult": Case(
        "step4",
        "consult",
        lambda d, w: {
            "step": _active_step(d),
            "to_agency": w["agencies"]["consulted"].code,
            "content": "Ý kiến?",
            "deadline_days": "2",
        },
    ),
    "answer-consultation": Case(
        "step4",
        "answer-consultation",
        lambda d, w: {"consultation": d.consultations.get().pk, "answer": "Đồng ý"},
    ),
    "request-supplement": Case(
        "step4", "supplement", lambda d, w: {"reason": "Thiếu", "items": ["Giấy tờ"]}
    ),
    "receive-supplement": Case("supplement", "supplement-received"),
    "require-payment": Case("step4", "payment", lambda d, w: {"description": "Lệ phí"}),
    "confirm-payment": Case("financial", "payment-confirmed"),
    "apologise": Case(
        "step4",
        "apology",
        lambda d, w: {"reason": "Chậm", "new_due_at": NEW_APPOINTMENT.isoformat()},
    ),
    "result-ready": Case("all-done", "result-ready"),
    "refuse": Case(
        "step4", "refuse-after-appraisal", lambda d, w: {"reason": "Không đủ điều kiện"}
    ),
    "return": Case(
        "resolved", "return", lambda d, w: {"method": "in_person", "collected_by_name": "Bình"}
    ),
    "withdraw": Case("received", "withdraw", lambda d, w: {"reason": "Người nộp rút"}),
    "stop": Case("step4", "stop", lambda d, w: {"reason": "Dừng"}),
    "attach": Case("step4", "attachments"),
    "print-01": Case("received", "print/01"),
    "print-02": Case("supplement", "print/02"),
    "print-03": Case("refused", "print/03"),
    "print-04": Case("apologised", "print/04"),
    "print-05": Case("step4", "print/05"),
}
PDF = blank_pdf()  # a real PDF: scans of documents are read (registry.quality)


def send(client: Client, case: Case, dossier: Dossier | None, world):
    body = case.body(dossier, world) if callable(case.body) else {}  # type: ignore[operator]
    if case.path.startswith("/api/"):
        return client.post(case.path, body, content_type="application/json")
    assert dossier is not None
    code = dossier.code
    if case.path.startswith("print/"):
        return client.get(f"/backoffice/ho-so/{code}/in/{case.path[6:]}/")
    if case.path == "attachments":
        upload = {"file": _file(), "kind": "scan"}
        return client.post(f"/api/v1/dossiers/{code}/attachments", upload)
    url = f"/api/v1/dossiers/{code}/{case.path}"
    return client.post(url, body, content_type="application/json")


def _file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")


def clients(world) -> dict[tuple[str, str], Client]:
    found = {}
    for persona, user in world["users"].items():
        client = Client()
        client.force_login(user)
        found[persona] = client
    return found


def refused_properly(response, persona, state: State) -> bool:
    if response.status_code == 404:
        return not sees(persona, state)
    if response.status_code != 403:
        return False
    if response["Content-Type"].startswith("application/json"):
        error = response.json()["error"]
        return error["code"] == "forbidden" and bool(error["message"])
    return True  # the back office's page, with the reason as a message


def succeeded(response) -> bool:
    return response.status_code in (200, 201)


@pytest.mark.parametrize("operation", list(CASES))
def test_who_may_perform_each_operation(operation, world):
    case = CASES[operation]
    state = STATES[case.state]
    dossier = build(case.state, world)
    wrong = []
    with at(NOW):
        for persona, client in clients(world).items():
            with transaction.atomic():
                response = send(client, case, dossier, world)
                transaction.set_rollback(True)
            permitted = expected(operation, persona, state)
            ok = succeeded(response) if permitted else refused_properly(response, persona, state)
            if not ok:
                detail = response.content[:200].decode(errors="replace")
                verdict = "should be allowed" if permitted else "LEAK: should be refused"
                wrong.append(f"{persona}: {verdict}, got {response.status_code} {detail}")
    assert not wrong, "\n".join(wrong)


PAGE_STATES = [s for s in STATES if s not in ("new", "step5")]
# The API's name of each action (POST /api/v1/dossiers/{code}/<name>); prints are pages only.
API_NAMES = {
    "complete": "complete-step",
    "request-supplement": "supplement",
    "receive-supplement": "supplement-received",
    "require-payment": "payment",
    "confirm-payment": "payment-confirmed",
    "apologise": "apology",
    "refuse": "refuse-after-appraisal",
    "attach": "attachments",
    "receive-online": "receive",
    "refuse-online": "refuse",
    "guide-online": "request-supplement",
}
# An online submission is received, guided to supplement or refused on the page and in the API.
OFFERED_IN = {**OFFERED_IN, "receive-online": {1}, "refuse-online": {1}, "guide-online": {1}}
OFFERED_IN_API = OFFERED_IN
# The page's action names for them (backoffice/actions.py).
PAGE_NAMES = {
    "receive": "receive-online",
    "guide-supplement": "guide-online",
    "refuse-at-reception": "refuse-online",
}
ACTION = re.compile(r'/xu-ly/([a-z-]+)/"')
PRINT = re.compile(r'/in/(0[1-5])/"')


def offered_on_page(response) -> set[str]:
    html = response.content.decode()
    found = {PAGE_NAMES.get(n, n) for n in ACTION.findall(html)}
    found |= {f"print-{n}" for n in PRINT.findall(html)}
    if "/dinh-kem/" in html:
        found.add("attach")
    return found


@pytest.mark.parametrize("state_name", PAGE_STATES)
def test_the_dossier_page_offers_exactly_the_permitted_actions(state_name, world):
    state = STATES[state_name]
    dossier = build(state_name, world)
    wrong = []
    with at(NOW):
        for persona, client in clients(world).items():
            response = client.get(f"/backoffice/ho-so/{dossier.code}/")
            if not sees(persona, state):
                if response.status_code != 404:
                    wrong.append(f"{persona}: LEAK: sees the page ({response.status_code})")
                continue
            want = {
                name
                for name, statuses in OFFERED_IN.items()
                if dossier.status in statuses and expected(name, persona, state)
            }
            if state.active_at != "competent":
                want.discard("approve")  # only a leader's step is approved
            want -= {"print-02", "print-04"} - state.printable
            got = offered_on_page(response)
            api = set(client.get(f"/api/v1/dossiers/{dossier.code}").json()["available_actions"])
            want_api = {
                API_NAMES.get(name, name)
                for name, statuses in OFFERED_IN_API.items()
                if dossier.status in statuses
                and expected(name, persona, state)
                and not name.startswith("print-")
                and (name != "approve" or "approve" in want)
            }
            if api != want_api:
                wrong.append(f"{persona}: API leaked {api - want_api}, missing {want_api - api}")
            if got != want:
                wrong.append(
                    f"{persona}: leaked {got - want or '{}'}, missing {want - got or '{}'}"
                )
    assert not wrong, "\n".join(wrong)
