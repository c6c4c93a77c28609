"""The consultation form of the dossier page refuses an answer deadline that is not in whole
or half working days (0.3 or 0.7 used to reach the calendar and fail with a 500)."""

import pytest
from django.urls import reverse
from django.utils import translation

from motcua.backoffice.action_forms import HALF_DAYS
from motcua.dossiers.models import Consultation, Dossier
from motcua.dossiers.tests.conftest import MONDAY, at


def consult(client, dossier, agency, days: str):
    data = {
        "consult-to_agency": agency.pk,
        "consult-content": "Xác nhận nơi cư trú",
        "consult-deadline_days": days,
        "consult-version": getattr(dossier, "version", 1),  # as the page has it
    }
    url = reverse("backoffice:act", args=[dossier.code, "consult"])
    with at(MONDAY):
        return client.post(url, data, follow=True)


def errors(response) -> list[str]:
    return [str(m) for m in response.context["messages"] if m.level_tag == "error"]


@pytest.mark.parametrize("days", ["0.3", "0.7"])
def test_a_deadline_in_parts_of_a_day_is_refused(
    client, processing, specialist, commune_agency, days
):
    client.force_login(specialist)
    before = Dossier.objects.values().get(pk=processing.pk)

    response = consult(client, processing, commune_agency, days)

    assert response.status_code == 400  # the page again, the form as typed
    [message] = errors(response)
    with translation.override("vi"):
        assert str(HALF_DAYS) in message
        field = response.content.decode().split('name="consult-deadline_days"', 1)[1]
        assert str(HALF_DAYS) in field.split("</div>", 1)[0]  # next to the field
    assert "Xác nhận nơi cư trú" in response.content.decode()  # the question kept
    assert not Consultation.objects.exists()
    assert Dossier.objects.values().get(pk=processing.pk) == before


def test_a_deadline_in_half_days_is_accepted(client, processing, specialist, commune_agency):
    client.force_login(specialist)

    response = consult(client, processing, commune_agency, "1.5")

    assert errors(response) == []
    consultation = Consultation.objects.get()
    assert consultation.to_agency == commune_agency and consultation.dossier == processing
