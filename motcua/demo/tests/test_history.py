"""seed_demo --dossiers (motcua.demo.history, live): history with steps and events, work in
every demo user's queues as the "my work" page reads them, an overdue dossier with its
apology, realistic applicants, and nothing added by a second run.

The demo with a small history is seeded once for the module inside a transaction rolled
back at its end; each test runs in a savepoint of it.
"""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from motcua.backoffice.process_views import QUEUES, QUEUES_BY_SLUG
from motcua.catalogue.models import ApplicantType
from motcua.demo import history
from motcua.demo.live import CASES
from motcua.demo.organisations import AGENCIES
from motcua.dossiers.applicants import check_id_number
from motcua.dossiers.models import Apology, Dossier, DossierEvent, DossierStep, SupplementRequest
from motcua.dossiers.status import Action, Status
from motcua.reports.models import DayTally, MonthTally

COUNT = 300
# The queues each demo user must find something in (slugs of backoffice.process_views).
EXPECTED = {
    "tiepnhan": {"truc-tuyen", "chuyen-xu-ly", "tra-ket-qua"},
    "tiepnhan.thanhsen": {"chuyen-xu-ly", "tra-ket-qua", "cho-cong-dan"},
    "truongphong": {"phan-cong"},
    "chuyenvien": {"xu-ly", "sap-den-han", "qua-han", "cho-cong-dan"},
    "lanhdao": {"phe-duyet"},
    "giamsat": {"sap-den-han", "qua-han", "y-kien-qua-han", "cho-cong-dan"},
    "phancong.thanhsen": {"phan-cong", "y-kien"},
    "hotich.thanhsen": {"xu-ly"},
    "kinhte.thanhsen": {"phan-cong", "xu-ly"},
    "chutich.thanhsen": {"phe-duyet"},
}

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo-history")]


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The command's output, with the database seeded for the module."""
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                out = StringIO()
                call_command("seed_demo", dossiers=True, history=COUNT, stdout=out)
                yield out.getvalue()
                raise _Rollback
        except _Rollback:
            pass


def _live() -> list[Dossier]:
    """The dossiers moved through the services (the history's events say "synthetic")."""
    synthetic = DossierEvent.objects.filter(data__synthetic=True).values("dossier")
    return list(Dossier.objects.exclude(pk__in=synthetic).order_by("pk"))


def test_history_has_steps_and_events_on_the_demo_province(seeded):
    dossiers = Dossier.objects.all()
    assert dossiers.count() == COUNT + len(CASES)
    # The summary (in Vietnamese) counts what was written.
    history_events = DossierEvent.objects.filter(data__synthetic=True).count()
    assert f" {COUNT:,} " in seeded and f" {history_events:,} " in seeded
    assert not dossiers.filter(events__isnull=True).exists()
    assert DossierStep.objects.count() > COUNT * 3
    demo = {code for code, *_ in AGENCIES}
    assert set(dossiers.values_list("competent_agency__code", flat=True)) <= demo
    returned = dossiers.filter(status=Status.RETURNED).first()
    assert returned is not None
    actions = list(returned.events.values_list("action", flat=True))
    assert actions[0] in {Action.RECEIVE, Action.SUBMIT_ONLINE}
    assert {Action.HAND_OVER, Action.COMPLETE_STEP, Action.RETURN_RESULT} <= set(actions)
    # Each completion in the history is by its step's officer; which dossier comes first
    # depends on the day the history is told from, so the returned dossiers are asked together.
    completions = DossierEvent.objects.filter(action=Action.COMPLETE_STEP, data__synthetic=True)
    assert completions.filter(dossier__status=Status.RETURNED, actor__isnull=False).exists()
    for actor, assignee in completions.values_list("actor_id", "step__assignee_id"):
        assert actor == assignee
    for refusal in DossierEvent.objects.filter(action=Action.REFUSE_AFTER_APPRAISAL):
        # The refusal finishes its step, as results.refuse_after_appraisal does, by its
        # officer (none at an agency without staff in the demo: H42.50.02, H42.20).
        step = refusal.step
        assert step is not None and refusal.actor_id == step.assignee_id
        assert not DossierEvent.objects.filter(
            action=Action.COMPLETE_STEP, step=refusal.step_id
        ).exists()
    # The statistics were rebuilt from the rows: the reports have something to show.
    assert DayTally.objects.exists() and MonthTally.objects.exists()


def test_every_demo_user_finds_work_in_the_queues_of_my_work(seeded):
    users = {user.username: user for user in get_user_model().objects.all()}
    live = {d.pk for d in _live()}
    for username, slugs in EXPECTED.items():
        for slug in slugs:
            items = QUEUES_BY_SLUG[slug].items(users[username])
            field = "pk" if items.model is Dossier else "dossier"
            assert items.filter(**{f"{field}__in": live}).exists(), (username, slug)
    for username in EXPECTED:
        assert username in seeded
    # The command's summary counts the page's queues.
    assert [(str(t), items) for t, items in history.QUEUES] == [
        (str(queue.title), queue.items) for queue in QUEUES
    ]


def test_the_my_work_page_shows_them(seeded, client):
    head = get_user_model().objects.get(username="truongphong")
    # The module's users were saved before the tests' fast password hasher was set: no
    # client.login with the demo password here.
    client.force_login(head)
    response = client.get("/backoffice/viec-cua-toi/")
    assert response.status_code == 200
    waiting = QUEUES_BY_SLUG["phan-cong"].items(head).first()
    assert waiting is not None
    assert waiting.dossier.code in response.content.decode()


def test_an_overdue_dossier_has_its_apology(seeded):
    giamsat = get_user_model().objects.get(username="giamsat")
    late = QUEUES_BY_SLUG["qua-han"].items(giamsat).filter(apology_count=1)
    dossier = late.get(pk__in=[d.pk for d in _live()])
    apology = Apology.objects.get(dossier=dossier)
    assert apology.issued_on_time
    assert apology.previous_due_at < apology.new_due_at == dossier.due_at < timezone.now()
    assert dossier.events.filter(action=Action.APOLOGISE).exists()


def test_live_dossiers_went_through_the_services_in_the_past(seeded):
    now = timezone.now()
    live = _live()
    assert len(live) == len(CASES)
    for dossier in live:
        events = list(dossier.events.order_by("created_at", "pk"))
        assert events and all(event.created_at < now for event in events)
        assert dossier.received_at is None or dossier.tally  # the statistics count it
        number = dossier.applicant_id_number
        assert check_id_number(dossier.applicant_type, number) == number  # the counter's rule
    assert {d.applicant_type for d in live} == {ApplicantType.CITIZEN, ApplicantType.ENTERPRISE}
    ready = [d for d in live if d.status == Status.RESOLVED]
    actions = [e.action for e in ready[0].events.order_by("created_at", "pk")]
    assert actions == [
        Action.RECEIVE, Action.HAND_OVER, Action.COMPLETE_STEP, Action.ASSIGN,
        Action.COMPLETE_STEP, Action.COMPLETE_STEP, Action.MARK_RESULT_READY,
    ]  # fmt: skip
    assert SupplementRequest.objects.filter(dossier__in=live, answered_at=None).exists()


def test_a_second_run_adds_nothing(seeded):
    tables = (Dossier, DossierEvent, DossierStep, Apology, SupplementRequest, DayTally)
    before = [model.objects.count() for model in tables]
    again = history.seed_dossiers(count=COUNT)
    assert again.existing == COUNT + len(CASES)
    assert not again.history and not again.live
    assert [model.objects.count() for model in tables] == before
