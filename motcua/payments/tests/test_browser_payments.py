"""Issue 16's payments in Chromium on a 360 px wide phone against the live server: a citizen
signs in through the fake national provider, opens their dossier, pays its fee through the
fake national payment platform (INIT, the platform's page, the signed callback over real
HTTP) and gets the receipt; a cashier imports a bank statement and a VietQR transfer is
confirmed. The Content-Security-Policy is enforced by the browser: a violation fails."""

import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from motcua.audit.models import AuditEvent
from motcua.payments.models import PaymentAttempt, PaymentRequest, Receipt, StatementLine

from .conftest import AN

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(os.environ.get("MOTCUA_SCREENSHOTS", "/tmp/motcua-payments-shots"))
CONSOLE: list[str] = []
pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def browser(live_server, settings, monkeypatch):
    sync_api = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.MOTCUA_PUBLIC_URL = live_server.url
    settings.MOTCUA_FAKE_PAYMENTS = True
    settings.MOTCUA_FAKE_IDP = True
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM))
        context = chromium.new_context(viewport={"width": 360, "height": 740})
        context.on("console", lambda message: CONSOLE.append(message.text))
        CONSOLE.clear()
        yield context
        chromium.close()


def test_a_citizen_pays_a_fee_through_the_platform_on_a_phone(
    browser, live_server, receive, fee_items, series
):
    dossier = receive(applicant=AN)
    url = live_server.url
    page = browser.new_page()
    page.goto(f"{url}/tai-khoan/ho-so/{dossier.code}/")
    page.locator('a[href^="/tai-khoan/dang-nhap/dvcqg/"]').click()
    page.wait_for_url("**/fake-idp/authorize?**")
    page.get_by_label("Nguyễn Văn An", exact=False).check()
    page.locator('button[type="submit"]').last.click()
    page.wait_for_url(f"**/tai-khoan/ho-so/{dossier.code}/")

    page.locator(f'a[href="/thanh-toan/{dossier.code}/"]').click()
    page.wait_for_url(f"**/thanh-toan/{dossier.code}/")
    assert page.locator("[data-total]").first.get_attribute("data-total") == "205000"
    assert page.locator(".qr svg").count() == 1
    reference = PaymentRequest.objects.get(dossier=dossier).reference
    assert page.locator("[data-reference]").inner_text() == reference
    page.screenshot(path=str(SHOTS / "citizen-pay-360.png"), full_page=True)

    page.locator('form[action$="/nen-tang/"] button').click()
    page.wait_for_url("**/fake-pay/pay/**")
    page.screenshot(path=str(SHOTS / "fake-platform-360.png"), full_page=True)
    page.locator('input[name="outcome"][value="pay"]').check()
    page.locator('button[type="submit"]').last.click()
    page.wait_for_url(f"**/thanh-toan/{dossier.code}/")

    attempt = PaymentAttempt.objects.get(request__dossier=dossier)
    assert (attempt.method, attempt.state) == ("platform", "confirmed")
    receipt = Receipt.objects.get(attempt=attempt)
    link = page.locator(f'a[href="/thanh-toan/{dossier.code}/bien-lai/{receipt.pk}/"]')
    assert link.count() == 1
    page.screenshot(path=str(SHOTS / "citizen-paid-360.png"), full_page=True)
    assert AuditEvent.objects.filter(action="payment.confirmed").count() == 1
    assert not [line for line in CONSOLE if "Content Security Policy" in line]


def test_a_vietqr_transfer_is_confirmed_by_importing_the_statement(
    browser, live_server, receive, fee_items, series, centre_clerk
):
    dossier = receive()
    reference = PaymentRequest.objects.get(dossier=dossier).reference
    staff = Client()
    staff.force_login(centre_clerk)
    cookie = staff.cookies[django_settings.SESSION_COOKIE_NAME].value
    browser.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page = browser.new_page()
    page.goto(f"{live_server.url}/backoffice/thu-phi/doi-soat/")
    day = dossier.received_at.date().strftime("%d/%m/%Y")
    statement = (
        "Ngày giao dịch,Số tham chiếu,Ghi có,Nội dung\n"
        f"{day},FT26068,205000,{reference} {dossier.code} TRAN THI BINH\n"
    ).encode()
    page.locator('input[type="file"]').set_input_files(
        [{"name": "saoke.csv", "mimeType": "text/csv", "buffer": statement}]
    )
    page.locator('form[enctype] button[type="submit"]').click()
    page.wait_for_url("**/doi-soat/")
    line = StatementLine.objects.get()
    assert line.attempt is not None and line.matched_at is not None
    assert line.state == "matched" and line.attempt.receipt.number == 1
    assert PaymentRequest.objects.get(dossier=dossier).state == "paid"
    page.goto(
        f"{live_server.url}/backoffice/thu-phi/doi-soat/bao-cao/?tu={dossier.received_at.date()}&den={line.matched_at.date()}"
    )
    assert page.locator('tr[data-channel="vietqr"]').count() == 1
    assert not [line for line in CONSOLE if "Content Security Policy" in line]


def test_a_clerk_takes_cash_at_the_counter_and_prints_the_receipt(
    browser, live_server, receive, fee_items, series, centre_clerk
):
    """From the dossier's page in the back office to the cashier's panel: the form, a double
    click on its button, one payment and one receipt whose PDF opens."""
    dossier = receive()
    staff = Client()
    staff.force_login(centre_clerk)
    cookie = staff.cookies[django_settings.SESSION_COOKIE_NAME].value
    browser.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page = browser.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/backoffice/ho-so/{dossier.code}/")
    page.locator(f'a[href="/backoffice/thu-phi/ho-so/{dossier.code}/"]').first.click()
    page.wait_for_url(f"**/thu-phi/ho-so/{dossier.code}/")
    form = page.locator('form[action$="/thu/"]')
    form.locator('input[name="amount"]').fill("205000")
    form.locator('textarea[name="note"], input[name="note"]').first.fill("Quầy 3 <b>tiền mặt</b>")
    page.screenshot(path=str(SHOTS / "cashier-before-1280.png"), full_page=True)
    form.locator('button[type="submit"]').dblclick()
    # The page comes back to the same address: wait for the receipt's line, not the URL.
    page.locator('a[href^="/backoffice/thu-phi/bien-lai/"]').first.wait_for()
    page.wait_for_load_state("networkidle")
    attempt = PaymentAttempt.objects.get(request__dossier=dossier)
    assert (attempt.method, attempt.state, attempt.note) == (
        "cash",
        "confirmed",
        "Quầy 3 <b>tiền mặt</b>",
    )
    receipt = Receipt.objects.get()
    assert receipt.number == 1
    page.screenshot(path=str(SHOTS / "cashier-paid-1280.png"), full_page=True)
    link = page.locator(f'a[href="/backoffice/thu-phi/bien-lai/{receipt.pk}/"]').first
    assert receipt.number_text in link.inner_text()
    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    assert page.locator("b", has_text="tiền mặt").count() == 0  # the note stays text
    assert AuditEvent.objects.filter(action="payment.confirmed").count() == 1
    assert not [line for line in CONSOLE if "Content Security Policy" in line]
