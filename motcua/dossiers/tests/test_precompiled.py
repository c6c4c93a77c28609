"""The compiled reads and saves the lifecycle runs on (motcua.precompiled): they must read
and write exactly what the ORM would, on SQLite and PostgreSQL, and fall back to Django
where they cannot."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection, transaction
from django.db.models.signals import post_save
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from motcua import precompiled
from motcua.dossiers.flow import lock, steps_of
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep
from motcua.dossiers.status import Action

from .conftest import MONDAY, at

pytestmark = pytest.mark.django_db

FIELDS = precompiled.attnames(Dossier)
BY_CODE = precompiled.Query(
    lambda p: Dossier.objects.filter(code=p.text("code")).values_list(*FIELDS)
)
RECEIVED_BETWEEN = precompiled.Query(
    lambda p: (
        Dossier.objects.filter(
            received_at__date__gte=p.day("first"),
            received_at__date__lte=p.day("last"),
            status__in=[2, 4],  # a constant list stays in the statement
        )
        .order_by("id")
        .values_list("code")
    )
)


def values(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_instances_equal_the_orms_own(processing):
    orm = Dossier.objects.get(pk=processing.pk)
    [compiled] = BY_CODE.instances(code=processing.code)
    assert values(compiled) == values(orm)
    assert compiled.received_at.tzinfo is not None  # aware, as the ORM gives them
    assert isinstance(compiled.tally, dict) and compiled.tally == orm.tally
    assert not compiled._state.adding and compiled._state.db == "default"
    assert BY_CODE.instances(code="H42-000000-0000") == []


def test_steps_equal_the_orms_with_their_agency_name(processing):
    expected = list(processing.steps.select_related("agency").order_by("order", "id"))
    found = steps_of(processing)
    assert [values(s) for s in found] == [values(s) for s in expected]
    assert [s.agency.name for s in found] == [s.agency.name for s in expected]


def test_parameters_change_between_runs_and_constants_stay(receive):
    monday = receive()
    tuesday = receive(MONDAY + timedelta(days=1))
    day = MONDAY.date()
    assert RECEIVED_BETWEEN.run(first=day, last=day) == [[monday.code]]
    both = RECEIVED_BETWEEN.run(first=day, last=day + timedelta(days=1))
    assert both == [[monday.code], [tuesday.code]]
    assert RECEIVED_BETWEEN.run(first=date(2020, 1, 1), last=date(2020, 1, 2)) == []
    with pytest.raises(TypeError):
        RECEIVED_BETWEEN.run(first=day)


def test_unconverted_rows_are_the_drivers_own(processing):
    raw = precompiled.Query(BY_CODE._build, convert=False)
    [converted], [as_given] = BY_CODE.run(code=processing.code), raw.run(code=processing.code)
    received = FIELDS.index("received_at")
    assert as_given[FIELDS.index("code")] == processing.code
    assert converted[received] == processing.received_at
    if connection.vendor == "sqlite":  # naive UTC: the converter is what makes it aware
        assert as_given[received] == processing.received_at.replace(tzinfo=None)
    with pytest.raises(ImproperlyConfigured):
        raw.instances(code=processing.code)


def test_compiled_reads_are_seen_when_django_counts_queries(processing):
    with CaptureQueriesContext(connection) as seen:
        BY_CODE.run(code=processing.code)
    assert len(seen) == 1 and "SELECT" in seen[0]["sql"]


@pytest.mark.django_db(transaction=True)  # autocommit between statements, as in production
def test_a_lock_outside_a_transaction_is_refused_as_by_the_orm(processing):
    if not connection.features.has_select_for_update:
        pytest.skip("SQLite has no FOR UPDATE: the whole database is locked instead")
    with pytest.raises(TransactionManagementError):
        lock(processing)
    with transaction.atomic():
        assert lock(processing).pk == processing.pk


def test_a_lock_of_a_vanished_dossier_says_so(processing):
    ghost = Dossier(pk=processing.pk + 1000)
    with transaction.atomic(), pytest.raises(Dossier.DoesNotExist):
        lock(ghost)


def test_compiled_update_writes_the_fields_and_auto_now(processing):
    before = Dossier.objects.get(pk=processing.pk)
    with at(MONDAY + timedelta(hours=2)):
        processing.subject = "Đổi tên chủ đề"
        processing.sets = 7  # changed in memory, not listed: not saved
        processing.save(update_fields=["subject", "updated_at"])
    after = Dossier.objects.get(pk=processing.pk)
    assert after.subject == "Đổi tên chủ đề"
    assert after.sets == before.sets
    assert after.updated_at == MONDAY + timedelta(hours=2)  # auto_now applied


def test_compiled_update_of_a_missing_row_fails_like_django(processing):
    ghost = Dossier.objects.get(pk=processing.pk)
    ghost.pk = processing.pk + 1000
    with transaction.atomic(), pytest.raises(DatabaseError):
        ghost.save(update_fields=["subject"])


def test_compiled_insert_stores_what_the_orm_reads(processing):
    step = processing.steps.get(order=2)
    with at(MONDAY):
        event = DossierEvent.objects.create(
            dossier=processing,
            action=Action.ASSIGN,
            actor=None,
            from_status=4,
            to_status=4,
            step=step,
            note="Giao cho chuyên viên",
            data={"names": ["Nguyễn Văn An"], "hours": 1.5},
        )
    assert event.pk is not None and not event._state.adding
    stored = DossierEvent.objects.get(pk=event.pk)
    assert values(stored) == values(event)
    assert stored.created_at == MONDAY  # the field's default, as the ORM would set it


def test_saves_with_receivers_or_options_go_through_django(processing):
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(kwargs.get("update_fields"))

    post_save.connect(receiver, sender=DossierStep)
    try:
        step = processing.steps.get(order=2)
        step.name = "Thẩm định lại"
        step.save(update_fields=["name"])
    finally:
        post_save.disconnect(receiver, sender=DossierStep)
    assert seen == [frozenset({"name"})]
    assert DossierStep.objects.get(pk=step.pk).name == "Thẩm định lại"
