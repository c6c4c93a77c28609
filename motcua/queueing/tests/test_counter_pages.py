"""The counter widget through HTTP: take the counter, call, start serving (the intake with
the service's procedures and the applicant), record the dossier (linked to the ticket),
pickup tickets open the ready dossier; only the point's receiving clerks."""

from datetime import date, time

import pytest
from django.urls import reverse

from conftest import PASSWORD
from motcua.backoffice.tests.test_intake_pages import intake_data
from motcua.dossiers.models import Dossier
from motcua.queueing import calling, tickets
from motcua.queueing.models import Appointment, State, Ticket, TicketEvent


@pytest.fixture
def clerk_client(client, clerk):
    client.login(username=clerk.username, password=PASSWORD)
    return client


def post(client, name, *args):
    return client.post(reverse(f"queueing:{name}", args=args))


def test_the_clerk_takes_the_counter_and_calls(
    clerk_client, clerk, at_nine, counter_one, intake_service
):
    ticket = tickets.issue_ticket(tickets.Request(service=intake_service))
    listing = clerk_client.get(reverse("queueing:counters")).content.decode()
    slug = counter_one.point.slug
    assert reverse("queueing:widget", args=[counter_one.pk]) in listing
    assert reverse("queueing-public:board", args=[slug]) in listing
    page = clerk_client.get(reverse("queueing:widget", args=[counter_one.pk])).content.decode()
    assert reverse("queueing:take", args=[counter_one.pk]) in page
    post(clerk_client, "take", counter_one.pk)
    response = post(clerk_client, "call-next", counter_one.pk)
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.state, ticket.counter, ticket.officer) == (State.CALLED, counter_one, clerk)
    page = clerk_client.get(reverse("queueing:widget", args=[counter_one.pk])).content.decode()
    assert "A001" in page


def test_calling_without_duty_says_why(clerk_client, at_nine, counter_one, intake_service):
    tickets.issue_ticket(tickets.Request(service=intake_service))
    response = post(clerk_client, "call-next", counter_one.pk)
    page = clerk_client.get(response["Location"]).content.decode()
    assert Ticket.objects.get().state == State.WAITING
    assert 'class="error"' in page or "error" in page


def test_clerk_of_another_agency_gets_404(client, clerk_of_other_agency, counter_one):
    client.login(username=clerk_of_other_agency.username, password=PASSWORD)
    assert client.get(reverse("queueing:widget", args=[counter_one.pk])).status_code == 404
    assert post(client, "take", counter_one.pk).status_code == 404
    assert client.get(reverse("queueing:counters")).status_code == 200


def test_get_does_not_change_a_ticket(clerk_client, at_nine, on_duty, intake_service):
    tickets.issue_ticket(tickets.Request(service=intake_service))
    assert clerk_client.get(reverse("queueing:call-next", args=[on_duty.pk])).status_code == 405
    assert Ticket.objects.get().state == State.WAITING


def test_start_serving_opens_the_intake_and_the_dossier_remembers_the_ticket(
    clerk_client, clerk, at_nine, on_duty, intake_service, birth_registration, commune_agency
):
    Appointment.objects.create(
        point=on_duty.point, service=intake_service, day=date(2026, 12, 1), slot=time(9, 0),
        code="HEN23456", name="Trần Thị Bình", phone="0987654321", id_number="042195004321",
    )  # fmt: skip
    ticket = tickets.check_in(on_duty.point, "HEN23456")
    calling.call_next(on_duty, actor=clerk)
    response = post(clerk_client, "operate", on_duty.pk, ticket.pk, "start")
    assert response["Location"] == reverse("queueing:serve", args=[on_duty.pk])
    page = clerk_client.get(response["Location"]).content.decode()
    intake_url = reverse("backoffice:intake", args=[birth_registration.code])
    assert intake_url in page and "id_number=042195004321" in page
    form = clerk_client.get(intake_url, {"name": "Trần Thị Bình", "id_number": "042195004321"})
    assert 'value="042195004321"' in form.content.decode()
    data = intake_data(
        birth_registration, commune_agency, id_number="042195004321", name="Trần Thị Bình"
    )
    assert clerk_client.post(intake_url, data).status_code == 302
    dossier = Dossier.objects.get()
    ticket.refresh_from_db()
    assert ticket.dossier == dossier
    linked = TicketEvent.objects.get(ticket=ticket, action="dossier_linked")
    assert linked.data["dossier"] == dossier.pk


def test_a_dossier_recorded_while_serving_no_ticket_links_nothing(
    clerk_client, at_nine, birth_registration, commune_agency, on_duty, intake_service
):
    tickets.issue_ticket(tickets.Request(service=intake_service))  # waiting, not served
    intake_url = reverse("backoffice:intake", args=[birth_registration.code])
    clerk_client.post(intake_url, intake_data(birth_registration, commune_agency))
    assert Ticket.objects.get().dossier is None


def test_a_pickup_ticket_opens_the_ready_dossier(
    clerk_client, clerk, at_nine, on_duty, pickup_service, birth_registration, commune_agency
):
    from conftest import complete_intake
    from motcua.dossiers.applicants import Applicant
    from motcua.dossiers.intake import receive_dossier
    from motcua.dossiers.status import Status

    dossier = receive_dossier(
        complete_intake(
            birth_registration,
            commune_agency,
            Applicant("citizen", "Nguyễn Văn An", "042090001234"),
        ),
        actor=clerk,
    )
    Dossier.objects.filter(pk=dossier.pk).update(status=Status.RESOLVED)
    ticket = tickets.issue_ticket(tickets.Request(service=pickup_service, pickup_code=dossier.code))
    calling.call_next(on_duty, actor=clerk)
    post(clerk_client, "operate", on_duty.pk, ticket.pk, "start")
    response = clerk_client.get(reverse("queueing:serve", args=[on_duty.pk]))
    assert response["Location"] == reverse("backoffice:dossier", args=[dossier.code])


def test_transfer_and_hold_through_the_widget(
    clerk_client, clerk, second_clerk, at_nine, on_duty, counter_two, intake_service
):
    calling.take_duty(counter_two, actor=second_clerk)
    ticket = tickets.issue_ticket(tickets.Request(service=intake_service))
    calling.call_next(on_duty, actor=clerk)
    url = reverse("queueing:transfer", args=[on_duty.pk, ticket.pk])
    clerk_client.post(url, {"service": "", "counter": counter_two.pk})
    ticket.refresh_from_db()
    assert (ticket.state, ticket.target_counter) == (State.WAITING, counter_two)


def test_the_counter_gives_a_ticket_once_per_form(clerk_client, at_nine, on_duty, intake_service):
    data = {"service": intake_service.pk, "token": "g1"}
    clerk_client.post(reverse("queueing:give", args=[on_duty.pk]), data)
    clerk_client.post(reverse("queueing:give", args=[on_duty.pk]), data)
    assert Ticket.objects.get().channel == "counter"


def test_the_days_figures(clerk_client, clerk, at_nine, on_duty, intake_service):
    first = tickets.issue_ticket(tickets.Request(service=intake_service))
    tickets.issue_ticket(tickets.Request(service=intake_service))
    at_nine.shift(600)  # ten minutes later
    calling.call_next(on_duty, actor=clerk)
    calling.start_serving(on_duty, first.pk, actor=clerk)
    at_nine.shift(300)
    calling.finish(on_duty, first.pk, actor=clerk)
    response = clerk_client.get(reverse("queueing:figures", args=[on_duty.point.slug]))
    assert response.status_code == 200
    total = response.context["total"]
    assert (total.tickets, total.served, total.wait_mean, total.service_mean) == (2, 1, 10.0, 5.0)
    assert response.context["waiting"][0]["count"] == 1


def test_figures_of_another_agency_are_404(client, clerk_of_other_agency, point):
    client.login(username=clerk_of_other_agency.username, password=PASSWORD)
    assert client.get(reverse("queueing:figures", args=[point.slug])).status_code == 404


def test_the_serve_page_narrows_the_services_procedures(
    clerk_client, clerk, at_nine, on_duty, intake_service, birth_registration, civil_status_field
):
    from conftest import procedure_values
    from motcua.catalogue.services import create_procedure

    intake_service.fields.add(civil_status_field)
    create_procedure(
        "1.000893", actor=None, owner_agency=birth_registration.owner_agency,
        values=procedure_values(civil_status_field, name="Đăng ký kết hôn"),
    )  # fmt: skip
    ticket = tickets.issue_ticket(tickets.Request(service=intake_service))
    calling.call_next(on_duty, actor=clerk)
    calling.start_serving(on_duty, ticket.pk, actor=clerk)
    url = reverse("queueing:serve", args=[on_duty.pk])
    every = clerk_client.get(url).context["procedures"]
    assert {p.code for p in every} == {"1.001193", "1.000893"}
    narrowed = clerk_client.get(url, {"q": "ket hon"}).context["procedures"]
    assert [p.code for p in narrowed] == ["1.000893"]


def test_the_waiting_counts_redraw(
    clerk_client, at_nine, on_duty, intake_service, django_assert_max_num_queries
):
    for _ in range(3):
        tickets.issue_ticket(tickets.Request(service=intake_service))
    url = reverse("queueing:waiting", args=[on_duty.pk])
    with django_assert_max_num_queries(8):
        response = clerk_client.get(url)
    assert "Hộ tịch: 3" in response.content.decode()
