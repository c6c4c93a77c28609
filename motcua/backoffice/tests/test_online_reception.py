"""An online submission at the counter, through the dossier page (issue 13 §2): received only
complete, or guided once to supplement (the missing documents proposed), or refused."""

import pytest
from django.urls import reverse

from conftest import PASSWORD
from motcua.dossiers.applicants import Applicant
from motcua.dossiers.intake import HandedIn, Intake, submit_online
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.status import Action, Status

CITIZEN = Applicant("citizen", "Trần Thị Bình", "042090005678", "0987654321")


@pytest.fixture
def online(birth_registration, commune_agency):
    """A submission that sent every document except the first mandatory one."""
    documents = birth_registration.current_version.documents()
    mandatory = [c for c in documents if c.is_mandatory]
    sent = [HandedIn(c.pk, originals=1) for c in documents if c != mandatory[0]]
    return submit_online(Intake(birth_registration, commune_agency, CITIZEN, handed_in=sent)), (
        mandatory[0]
    )


def _act(client, dossier, action, **fields):
    data = {f"{action}-version": Dossier.objects.get(pk=dossier.pk).version}
    data.update({f"{action}-{k}": v for k, v in fields.items()})
    return client.post(reverse("backoffice:act", args=[dossier.code, action]), data)


def test_the_clerk_cannot_receive_it_incomplete_and_guides_to_supplement(client, clerk, online):
    dossier, missing = online
    client.login(username=clerk.username, password=PASSWORD)
    page = client.get(reverse("backoffice:dossier", args=[dossier.code])).content.decode()
    assert "/xu-ly/receive/" in page and "/xu-ly/guide-supplement/" in page
    assert missing.name[:30] in page.split("guide-supplement-items", 1)[1]  # proposed

    refused = _act(client, dossier, "receive")
    assert refused.status_code == 400
    assert missing.name[:30] in refused.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).status == Status.SUBMITTED

    guided = _act(client, dossier, "guide-supplement", reason="Thiếu", items=missing.name)
    assert guided.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.SUPPLEMENT and dossier.received_at is None
    event = DossierEvent.objects.get(action=Action.REQUEST_SUPPLEMENT_AT_RECEPTION)
    assert event.data["missing"] == [
        {"component_id": None, "name": missing.name, "reason": "Thiếu"}
    ]


def test_a_complete_submission_is_received_and_the_clock_starts(
    client, clerk, birth_registration, commune_agency
):
    sent = [HandedIn(c.pk, originals=1) for c in birth_registration.current_version.documents()]
    dossier = submit_online(Intake(birth_registration, commune_agency, CITIZEN, handed_in=sent))
    client.login(username=clerk.username, password=PASSWORD)
    assert _act(client, dossier, "receive").status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED and dossier.due_at and dossier.received_by == clerk


def test_refused_with_the_reasons(client, clerk, online):
    dossier, _missing = online
    client.login(username=clerk.username, password=PASSWORD)
    assert (
        _act(client, dossier, "refuse-at-reception", reason="Không thuộc thẩm quyền").status_code
        == 302
    )
    dossier.refresh_from_db()
    assert dossier.status == Status.NOT_RECEIVED
