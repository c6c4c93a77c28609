"""seed_demo gives every active reception point a queue (seed_queue_demo), again and again
without a twin; two reception points of the same name get two addresses."""

from io import StringIO

from django.core.management import call_command

from motcua.organisations.models import ReceptionPoint
from motcua.queueing.demo import seed_queues
from motcua.queueing.models import QueueCounter, QueueService, ServicePoint


def counts() -> tuple[int, int, int]:
    return ServicePoint.objects.count(), QueueService.objects.count(), QueueCounter.objects.count()


def test_seed_demo_gives_every_reception_point_a_queue_once(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    active = ReceptionPoint.objects.filter(is_active=True).count()
    assert active and counts()[0] == active
    assert counts()[1] == 3 * active
    assert "/kiosk/" in out.getvalue()
    before = counts()
    call_command("seed_queue_demo", stdout=StringIO())
    assert counts() == before


def test_two_points_of_the_same_name_get_two_addresses(commune_agency, other_commune_agency):
    for agency in (commune_agency, other_commune_agency):
        ReceptionPoint.objects.create(agency=agency, name="Bộ phận một cửa")
    seed_queues()
    slugs = sorted(ServicePoint.objects.values_list("slug", flat=True))
    assert len(set(slugs)) == 2 and slugs[0] == "bo-phan-mot-cua"
