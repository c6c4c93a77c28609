"""A demo citizen signs in through the fake national provider in Chromium, against the live
server: the portal's redirect, the provider's page, the token, JWKS and userinfo calls over
real HTTP, the account page, sign-out through the provider. The Content-Security-Policy is
enforced by the browser: a violation fails the test."""

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CONSOLE: list[str] = []
pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def page(live_server, settings):
    sync_api = pytest.importorskip("playwright.sync_api")
    settings.MOTCUA_PUBLIC_URL = live_server.url  # where the server reaches the fake provider
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        context = browser.new_context(viewport={"width": 360, "height": 740})
        page = context.new_page()
        page.on("console", lambda message: CONSOLE.append(message.text))
        CONSOLE.clear()
        yield page
        browser.close()


def test_a_demo_citizen_signs_in_and_out_in_chromium(page, live_server):
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.locator('a[href="/tai-khoan/dang-nhap/dvcqg/"]').click()
    page.wait_for_url("**/fake-idp/authorize?**")
    page.get_by_label("Trần Thị Bình", exact=False).check()
    page.locator('button[type="submit"]').last.click()
    page.wait_for_url(f"{live_server.url}/tai-khoan/")
    assert "Trần Thị Bình" in page.locator("h1").inner_text()
    assert "042195004321" not in page.content()
    page.locator('form[action="/tai-khoan/dang-xuat/"] button').click()
    page.wait_for_url("**/tai-khoan/da-dang-xuat/**")
    page.goto(f"{live_server.url}/tai-khoan/")
    assert "/tai-khoan/dang-nhap/" in page.url
    assert not [line for line in CONSOLE if "Content Security Policy" in line]
