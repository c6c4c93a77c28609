"""The portal leads to the booking (home page, a procedure's page: the centres whose intake
covers it), and the rating tablet names the officer who served the ticket, even after a
colleague took the counter."""

from django.urls import reverse

from conftest import make_user
from motcua.organisations.roles import Role
from motcua.queueing import calling
from motcua.queueing.models import QueueService

from .test_devices import served  # noqa: F401  (fixture)

INDEX = reverse("queueing-public:book-index")


def test_the_home_page_links_to_the_booking(client, db):
    assert INDEX in client.get("/").content.decode()


def test_a_procedures_page_books_where_its_intake_is(
    client, point, intake_service, birth_registration, other_commune_agency
):
    from motcua.organisations.models import ReceptionPoint
    from motcua.queueing.models import ServicePoint

    other = ServicePoint.objects.create(
        reception_point=ReceptionPoint.objects.create(agency=other_commune_agency, name="Xã"),
        slug="thach-ha",
    )
    QueueService.objects.create(point=other, prefix="A", name="Đất đai")
    page = client.get(reverse("catalogue:detail", args=[birth_registration.code])).content.decode()
    link = f"{INDEX}?thu-tuc={birth_registration.code}"
    assert link in page
    response = client.get(link)
    assert response.status_code == 200
    listed = [p.slug for p in response.context["points"]]
    assert listed == ["thanh-sen"] and response.context["covered"]
    booking = reverse("queueing-public:book", args=["thanh-sen"]) + f"?dich-vu={intake_service.pk}"
    assert booking in response.content.decode()
    form = client.get(booking).context["form"]
    assert form.initial["service"] == intake_service.pk


def test_the_booking_index_without_or_with_an_unknown_procedure(client, point, intake_service):
    for query in ({}, {"thu-tuc": "khong-co"}, {"thu-tuc": "x" * 500}, {"thu-tuc": "<b>"}):
        response = client.get(INDEX, query)
        assert response.status_code == 200
        assert [p.slug for p in response.context["points"]] == ["thanh-sen"]
    assert (
        client.get(
            reverse("queueing-public:book", args=["thanh-sen"]), {"dich-vu": "x"}
        ).status_code
        == 200
    )


def test_the_tablet_names_the_officer_who_served(client, served, on_duty, clerk, commune_agency):  # noqa: F811
    clerk.first_name, clerk.last_name = "Lê Thị", "Lan"
    clerk.save()
    tablet = reverse("queueing-public:tablet", args=[on_duty.code])
    assert "Lê Thị Lan" in client.get(tablet).content.decode()
    colleague = make_user(
        "clerk3", commune_agency, Role.RECEIVING_CLERK, first_name="Trần Văn", last_name="Hùng"
    )
    calling.finish(on_duty, served.pk, actor=clerk)
    calling.take_duty(on_duty, actor=colleague)
    page = client.get(tablet).content.decode()
    assert (
        "Lê Thị Lan" in page and "Trần Văn Hùng" not in page
    )  # the rating is of the ticket's officer
