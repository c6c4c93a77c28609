"""The intake form carries a token made when it is drawn: a double submit, or a retry after
a dropped connection, opens the dossier the first send recorded instead of recording a
second (issue 11 §2.2)."""

import re

import time_machine
from django.urls import reverse

from motcua.dossiers.models import Dossier, DossierEvent, IdempotencyKey
from motcua.dossiers.status import Action

from .test_intake_pages import MONDAY_9AM, clerk_client, intake_data  # noqa: F401

URL = reverse("backoffice:intake", args=["1.001193"])


def token_on(html: str) -> str:
    found = re.search(r'name="token" value="([0-9a-f]{32})"', html)
    assert found, "no token in the form"
    return found.group(1)


@time_machine.travel(MONDAY_9AM, tick=False)
def test_a_form_sent_twice_records_one_dossier(
    clerk_client,  # noqa: F811
    clerk,
    birth_registration,
    commune_agency,
):
    token = token_on(clerk_client.get(URL).content.decode())
    assert token != token_on(clerk_client.get(URL).content.decode())  # one per drawing
    data = intake_data(birth_registration, commune_agency, token=token)
    first = clerk_client.post(URL, data)
    again = clerk_client.post(URL, data, follow=True)

    dossier = Dossier.objects.get()
    assert first.status_code == 302
    assert again.redirect_chain == [(reverse("backoffice:dossier", args=[dossier.code]), 302)]
    messages = [str(m) for m in again.context["messages"]]
    assert any(dossier.code in m and "không ghi nhận lần thứ hai" in m for m in messages)
    assert DossierEvent.objects.filter(action=Action.RECEIVE).count() == 1
    key = IdempotencyKey.objects.get()
    assert (key.user, key.key, key.dossier) == (clerk, token, dossier)


@time_machine.travel(MONDAY_9AM, tick=False)
def test_the_same_form_sent_with_other_details_is_stopped_once(
    clerk_client,  # noqa: F811
    birth_registration,
    commune_agency,
):
    token = token_on(clerk_client.get(URL).content.decode())
    clerk_client.post(URL, intake_data(birth_registration, commune_agency, token=token))
    changed = intake_data(birth_registration, commune_agency, token=token, name="Nguyễn Văn Ân")
    stopped = clerk_client.post(URL, changed)

    assert stopped.status_code == 400
    html = stopped.content.decode()
    assert "Biểu mẫu này đã được gửi với thông tin khác" in html
    assert 'value="Nguyễn Văn Ân"' in html  # what was typed is kept
    renewed = token_on(html)
    assert renewed != token and Dossier.objects.count() == 1
    # Sent again from that page, it is a decision to record another dossier.
    assert clerk_client.post(URL, {**changed, "token": renewed}).status_code == 302
    assert Dossier.objects.count() == 2
