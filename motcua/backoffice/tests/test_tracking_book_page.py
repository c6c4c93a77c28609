import time_machine
from django.urls import reverse

from conftest import PASSWORD, complete_intake
from motcua.dossiers.intake import receive_dossier
from motcua.dossiers.tests.test_intake import CITIZEN, MONDAY_9AM


def test_clerk_downloads_the_tracking_book_of_their_agency(
    client, clerk, birth_registration, commune_agency, other_commune_agency
):
    with time_machine.travel(MONDAY_9AM, tick=False):
        receive_dossier(
            complete_intake(birth_registration, commune_agency, CITIZEN),
            actor=clerk,
        )
    client.login(username=clerk.username, password=PASSWORD)
    url = reverse("backoffice:tracking-book")
    period = {"date_from": "01/03/2026", "date_to": "31/03/2026"}
    pdf = client.get(url, {"agency": commune_agency.pk, "format": "pdf", **period})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.get(url, {"agency": commune_agency.pk, "format": "xlsx", **period})
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    other = client.get(url, {"agency": other_commune_agency.pk, "format": "pdf", **period})
    assert other.status_code == 400  # not one of the clerk's agencies
    backwards = client.get(
        url,
        {
            "agency": commune_agency.pk,
            "format": "pdf",
            "date_from": "31/03/2026",
            "date_to": "01/03/2026",
        },
    )
    assert backwards.status_code == 400


def test_the_only_agency_of_the_user_is_preselected(client, clerk, commune_agency):
    client.login(username=clerk.username, password=PASSWORD)
    page = client.get(reverse("backoffice:tracking-book"))
    field = page.context["form"]["agency"]
    assert field.value() == commune_agency.pk
    html = str(field)
    assert "selected" in html and "---------" not in html


def test_a_supervisor_of_several_agencies_chooses(
    client, system_admin, commune_agency, other_commune_agency
):
    client.login(username=system_admin.username, password=PASSWORD)
    page = client.get(reverse("backoffice:tracking-book"))
    assert page.status_code == 200
    assert page.context["form"]["agency"].value() is None
