"""The counter finds a returning applicant by their number (issue 13 §12), and records the
identity document beside the number (issue 14 §1), through HTTP."""

import pytest
from django.urls import reverse

from conftest import PASSWORD, complete_intake, make_user
from motcua.dossiers.applicants import Applicant
from motcua.dossiers.intake import receive_dossier
from motcua.dossiers.models import Dossier
from motcua.organisations.roles import Role

from .test_intake_pages import intake_data

LOOKUP = reverse("backoffice:applicant-lookup")
NUMBER = "042090001234"


@pytest.fixture
def earlier(birth_registration, commune_agency, clerk):
    """Two dossiers of the same applicant at the commune; the latest gives a new phone."""
    made = []
    for phone, address in (("0911111111", "Xóm 1"), ("0922222222", "Xóm 2, Thạch Hà")):
        applicant = Applicant("citizen", "Nguyễn Văn An", NUMBER, phone, "", address)
        intake = complete_intake(birth_registration, commune_agency, applicant)
        made.append(receive_dossier(intake, actor=clerk))
    return made


def _lookup(client, user, number):
    client.login(username=user.username, password=PASSWORD)
    return client.get(LOOKUP, {"id_number": number})


def test_the_clerk_finds_the_returning_applicant_with_their_latest_details(client, clerk, earlier):
    page = _lookup(client, clerk, " 0420 9000 1234 ").content.decode()
    assert "Nguyễn Văn An" in page and "0922222222" in page and "Xóm 2, Thạch Hà" in page
    assert "0911111111" not in page  # the latest details, not the first
    assert all(d.code in page for d in earlier)
    assert 'data-fill-phone="0922222222"' in page and 'data-fill-id_type="personal_id"' in page


def test_a_first_visit_says_so(client, clerk, earlier):
    page = _lookup(client, clerk, "042095000321").content.decode()
    assert "Nguyễn Văn An" not in page and "lần đầu" in page


def test_another_agencys_clerk_sees_nothing_of_them(client, clerk_of_other_agency, earlier):
    page = _lookup(client, clerk_of_other_agency, NUMBER).content.decode()
    assert "Nguyễn Văn An" not in page and not any(d.code in page for d in earlier)


def test_only_counter_staff_may_look_up(client, specialist, earlier):
    assert _lookup(client, specialist, NUMBER).status_code == 403
    client.logout()
    assert client.get(LOOKUP, {"id_number": NUMBER}).status_code == 302


def test_the_intake_form_opens_on_the_number_and_asks_for_the_document(
    client, clerk, birth_registration
):
    client.login(username=clerk.username, password=PASSWORD)
    page = client.get(reverse("backoffice:intake", args=["1.001193"])).content.decode()
    number = page.index('name="id_number"')
    assert "autofocus" in page[page.rindex("<input", 0, number) : page.index(">", number)]
    assert number < page.index('name="id_type"') < page.index('name="name"')
    assert f'hx-get="{LOOKUP}"' in page


@pytest.mark.parametrize(
    "applicant_type, id_type, number, stored",
    [
        ("citizen", "passport", "b1234567", "B1234567"),  # a citizen living abroad
        ("citizen", "", NUMBER, NUMBER),  # not sent: the usual one
        ("enterprise", "tax_code", "0100109106", "0100109106"),
    ],
)
def test_the_document_is_recorded_beside_the_number(
    client, clerk, birth_registration, commune_agency, applicant_type, id_type, number, stored
):
    client.login(username=clerk.username, password=PASSWORD)
    data = intake_data(birth_registration, commune_agency, id_number=number)
    data.update(applicant_type=applicant_type, id_type=id_type)
    response = client.post(reverse("backoffice:intake", args=["1.001193"]), data)
    assert response.status_code == 302, response.content.decode()[:500]
    dossier = Dossier.objects.get()
    expected = id_type or "personal_id"
    assert (dossier.applicant_id_type, dossier.applicant_id_number) == (expected, stored)


def test_a_document_the_applicant_type_does_not_use_is_refused_next_to_it(
    client, clerk, birth_registration, commune_agency
):
    client.login(username=clerk.username, password=PASSWORD)
    data = intake_data(birth_registration, commune_agency, id_number="0100109106")
    data["id_type"] = "tax_code"  # a citizen has no tax code as identity at the counter
    response = client.post(reverse("backoffice:intake", args=["1.001193"]), data)
    assert response.status_code == 400
    assert response.context["form"].errors["id_type"]
    assert 'value="0100109106"' in response.content.decode()
    assert not Dossier.objects.exists()


def test_a_supervisor_is_not_counter_staff(client, centre):
    supervisor = make_user("sup2", centre, Role.SUPERVISOR)
    assert _lookup(client, supervisor, NUMBER).status_code == 403


def test_a_negative_count_is_refused_with_its_message_and_the_input_kept(
    client, clerk, birth_registration, commune_agency
):
    client.login(username=clerk.username, password=PASSWORD)
    data = intake_data(birth_registration, commune_agency)
    first = birth_registration.current_version.components.first()
    data[f"c{first.pk}-originals"] = "-1"
    response = client.post(reverse("backoffice:intake", args=["1.001193"]), data)
    assert response.status_code == 400
    page = response.content.decode()
    cell = page.split(f'name="c{first.pk}-originals"', 1)[1].split("</td>", 1)[0]
    assert 'value="-1"' in cell and 'class="error"' in cell
    assert "cần sửa" in page  # the summary at the top says where to look
    assert not Dossier.objects.exists()
