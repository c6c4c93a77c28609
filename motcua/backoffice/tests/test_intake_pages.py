"""The counter intake screen, through HTTP: response, database and events."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from conftest import PASSWORD, complete_intake
from motcua.dossiers.applicants import check_id_number
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.status import Action, Status

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY_9AM = datetime(2026, 3, 9, 9, 0, tzinfo=VN)


@pytest.fixture
def clerk_client(client, clerk):
    client.login(username=clerk.username, password=PASSWORD)
    return client


def intake_data(procedure, commune_agency, **changes):
    data = {
        "agency": commune_agency.pk,
        "channel": "in_person",
        "applicant_type": "citizen",
        "id_number": "042090001234",
        "name": "Nguyễn Văn An",
        "phone": "0912345678",
        "email": "",
        "address": "Thành Sen, Hà Tĩnh",
        "subject": "",
        "sets": "1",
        "competent_agency": "",
        "refusal_reasons": "",
        "outcome": "receive",
    }
    for component in procedure.current_version.components.all():
        prefix = f"c{component.pk}"
        data.update(
            {
                f"{prefix}-handed_in": "on",
                f"{prefix}-originals": "1",
                f"{prefix}-certified_copies": "0",
                f"{prefix}-copies": "0",
                f"{prefix}-missing_reason": "",
            }
        )
    data.update(changes)
    return data


def test_staff_pages_need_a_sign_in(client, db):
    response = client.get(reverse("backoffice:intake-choose"))
    assert response.status_code == 302
    assert reverse("backoffice:login") in response["Location"]


def test_finding_a_procedure_without_accents(clerk_client, birth_registration):
    response = clerk_client.get(reverse("backoffice:intake-choose"), {"q": "dang ky khai sinh"})
    assert response.status_code == 200
    assert reverse("backoffice:intake", args=["1.001193"]) in response.content.decode()


def test_staff_without_the_receiving_role_cannot_use_the_counter(client, specialist):
    client.login(username=specialist.username, password=PASSWORD)
    assert client.get(reverse("backoffice:intake-choose")).status_code == 403


@time_machine.travel(MONDAY_9AM, tick=False)
def test_clerk_receives_a_complete_dossier(clerk_client, clerk, birth_registration, commune_agency):
    url = reverse("backoffice:intake", args=["1.001193"])
    response = clerk_client.post(url, intake_data(birth_registration, commune_agency))

    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:dossier", args=[dossier.code])
    assert dossier.code == "H42.50.01-260309-0001" and dossier.status == Status.RECEIVED
    assert dossier.received_by == clerk and dossier.components.count() == 2
    assert DossierEvent.objects.get(dossier=dossier).action == Action.RECEIVE
    page = clerk_client.get(response["Location"]).content.decode()
    assert "H42.50.01-260309-0001" in page and "Nguyễn Văn An" in page


@time_machine.travel(MONDAY_9AM, tick=False)
def test_an_unticked_mandatory_document_becomes_a_supplement_item(
    clerk_client, birth_registration, commune_agency
):
    first = birth_registration.current_version.components.first()
    data = intake_data(birth_registration, commune_agency, outcome="supplement")
    del data[f"c{first.pk}-handed_in"]
    data[f"c{first.pk}-missing_reason"] = "Chưa có tờ khai"

    response = clerk_client.post(reverse("backoffice:intake", args=["1.001193"]), data)

    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.status == Status.SUPPLEMENT and dossier.received_at is None
    missing = dossier.events.get().data["missing"]
    assert missing == [{"component_id": first.pk, "name": first.name, "reason": "Chưa có tờ khai"}]


@time_machine.travel(MONDAY_9AM, tick=False)
def test_refusal_without_reasons_is_refused_and_nothing_is_saved(
    clerk_client, birth_registration, commune_agency
):
    response = clerk_client.post(
        reverse("backoffice:intake", args=["1.001193"]),
        intake_data(birth_registration, commune_agency, outcome="refuse"),
    )
    assert response.status_code == 400
    from django.utils import translation

    with translation.override("vi"):
        expected = translation.gettext("Give the reasons for refusing.")
    assert expected in response.context["form"].non_field_errors()
    assert not Dossier.objects.exists()


@time_machine.travel(MONDAY_9AM, tick=False)
def test_bad_id_number_is_shown_and_nothing_is_saved(
    clerk_client, birth_registration, commune_agency
):
    response = clerk_client.post(
        reverse("backoffice:intake", args=["1.001193"]),
        intake_data(birth_registration, commune_agency, id_number="123"),
    )
    assert response.status_code == 400
    assert "12" in str(response.context["form"].errors["id_number"])
    assert not Dossier.objects.exists()


@time_machine.travel(MONDAY_9AM, tick=False)
@pytest.mark.parametrize("id_number", ["999095001234", "042295001234", "042090000000"])
def test_id_number_refused_by_its_structure_next_to_the_field_keeping_what_was_typed(
    clerk_client, birth_registration, commune_agency, id_number
):
    response = clerk_client.post(
        reverse("backoffice:intake", args=["1.001193"]),
        intake_data(birth_registration, commune_agency, id_number=id_number),
    )
    assert response.status_code == 400
    with translation.override("vi"), pytest.raises(DossierError) as expected:
        check_id_number("citizen", id_number)
    form = response.context["form"]
    assert form.errors["id_number"] == [expected.value.message]
    assert not form.non_field_errors()
    assert f'value="{id_number}"' in response.content.decode()
    assert not Dossier.objects.exists()


@time_machine.travel(MONDAY_9AM, tick=False)
def test_foreigner_is_received_with_a_passport_number(
    clerk_client, birth_registration, commune_agency
):
    data = intake_data(birth_registration, commune_agency, id_number="c1234567")
    data["applicant_type"] = "foreigner"
    response = clerk_client.post(reverse("backoffice:intake", args=["1.001193"]), data)
    assert response.status_code == 302
    assert Dossier.objects.get().applicant_id_number == "C1234567"


@time_machine.travel(MONDAY_9AM, tick=False)
def test_a_clerk_cannot_receive_for_an_agency_they_do_not_belong_to(
    clerk_client, birth_registration, commune_agency, other_commune_agency
):
    response = clerk_client.post(
        reverse("backoffice:intake", args=["1.001193"]),
        intake_data(birth_registration, commune_agency, agency=other_commune_agency.pk),
    )
    assert response.status_code == 400
    assert "agency" in response.context["form"].errors
    assert not Dossier.objects.exists()


def test_dossier_page_of_another_agency_is_404(
    client, clerk_of_other_agency, clerk, birth_registration, commune_agency
):
    from motcua.dossiers.intake import receive_dossier
    from motcua.dossiers.tests.test_intake import CITIZEN

    dossier = receive_dossier(
        complete_intake(birth_registration, commune_agency, CITIZEN),
        actor=clerk,
    )
    client.login(username=clerk_of_other_agency.username, password=PASSWORD)
    assert client.get(reverse("backoffice:dossier", args=[dossier.code])).status_code == 404


def test_my_work_marks_overdue_dossiers(clerk_client, clerk, birth_registration, commune_agency):
    from motcua.dossiers.intake import receive_dossier
    from motcua.dossiers.tests.test_intake import CITIZEN

    with time_machine.travel(MONDAY_9AM, tick=False):
        receive_dossier(
            complete_intake(birth_registration, commune_agency, CITIZEN),
            actor=clerk,
        )
    with time_machine.travel(datetime(2026, 3, 20, 9, 0, tzinfo=VN), tick=False):
        response = clerk_client.get(reverse("backoffice:my-work"))
    rows = [row for _queue, rows, _more in response.context["sections"] for row in rows]
    overdue_rows = [row for row in rows if row[2]]
    assert overdue_rows and all("quá hạn" in text for _item, text, _late in overdue_rows)
    assert 'class="late"' in response.content.decode()


def test_a_long_queue_shows_its_most_urgent_rows_and_links_to_all_of_them(
    clerk_client, clerk, birth_registration, commune_agency, monkeypatch
):
    """The my-work page shows a queue's most urgent rows and says there are more; the queue's
    own page lists every one, page by page, oldest first."""
    from motcua.backoffice import process_views
    from motcua.dossiers.intake import receive_dossier
    from motcua.dossiers.tests.test_intake import CITIZEN

    monkeypatch.setattr(process_views, "QUEUE_LIMIT", 2)
    monkeypatch.setattr(process_views, "QUEUE_PAGE_SIZE", 2)
    with time_machine.travel(MONDAY_9AM, tick=True):
        codes = [
            receive_dossier(
                complete_intake(birth_registration, commune_agency, CITIZEN),
                actor=clerk,
            ).code
            for _ in range(3)
        ]

    page = clerk_client.get(reverse("backoffice:my-work"))
    [(queue, rows, more)] = [
        section for section in page.context["sections"] if section[0].slug == "chuyen-xu-ly"
    ]
    assert [row[0].code for row in rows] == codes[:2] and more
    full = reverse("backoffice:my-queue", args=["chuyen-xu-ly"])
    assert full in page.content.decode()
    assert "Chờ chuyển giải quyết <span" in page.content.decode()  # the title, in Vietnamese

    first, second = clerk_client.get(full), clerk_client.get(full + "?trang=2")
    assert first.status_code == second.status_code == 200
    assert [row[0].code for row in first.context["rows"]] == codes[:2]
    assert [row[0].code for row in second.context["rows"]] == codes[2:]
    assert first.context["page"].paginator.count == 3
    assert clerk_client.get(full + "?trang=abc").status_code == 200  # the first page
    assert clerk_client.get(reverse("backoffice:my-queue", args=["khong-co"])).status_code == 404


def test_a_queue_page_needs_a_sign_in(client):
    response = client.get(reverse("backoffice:my-queue", args=["qua-han"]))
    assert response.status_code == 302 and "dang-nhap" in response["Location"]


def test_the_receiving_agency_is_one_control_on_the_intake_form(clerk_client, birth_registration):
    """A clerk of one agency gets it as a hidden value; it is not drawn a second time among
    the dossier's fields (its name is part of "competent_agency")."""
    page = clerk_client.get(reverse("backoffice:intake", args=[birth_registration.code]))
    html = page.content.decode()
    assert html.count('name="agency"') == 1
    assert "Cơ quan tiếp nhận</label>" not in html
