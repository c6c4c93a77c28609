"""Issue 18's flow in Chromium against the live server, under the enforced CSP: a kiosk ticket,
the board picks the call up by itself, the clerk takes the counter, calls, starts serving,
records the dossier from the serve page (the intake filled from the ticket), the dossier
remembers the ticket, and the counter's tablet offers the rating."""

import contextlib
import os
from pathlib import Path

import pytest
import time_machine

from conftest import PASSWORD
from motcua.queueing.models import Ticket

from .conftest import MORNING

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(os.environ.get("MOTCUA_SCREENSHOTS", "/tmp/motcua-queue-shots"))
CONSOLE: list[str] = []
pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def browser(live_server, monkeypatch):
    sync_api = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with time_machine.travel(MORNING, tick=True), sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM))
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        context.on("console", lambda message: CONSOLE.append(message.text))
        CONSOLE.clear()
        yield context
        chromium.close()


def test_ticket_to_board_to_counter_to_dossier_to_rating(
    browser, live_server, clerk, counter_one, intake_service, birth_registration
):
    url = live_server.url
    point = counter_one.point
    board = browser.new_page()
    board.goto(f"{url}/bang-dien-tu/{point.slug}/")

    kiosk = browser.new_page()
    kiosk.goto(f"{url}/kiosk/{point.slug}/")
    kiosk.locator(f'button[name="service"][value="{intake_service.pk}"]').click()
    kiosk.wait_for_url("**/kiosk/ve/**")
    assert kiosk.locator(".ticket-number").inner_text() == "A001"

    staff = browser.new_page()
    staff.goto(f"{url}/backoffice/dang-nhap/")
    staff.fill("input[name=username]", clerk.username)
    staff.fill("input[name=password]", PASSWORD)
    staff.locator('button[type="submit"]').click()
    staff.goto(f"{url}/backoffice/hang-doi/quay/{counter_one.pk}/")
    staff.locator(f'form[action$="/quay/{counter_one.pk}/nhan-quay/"] button').click()
    staff.locator(f'form[action$="/quay/{counter_one.pk}/goi-tiep/"] button').click()
    assert staff.locator(".ticket-code").inner_text() == "A001"

    # The board learns of the call by polling, without a reload.
    board.locator("#recent li", has_text="A001").wait_for(timeout=10_000)
    _shot(board, "board.png")

    staff.locator('form[action$="/start/"] button').click()
    staff.wait_for_url("**/phuc-vu/")
    staff.locator(f'a[href^="/backoffice/tiep-nhan/{birth_registration.code}/"]').click()
    staff.fill("input[name=id_number]", "042090001234")
    staff.fill("input[name=name]", "Nguyễn Văn An")
    for box in staff.locator('input[type="checkbox"][name$="-handed_in"]').all():
        box.check()
    staff.locator('button[name="outcome"][value="receive"]').click()
    staff.wait_for_url("**/backoffice/ho-so/**")
    ticket = Ticket.objects.get()
    assert ticket.dossier is not None and ticket.dossier.code in staff.url

    tablet = browser.new_page()
    tablet.goto(f"{url}/danh-gia/{counter_one.code}/")
    assert tablet.locator(".rate-button").count() == 1
    _shot(tablet, "tablet.png")
    if _ratings_installed():
        tablet.locator(".rate-button").click()
        tablet.wait_for_url("**/danh-gia/thiet-bi/**")
        tablet.locator('button[name="level"][value="4"]').click()
        _shot(tablet, "rated.png")
        from motcua.feedback.models import Rating

        rating = Rating.objects.get()
        assert (rating.dossier, rating.ticket_number) == (ticket.dossier, "A001")
        tablet.goto(f"{url}/danh-gia/{counter_one.code}/")  # as its "back" link does
        assert tablet.locator(".rate-button").count() == 0
    assert not [line for line in CONSOLE if "Content Security Policy" in line]


def _ratings_installed() -> bool:
    from django.apps import apps

    return apps.is_installed("motcua.feedback")


def _shot(page, name: str) -> None:
    """A screenshot to look at, never a failure: a page behind another tab may not be drawn."""
    page.bring_to_front()
    with contextlib.suppress(Exception):
        page.screenshot(path=str(SHOTS / name))


def test_a_pickup_ticket_opens_the_ready_dossier_in_chromium(
    browser, live_server, clerk, counter_one, pickup_service, birth_registration, commune_agency
):
    """The pickup leg: the applicant types the receipt's code at the kiosk, the counter calls
    the T ticket, "start serving" opens the dossier whose result is ready, the result is
    returned from there and the ticket remembers the dossier."""
    from conftest import complete_intake
    from motcua.dossiers.applicants import Applicant
    from motcua.dossiers.intake import receive_dossier
    from motcua.dossiers.models import Dossier
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
    url = live_server.url
    point = counter_one.point
    kiosk = browser.new_page()
    kiosk.goto(f"{url}/kiosk/{point.slug}/")
    kiosk.fill("form.pickup input[name=pickup_code]", dossier.code)
    kiosk.locator("form.pickup button[name=service]").click()
    kiosk.wait_for_url("**/kiosk/ve/**")
    assert kiosk.locator(".ticket-number").inner_text() == "T001"
    _shot(kiosk, "pickup-ticket.png")

    staff = browser.new_page()
    staff.goto(f"{url}/backoffice/dang-nhap/")
    staff.fill("input[name=username]", clerk.username)
    staff.fill("input[name=password]", PASSWORD)
    staff.locator('button[type="submit"]').click()
    staff.goto(f"{url}/backoffice/hang-doi/quay/{counter_one.pk}/")
    staff.locator(f'form[action$="/quay/{counter_one.pk}/nhan-quay/"] button').click()
    staff.locator(f'form[action$="/quay/{counter_one.pk}/goi-tiep/"] button').click()
    assert staff.locator(".ticket-code").inner_text() == "T001"
    staff.locator('form[action$="/start/"] button').click()
    staff.wait_for_url(f"**/backoffice/ho-so/{dossier.code}/")
    _shot(staff, "pickup-dossier.png")
    staff.get_by_label("Người nhận kết quả").fill("Nguyễn Văn An")
    staff.get_by_label("Số định danh của người nhận").fill("042090001234")
    staff.locator("button", has_text="Trả kết quả").click()
    staff.wait_for_load_state()
    _shot(staff, "pickup-returned.png")
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED
    ticket = Ticket.objects.get()
    assert (ticket.state, ticket.dossier) == ("serving", dossier)  # the ticket knows its dossier
    assert not [line for line in CONSOLE if "Content Security Policy" in line]
