from datetime import datetime

import pytest
import time_machine

from conftest import make_user
from motcua.organisations.models import Counter, ReceptionPoint
from motcua.organisations.roles import Role
from motcua.queueing import calling
from motcua.queueing.models import QueueCounter, QueueService, ServiceKind, ServicePoint
from motcua.queueing.numbering import ZONE

# A working Tuesday, 09:00 in Hà Tĩnh.
MORNING = datetime(2026, 12, 1, 9, 0, tzinfo=ZONE)


@pytest.fixture
def at_nine():
    with time_machine.travel(MORNING, tick=False) as traveller:
        yield traveller


@pytest.fixture
def point(commune_agency):
    reception = ReceptionPoint.objects.create(agency=commune_agency, name="Bộ phận một cửa")
    return ServicePoint.objects.create(
        reception_point=reception, slug="thanh-sen", priority_categories=["elderly", "disabled"]
    )


@pytest.fixture
def intake_service(point, birth_registration):
    service = QueueService.objects.create(point=point, prefix="A", name="Hộ tịch", position=1)
    service.procedures.add(birth_registration)
    return service


@pytest.fixture
def pickup_service(point):
    return QueueService.objects.create(
        point=point, prefix="T", name="Trả kết quả", kind=ServiceKind.PICKUP, position=2
    )


def make_counter(point, number, *services, code=None):
    counter = Counter.objects.create(reception_point=point.reception_point, number=number)
    queue_counter = QueueCounter.objects.create(
        counter=counter, point=point, code=code or f"{point.slug}-{number}"
    )
    queue_counter.services.set(services)
    return queue_counter


@pytest.fixture
def counter_one(point, intake_service, pickup_service):
    return make_counter(point, 1, intake_service, pickup_service)


@pytest.fixture
def counter_two(point, intake_service):
    return make_counter(point, 2, intake_service)


@pytest.fixture
def on_duty(clerk, counter_one):
    calling.take_duty(counter_one, actor=clerk)
    counter_one.refresh_from_db()
    return counter_one


@pytest.fixture
def second_clerk(commune_agency):
    return make_user("clerk2", commune_agency, Role.RECEIVING_CLERK)
