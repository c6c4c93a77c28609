"""The citizen's pages pass axe-core (WCAG 2.1 A and AA rules) in Chromium with no serious or
critical violation, in Vietnamese and in English, and none scrolls sideways on a 360 px wide
phone (issue 15, "Quality"; decision 0017).

Each page is checked as a person reaches it against the live server: signed out (home,
catalogue, tracking with its answers and errors, sign-in, the filing start page, the opt-out
link), then signed in through the fake national provider as the demo citizen (account, my
dossiers, a dossier, the draft with its form, upload and delivery errors shown, the review
with what blocks submission, the acknowledgement, the supplement and withdrawal pages with
their errors, the sign-in link page). Moderate and minor findings are left to a person's
judgement and not counted. axe-core comes with the axe-playwright-python package."""

from pathlib import Path

import pytest

from conftest import complete_intake
from motcua.dossiers.applicants import Applicant
from motcua.dossiers.intake import Missing, receive_dossier, request_supplement_submitted
from motcua.dossiers.models import Dossier
from motcua.filing.tests.conftest import AN
from motcua.filing.tests.test_filing import certificate
from motcua.notifications import preferences

CHROMIUM = Path("/usr/bin/chromium")
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
# What axe could not decide ("incomplete": e.g. an aria-describedby naming no element) counts
# as well: each such finding has been a real fault so far.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_21_AA},
    "resultTypes": ["violations", "incomplete"],
}
PHONE = 360
PHONE_DIGITS = "5678"  # the last digits of the counter applicant's phone
pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium"),
    pytest.mark.django_db(transaction=True),
]


class Audit:
    """Runs axe-core on the page shown, measures its width and reads its language; keeps
    what fails."""

    def __init__(self, tab, language: str) -> None:
        from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

        self.tab, self.language, self.axe = tab, language, Axe()
        self.failures: list[str] = []

    def check(self, name: str) -> None:
        results = self.axe.run(self.tab, options=AXE_OPTIONS).response
        where = f"{self.language} {name} ({self.tab.url})"
        for kind in ("violations", "incomplete"):
            for rule in results[kind]:
                if rule["impact"] in BLOCKING:
                    self.failures.append(f"{where}: {_describe(kind, rule)}")
        width = self.tab.evaluate("document.scrollingElement.scrollWidth")
        if width > PHONE:
            self.failures.append(f"{where}: {width} px wide, scrolls sideways at {PHONE} px")
        lang = self.tab.evaluate("document.documentElement.lang")
        if lang != self.language:  # a screen reader would read it with the wrong voice
            self.failures.append(f"{where}: <html lang={lang!r}>")

    def visit(self, url: str, name: str) -> None:
        self.tab.goto(url)
        self.check(name)


def _describe(kind: str, rule: dict) -> str:
    nodes = [
        f"{' '.join(node['target'])}: {'; '.join(_messages(node))}" for node in rule["nodes"][:5]
    ]
    return f"{rule['id']} ({rule['impact']}, {kind}) {rule['help']}: {nodes}"


def _messages(node: dict) -> list[str]:
    return [check["message"] for part in ("any", "all", "none") for check in node.get(part, [])]


@pytest.fixture
def browser(live_server, settings, monkeypatch):
    sync_api = pytest.importorskip("playwright.sync_api")
    pytest.importorskip("axe_playwright_python")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls
    # (the clerk's side) are plain synchronous code all the same.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.MOTCUA_PUBLIC_URL = live_server.url  # where the server reaches the fake provider
    settings.MOTCUA_NOTIFY_CHANNELS = ["console"]
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield chromium
        chromium.close()


def phone(browser, live_server, language: str) -> Audit:
    context = browser.new_context(viewport={"width": PHONE, "height": 740})
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    return Audit(context.new_page(), language)


def counter_dossier(procedure, agency, clerk) -> Dossier:
    """A birth registration received at the counter for An (steps, appointment)."""
    applicant = Applicant("citizen", "Nguyễn Văn An", AN, "0912345678")
    return receive_dossier(complete_intake(procedure, agency, applicant), actor=clerk)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_public_pages_pass_axe_on_a_phone(
    browser, live_server, language, online_birth, commune_agency, clerk, civil_status_field
):
    dossier = counter_dossier(online_birth, commune_agency, clerk)
    in_person = _in_person_only(civil_status_field, commune_agency)
    url, audit = live_server.url, phone(browser, live_server, language)
    audit.visit(f"{url}/", "home")
    audit.visit(f"{url}/thu-tuc/", "catalogue")
    audit.visit(f"{url}/thu-tuc/?q=khai+sinh", "catalogue search")
    audit.visit(f"{url}/thu-tuc/?q=zzzz", "catalogue search without results")
    audit.visit(f"{url}/thu-tuc/{online_birth.code}/", "procedure")
    audit.visit(f"{url}/tra-cuu/", "tracking")
    audit.visit(f"{url}/tra-cuu/?ma={dossier.code}", "tracking by code (QR)")
    _track(audit, url, dossier.code, PHONE_DIGITS, "tracking with details")
    _track(audit, url, dossier.code, "12a4", "tracking with a form error")
    assert audit.tab.locator("#id_secret_error").count() == 1
    _track(audit, url, "H99.99.99-260101-9999", PHONE_DIGITS, "tracking: not found")
    audit.visit(f"{url}/tai-khoan/dang-nhap/", "sign-in")
    audit.visit(f"{url}/tai-khoan/dang-nhap/dvcqg/callback/?state=x&code=y", "sign-in failed")
    audit.visit(f"{url}/tai-khoan/da-dang-xuat/", "signed out")
    audit.visit(f"{url}/nop-truc-tuyen/{online_birth.code}/", "filing start, signed out")
    audit.visit(f"{url}/nop-truc-tuyen/{in_person.code}/", "filing: not offered online")
    link = preferences.opt_out_link("0912345678", url)
    audit.visit(link, "notices opt-out")
    audit.tab.locator("main form button[type=submit]").click()
    audit.tab.wait_for_load_state()
    audit.check("notices opt-out done")
    assert not audit.failures, "\n".join(audit.failures)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_citizen_pages_pass_axe_on_a_phone(
    browser, live_server, language, online_birth, commune_agency, clerk
):
    counter = counter_dossier(online_birth, commune_agency, clerk)
    url, audit = live_server.url, phone(browser, live_server, language)
    tab = audit.tab
    tab.goto(f"{url}/nop-truc-tuyen/{online_birth.code}/")
    tab.locator('main a.button[href^="/tai-khoan/dang-nhap/"]').click()
    _sign_in(tab, "dvcqg")
    tab.wait_for_url(f"**/nop-truc-tuyen/{online_birth.code}/")
    audit.check("filing start")
    tab.locator("main form button[type=submit]").click()
    tab.wait_for_url("**/ho-so-nhap/*/")
    draft_url = tab.url
    audit.check("draft")
    _draft_with_errors(audit)
    audit.visit(draft_url + "xem-lai/", "review, with what blocks submission")
    _fill_the_form(tab, draft_url)
    audit.visit(draft_url + "xem-lai/", "review, ready")
    tab.locator("main form button[type=submit]").click()
    tab.wait_for_url("**/nop-truc-tuyen/da-nop/**")
    audit.check("acknowledgement")
    audit.visit(f"{url}/nop-truc-tuyen/ho-so-nhap/", "drafts")
    filed = Dossier.objects.exclude(pk=counter.pk).get()
    component = certificate(online_birth.current_version)
    why = "Tải lên bản chụp."
    request_supplement_submitted(filed, actor=clerk, missing=[Missing(component.pk, "GCS", why)])
    audit.visit(f"{url}/tai-khoan/", "account")
    audit.visit(f"{url}/tai-khoan/ho-so/", "my dossiers")
    audit.visit(f"{url}/tai-khoan/ho-so/{filed.code}/", "a dossier asked to supplement")
    audit.visit(f"{url}/tai-khoan/ho-so/{counter.code}/", "a dossier received at the counter")
    audit.visit(f"{url}/nop-truc-tuyen/ho-so/{filed.code}/bo-sung/", "supplement")
    tab.locator("main form button[type=submit]").click()  # nothing sent: an error
    tab.wait_for_load_state()
    audit.check("supplement with an error")
    audit.visit(f"{url}/nop-truc-tuyen/ho-so/{counter.code}/rut/", "withdrawal")
    tab.locator("main form button[type=submit]").click()  # no reason: an error
    tab.wait_for_load_state()
    audit.check("withdrawal with an error")
    _link_page(audit, url)
    assert not audit.failures, "\n".join(audit.failures)


def _in_person_only(field, agency):
    from conftest import procedure_values
    from motcua.catalogue.models import OnlineLevel
    from motcua.catalogue.services import create_procedure

    values = procedure_values(
        field, name="Chứng thực bản sao từ bản chính", online_level=OnlineLevel.NONE
    )
    values["channels"] = ["in_person"]
    return create_procedure("2.000815", actor=None, owner_agency=agency, values=values)


def _track(audit: Audit, url: str, code: str, digits: str, name: str) -> None:
    tab = audit.tab
    tab.goto(f"{url}/tra-cuu/")
    tab.locator("input[name=ma]").fill(code)
    tab.locator("input[name=secret]").fill(digits)
    # The server's answer to what the browser's own check (pattern) would stop.
    tab.locator("main form").evaluate("form => form.noValidate = true")
    with tab.expect_navigation():
        tab.locator("main form button[type=submit]").click()
    audit.check(name)


def _sign_in(tab, provider: str) -> None:
    tab.locator(f'main a[href^="/tai-khoan/dang-nhap/{provider}/"]').click()
    tab.wait_for_url("**/fake-idp/authorize?**")
    tab.get_by_label("Nguyễn Văn An", exact=False).check()
    tab.locator("main form button[type=submit]").click()


def _draft_with_errors(audit: Audit) -> None:
    """The draft drawn again with the e-form's, an upload's and the delivery's errors."""
    tab = audit.tab
    tab.evaluate("document.querySelector('#id_nam_sinh_me').type = 'text'")
    tab.locator("#id_nam_sinh_me").fill("năm 94")
    tab.locator("#form button[type=submit]").first.click()
    tab.wait_for_load_state()
    assert tab.locator("#form .error-text").count() >= 1
    audit.check("draft with a form error")
    upload = tab.locator("#documents form.upload").first
    not_a_scan = {"name": "scan.jpg", "mimeType": "image/jpeg", "buffer": b"not an image"}
    upload.locator("input[type=file]").set_input_files([not_a_scan])
    upload.locator("button[type=submit]").click()
    tab.wait_for_load_state()
    audit.check("draft with an upload error")
    tab.locator("#delivery input[value=postal]").check()
    tab.locator("#delivery button[type=submit]").click()
    tab.wait_for_load_state()
    assert tab.locator("#delivery .error-text").count() >= 1
    audit.check("draft with a delivery error")


def _fill_the_form(tab, draft_url: str) -> None:
    tab.goto(draft_url)
    tab.locator("#id_quan_he_0").check()
    tab.locator("#id_ho_ten_tre").fill("Nguyễn Minh Khôi")
    tab.locator("#id_gioi_tinh_0").check()
    tab.locator("#id_ngay_sinh").fill("2026-11-20")
    for name, value in [
        ("noi_sinh", "Bệnh viện đa khoa tỉnh Hà Tĩnh"),
        ("dan_toc", "Kinh"),
        ("quoc_tich", "Việt Nam"),
        ("que_quan", "Hà Tĩnh"),
        ("ho_ten_me", "Lê Thị Hoa"),
        ("nam_sinh_me", "1994"),
    ]:
        tab.locator(f"#id_{name}").fill(value)
    tab.locator("#id_cam_doan").check()
    tab.locator("#form button[type=submit]").first.click()
    tab.wait_for_load_state()


def _link_page(audit: Audit, url: str) -> None:
    """Signed out, then in again through the other provider: the same identity number
    already has an account, so the person is asked whether to link it."""
    tab = audit.tab
    tab.goto(f"{url}/tai-khoan/")
    tab.locator('main form[action="/tai-khoan/dang-xuat/"] button').click()
    tab.wait_for_url("**/tai-khoan/da-dang-xuat/**")
    tab.goto(f"{url}/tai-khoan/dang-nhap/")
    _sign_in(tab, "vneid")
    tab.wait_for_url("**/tai-khoan/lien-ket/")
    audit.check("link an account")
    tab.locator("main button[value=decline]").click()
    tab.wait_for_load_state()
    audit.check("nothing linked")
