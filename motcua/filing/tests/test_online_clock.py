"""When the time limit of a dossier filed online starts (MOTCUA_ONLINE_CLOCK): at its reception
by a clerk (the default), or at the first working moment after its submission, so that a
submission on a Saturday counts from Monday's opening however late the clerk receives it."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.dossiers.intake import receive_submitted
from motcua.workdays.loader import get_calendar

from .conftest import PDF, answers, sign_in
from .test_filing import certificate, start

pytestmark = pytest.mark.django_db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
SATURDAY = datetime(2026, 12, 5, 20, 40, tzinfo=HANOI)
MONDAY_AFTERNOON = datetime(2026, 12, 7, 15, 0, tzinfo=HANOI)


def filed_on_saturday(client, online_birth, agency):
    with time_machine.travel(SATURDAY, tick=False):
        sign_in(client)
        draft = start(client, online_birth, agency)
        client.post(f"/nop-truc-tuyen/ho-so-nhap/{draft.key}/to-khai/", answers())
        client.post(
            f"/nop-truc-tuyen/ho-so-nhap/{draft.key}/tep/",
            {
                "component": certificate(online_birth.current_version).pk,
                "files": [SimpleUploadedFile("gcs.pdf", PDF)],
            },
        )
        response = client.post(f"/nop-truc-tuyen/ho-so-nhap/{draft.key}/nop/")
        ack = client.get(response["Location"]).content.decode()
    draft.refresh_from_db()
    return draft.dossier, ack


@pytest.mark.parametrize("policy", ["received", "submitted"])
def test_the_time_limit_starts_by_the_policy(
    client, idp, online_birth, commune_agency, clerk, settings, policy
):
    settings.MOTCUA_ONLINE_CLOCK = policy
    dossier, ack = filed_on_saturday(client, online_birth, commune_agency)
    calendar = get_calendar()
    opening = calendar.next_working_moment(SATURDAY)
    assert opening.date().isoformat() == "2026-12-07"
    assert opening.strftime("%d/%m/%Y") in ack  # from when it is examined
    with time_machine.travel(MONDAY_AFTERNOON, tick=False):
        received = receive_submitted(dossier, actor=clerk)
    expected_start = opening if policy == "submitted" else MONDAY_AFTERNOON
    assert received.clock_start_at == expected_start
    assert received.due_at == calendar.due_moment(
        expected_start, 1, "working_days", apply_cutoff=False
    )
