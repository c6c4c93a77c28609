"""The kiosk through HTTP: a tap gives a ticket and its printable page; a second tap of the
same page gives the same ticket; bad input keeps what was typed; appointments check in."""

from datetime import date, time

import pytest
from django.urls import reverse

from motcua.queueing.models import Appointment, Channel, Ticket, TicketEvent

from .conftest import MORNING


def take(client, point, service, **extra):
    data = {"service": service.pk, "token": extra.pop("token", "t1"), **extra}
    return client.post(reverse("queueing-public:take", args=[point.slug]), data)


def test_the_kiosk_shows_the_services(client, at_nine, point, intake_service, pickup_service):
    response = client.get(reverse("queueing-public:kiosk", args=[point.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Hộ tịch" in page and "Trả kết quả" in page
    assert f'name="service" value="{intake_service.pk}"' in page
    assert "<script>" not in page  # CSP: no inline script


def test_one_kiosk_point_opens_directly(client, point):
    response = client.get(reverse("queueing-public:kiosk-index"))
    assert response["Location"] == reverse("queueing-public:kiosk", args=[point.slug])


def test_a_tap_gives_a_ticket_and_its_page(client, at_nine, point, intake_service):
    response = take(
        client, point, intake_service, priority_category="elderly", phone="0912 345 678"
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert (
        response["Location"]
        == reverse("queueing-public:ticket", args=[ticket.public_token]) + "?in=1"
    )
    assert (ticket.display_code, ticket.channel, ticket.priority, ticket.phone) == (
        "A001", Channel.KIOSK, 0, "0912345678",
    )  # fmt: skip
    page = client.get(response["Location"]).content.decode()
    assert "A001" in page and "<svg" in page and 'data-print="1"' in page


def test_a_double_tap_gives_one_ticket(client, at_nine, point, intake_service):
    first = take(client, point, intake_service)
    second = take(client, point, intake_service)
    assert first["Location"] == second["Location"]
    assert Ticket.objects.count() == 1
    assert TicketEvent.objects.count() == 1


def test_a_bad_phone_keeps_what_was_typed(client, at_nine, point, intake_service):
    response = take(client, point, intake_service, phone="12ab")
    assert response.status_code == 400
    assert 'value="12ab"' in response.content.decode()
    assert not Ticket.objects.exists()


def test_a_service_of_another_point_is_refused(client, at_nine, point, commune_agency):
    from motcua.organisations.models import ReceptionPoint
    from motcua.queueing.models import QueueService, ServicePoint

    other = ServicePoint.objects.create(
        reception_point=ReceptionPoint.objects.create(agency=commune_agency, name="B"), slug="b"
    )
    foreign = QueueService.objects.create(point=other, prefix="B", name="B")
    assert take(client, point, foreign).status_code == 400
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_the_kiosk_says_when_the_centre_is_closed(client, point, intake_service):
    import time_machine

    with time_machine.travel(MORNING.replace(hour=21), tick=False):
        response = take(client, point, intake_service)
    assert response.status_code == 409
    assert "giờ làm việc" in response.content.decode()


def test_a_pickup_code_must_be_a_dossier(client, at_nine, point, pickup_service):
    response = take(client, point, pickup_service, pickup_code="H42-NOPE")
    assert response.status_code == 400
    assert "H42-NOPE" in response.content.decode()
    assert not Ticket.objects.exists()


def test_scanned_receipt_qr_gives_the_dossier_code(
    client, at_nine, point, pickup_service, birth_registration, commune_agency, clerk
):
    from conftest import complete_intake
    from motcua.dossiers.applicants import Applicant
    from motcua.dossiers.intake import receive_dossier

    dossier = receive_dossier(
        complete_intake(
            birth_registration,
            commune_agency,
            Applicant("citizen", "Nguyễn Văn An", "042090001234"),
        ),
        actor=clerk,
    )
    scanned = f"https://motcua.example/tra-cuu/?ma={dossier.code}"
    take(client, point, pickup_service, pickup_code=scanned)
    assert Ticket.objects.get().pickup_code == dossier.code


def test_an_appointment_checks_in_once(client, at_nine, point, intake_service):
    booked = Appointment.objects.create(
        point=point, service=intake_service, day=date(2026, 12, 1), slot=time(9, 30),
        code="ABCD2345", name="Trần Thị Bình", phone="0987654321", id_number="042195004321",
    )  # fmt: skip
    url = reverse("queueing-public:check-in", args=[point.slug])
    first = client.post(url, {"code": "abcd2345"})
    again = client.post(url, {"code": f"https://x/kiosk/{point.slug}/?hen=ABCD2345"})
    assert first["Location"] == again["Location"]
    ticket = Ticket.objects.get()
    booked.refresh_from_db()
    assert (booked.state, booked.ticket, ticket.channel) == (
        "checked_in",
        ticket,
        Channel.APPOINTMENT,
    )
    assert ticket.applicant_name == "Trần Thị Bình"


def test_an_unknown_appointment_code_is_said(client, at_nine, point, intake_service):
    response = client.post(reverse("queueing-public:check-in", args=[point.slug]), {"code": "ZZZZ"})
    assert response.status_code == 404
    assert "ZZZZ" in response.content.decode()


def test_the_ticket_image_and_escpos_bytes(client, at_nine, point, intake_service):
    take(client, point, intake_service)
    token = Ticket.objects.get().public_token
    png = client.get(reverse("queueing-public:ticket-image", args=[token]))
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    raw = client.get(reverse("queueing-public:ticket-escpos", args=[token])).content
    assert raw.startswith(b"\x1b@\x1dv0\x00") and raw.endswith(b"\x1dVB\x00")
    width_bytes = raw[6] + 256 * raw[7]
    assert width_bytes * 8 == 512


def test_an_unknown_ticket_is_404(client, db):
    assert client.get(reverse("queueing-public:ticket", args=["nope"])).status_code == 404


def test_a_device_taking_too_many_tickets_is_stopped(
    client, settings, at_nine, point, intake_service
):
    settings.MOTCUA_QUEUE_TICKET_LIMIT = 2
    for token in ("a", "b"):
        assert take(client, point, intake_service, token=token).status_code == 302
    refused = take(client, point, intake_service, token="c")
    assert refused.status_code == 429
    assert Ticket.objects.count() == 2
