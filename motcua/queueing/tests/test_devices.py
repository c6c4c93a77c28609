"""The rating tablet, the lookup kiosk and the booking page through HTTP."""

from datetime import date
from urllib.parse import urlparse

import pytest
from django.urls import reverse

from conftest import complete_intake
from motcua.dossiers.applicants import Applicant
from motcua.dossiers.intake import receive_dossier
from motcua.queueing import calling, tickets
from motcua.queueing.models import Appointment


@pytest.fixture
def served(at_nine, clerk, on_duty, intake_service, birth_registration, commune_agency):
    """A ticket being served at counter 1 whose dossier was just recorded."""
    ticket = tickets.issue_ticket(tickets.Request(service=intake_service))
    calling.call_next(on_duty, actor=clerk)
    calling.start_serving(on_duty, ticket.pk, actor=clerk)
    receive_dossier(
        complete_intake(
            birth_registration,
            commune_agency,
            Applicant("citizen", "Nguyễn Văn An", "042090001234"),
        ),
        actor=clerk,
    )
    ticket.refresh_from_db()
    return ticket


def test_the_tablet_waits_until_a_dossier_is_recorded(client, at_nine, on_duty):
    response = client.get(reverse("queueing-public:tablet", args=[on_duty.code]))
    assert response.status_code == 200
    assert (
        reverse("queueing-public:tablet-rate", args=[on_duty.code, 1])
        not in response.content.decode()
    )


def test_the_tablet_opens_the_rating_of_the_served_dossier(client, served, on_duty):
    devices = pytest.importorskip("motcua.feedback.devices")
    page = client.get(reverse("queueing-public:tablet", args=[on_duty.code])).content.decode()
    rate = reverse("queueing-public:tablet-rate", args=[on_duty.code, served.pk])
    assert rate in page
    response = client.get(rate)
    assert response.status_code == 302
    token = urlparse(response["Location"]).path.rstrip("/").rsplit("/", 1)[1]
    claim = devices.read_device_token(token)
    assert (claim.dossier, claim.counter_code, claim.ticket_number) == (
        served.dossier,
        on_duty.code,
        "A001",
    )


def test_the_tablet_rates_only_its_counters_ticket(client, served, counter_two):
    rate = reverse("queueing-public:tablet-rate", args=[counter_two.code, served.pk])
    assert client.get(rate).status_code == 404


def test_the_lookup_kiosk_finds_a_procedure_without_accents(client, birth_registration):
    response = client.get(reverse("queueing-public:lookup"), {"q": "khai sinh"})
    assert (
        reverse("queueing-public:lookup-procedure", args=[birth_registration.code])
        in response.content.decode()
    )
    detail = client.get(reverse("queueing-public:lookup-procedure", args=[birth_registration.code]))
    assert "Giấy chứng sinh" in detail.content.decode()


def test_the_lookup_kiosk_tracks_by_code_with_the_name_masked(client, served):
    code = served.dossier.code
    response = client.post(
        reverse("queueing-public:lookup"), {"ma": f"https://x/tra-cuu/?ma={code}"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and code in page
    assert "Nguyễn Văn An" not in page


def test_the_lookup_kiosk_says_an_unknown_code(client, db):
    response = client.post(reverse("queueing-public:lookup"), {"ma": "H42-NONE"})
    assert response.status_code == 404


def test_booking_a_slot_and_its_code(client, at_nine, point, intake_service):
    url = reverse("queueing-public:book", args=[point.slug])
    data = {
        "service": intake_service.pk,
        "day": "2026-12-02",
        "slot": "08:00",
        "name": "Trần Thị Bình",
        "phone": "0987654321",
        "id_number": "",
    }
    response = client.post(url, data)
    booked = Appointment.objects.get()
    assert response["Location"] == reverse("queueing-public:appointment", args=[booked.code])
    assert (booked.day, str(booked.slot)) == (date(2026, 12, 2), "08:00:00")
    page = client.get(response["Location"]).content.decode()
    assert booked.code in page and "<svg" in page


def test_a_full_slot_is_refused_and_the_form_kept(client, at_nine, point, intake_service):
    point.slot_capacity = 1
    point.save()
    url = reverse("queueing-public:book", args=[point.slug])
    data = {
        "service": intake_service.pk,
        "day": "2026-12-02",
        "slot": "08:00",
        "name": "An",
        "phone": "0987654321",
        "id_number": "",
    }
    client.post(url, data)
    response = client.post(url, {**data, "name": "Bình"})
    assert response.status_code == 409
    assert 'value="Bình"' in response.content.decode()
    assert Appointment.objects.count() == 1


def test_a_booking_in_the_past_or_at_lunch_is_refused(client, at_nine, point, intake_service):
    url = reverse("queueing-public:book", args=[point.slug])
    data = {
        "service": intake_service.pk,
        "day": "2026-12-01",
        "slot": "08:00",
        "name": "An",
        "phone": "0987654321",
        "id_number": "",
    }
    assert client.post(url, data).status_code == 409
    assert client.post(url, {**data, "day": "2026-12-02", "slot": "12:00"}).status_code == 409
    assert client.post(url, {**data, "day": "not a day"}).status_code == 400
    assert not Appointment.objects.exists()


def test_the_demo_queue_is_seeded_once(point, intake_service, commune_agency):
    from motcua.organisations.models import Counter, ReceptionPoint
    from motcua.queueing.demo import point_slug, seed_queues
    from motcua.queueing.models import QueueCounter, ServicePoint

    reception = ReceptionPoint.objects.create(
        agency=commune_agency, name="Trung tâm Phục vụ hành chính công xã Đức Thọ"
    )
    Counter.objects.create(reception_point=reception, number=1)
    seed_queues()
    seed_queues()
    made = ServicePoint.objects.get(reception_point=reception)
    assert made.slug == point_slug(reception.name) == "xa-duc-tho"
    assert made.services.count() == 3
    assert QueueCounter.objects.get(point=made).services.count() == 3


def test_bookings_from_one_address_are_limited(client, settings, at_nine, point, intake_service):
    settings.MOTCUA_QUEUE_BOOKING_LIMIT = 1
    url = reverse("queueing-public:book", args=[point.slug])
    data = {
        "service": intake_service.pk,
        "day": "2026-12-02",
        "slot": "08:00",
        "name": "An",
        "phone": "0987654321",
        "id_number": "",
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, {**data, "slot": "08:30"}).status_code == 429
    assert Appointment.objects.count() == 1


def test_a_booking_sent_twice_books_once(client, at_nine, point, intake_service):
    url = reverse("queueing-public:book", args=[point.slug])
    data = {
        "service": intake_service.pk,
        "day": "2026-12-02",
        "slot": "08:00",
        "name": "An",
        "phone": "0987654321",
        "id_number": "",
        "key": "k1",
    }
    first, again = client.post(url, data), client.post(url, data)
    assert first["Location"] == again["Location"]
    assert Appointment.objects.count() == 1
    assert 'name="key"' in client.get(url).content.decode()
