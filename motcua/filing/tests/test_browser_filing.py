"""Issue 15's "done means", in Chromium on a 360 px wide phone against the live server: a
citizen signs in through the fake national provider, files a birth registration online with
its e-form and a scan, the clerk guides them to supplement, they answer online, the clerk
receives the dossier (the notices are written to the outbox, console channel), a result file
appears in "my dossiers". The Content-Security-Policy is enforced by the browser: a violation
fails the test. Runs on SQLite and PostgreSQL like the rest of the suite."""

from pathlib import Path

import pytest

from motcua.dossiers.attachments import attach_file
from motcua.dossiers.intake import Missing, receive_submitted, request_supplement_submitted
from motcua.dossiers.models import Dossier
from motcua.dossiers.status import Status
from motcua.notifications import notices
from motcua.outbox.models import OutboxMessage

from .conftest import JPEG, PDF
from .test_filing import certificate

CHROMIUM = Path("/usr/bin/chromium")
CONSOLE: list[str] = []
pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def page(live_server, settings, monkeypatch):
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls
    # (the clerk's side) are plain synchronous code all the same.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.MOTCUA_PUBLIC_URL = live_server.url
    settings.MOTCUA_NOTIFY_CHANNELS = ["console"]  # what `make demo` uses
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        context = browser.new_context(viewport={"width": 360, "height": 740})
        page = context.new_page()
        page.on("console", lambda message: CONSOLE.append(message.text))
        CONSOLE.clear()
        yield page
        browser.close()


def test_a_citizen_files_online_and_answers_a_supplement_on_a_phone(
    page, live_server, online_birth, commune_agency, clerk
):
    url = live_server.url
    page.goto(f"{url}/thu-tuc/{online_birth.code}/")
    page.get_by_role("link", name="Nộp trực tuyến").click()
    page.get_by_role("link", name="Đăng nhập để nộp").click()
    page.locator('a[href^="/tai-khoan/dang-nhap/dvcqg/"]').click()
    page.wait_for_url("**/fake-idp/authorize?**")
    page.get_by_label("Nguyễn Văn An", exact=False).check()
    page.locator('button[type="submit"]').last.click()
    page.wait_for_url(f"**/nop-truc-tuyen/{online_birth.code}/")
    page.get_by_role("button", name="Bắt đầu").click()
    page.wait_for_url("**/ho-so-nhap/*/")

    # The e-form: the provider's fields are filled and read-only.
    assert page.locator("#id_nguoi_yeu_cau").input_value() == "Nguyễn Văn An"
    assert page.locator("#id_nguoi_yeu_cau").is_disabled()
    page.get_by_label("Cha", exact=True).check()
    page.locator("#id_ho_ten_tre").fill("Nguyễn Minh Khôi")
    page.get_by_label("Nam", exact=True).check()
    page.locator("#id_ngay_sinh").fill("2026-11-20")
    page.locator("#id_noi_sinh").fill("Bệnh viện đa khoa tỉnh Hà Tĩnh")
    page.locator("#id_dan_toc").fill("Kinh")
    page.locator("#id_quoc_tich").fill("Việt Nam")
    page.locator("#id_que_quan").fill("Hà Tĩnh")
    page.locator("#id_ho_ten_me").fill("Lê Thị Hoa")
    page.locator("#id_nam_sinh_me").fill("1994")
    page.locator("#id_cam_doan").check()
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.wait_for_load_state()
    assert "Đã lưu tờ khai" in page.content()

    # Review: nothing missing but the certificate, which is only a warning; submit.
    page.get_by_role("link", name="Xem lại và nộp").first.click()
    page.wait_for_url("**/xem-lai/")
    assert "Nguyễn Minh Khôi" in page.content()
    page.get_by_role("button", name="Nộp hồ sơ").click()
    page.wait_for_url("**/nop-truc-tuyen/da-nop/**")
    dossier = Dossier.objects.get()
    assert dossier.code in page.locator("h1 + p").inner_text()
    assert page.locator(".qr svg").count() == 1
    assert dossier.status == Status.SUBMITTED

    # The clerk finds the certificate missing and asks for it.
    component = certificate(online_birth.current_version)
    request_supplement_submitted(
        dossier, actor=clerk, missing=[Missing(component.pk, component.name, "Tải lên bản chụp.")]
    )
    page.goto(f"{url}/tai-khoan/ho-so/{dossier.code}/")
    page.get_by_role("link", name="Gửi bổ sung trực tuyến").click()
    page.wait_for_url("**/bo-sung/")
    page.locator("#item-0").set_input_files(
        [{"name": "giay-chung-sinh.jpg", "mimeType": "image/jpeg", "buffer": JPEG}]
    )
    page.locator("#id_note").fill("Bản chụp Giấy chứng sinh")
    page.get_by_role("button", name="Gửi").click()
    page.wait_for_url(f"**/tai-khoan/ho-so/{dossier.code}/")
    assert "Đã gửi" in page.content()

    # The clerk receives it; the notices are in the outbox; a result file reaches the person.
    received = receive_submitted(dossier, actor=clerk)
    assert received.status == Status.RECEIVED
    told = OutboxMessage.objects.filter(topic=notices.EVENT_TOPIC).values_list("payload", flat=True)
    assert {p["action"] for p in told} == {"request_supplement_at_reception", "receive"}
    attach_file(received, actor=clerk, upload=_upload("ket-qua.pdf", PDF), kind="result")
    page.goto(f"{url}/tai-khoan/ho-so/{dossier.code}/")
    assert "ket-qua.pdf" in page.content() and "Được tiếp nhận" in page.content()
    assert not [line for line in CONSOLE if "Content Security Policy" in line]


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


BIG_PHOTO = """() => {
  const canvas = document.createElement("canvas");
  canvas.width = 3000; canvas.height = 2250;
  const context = canvas.getContext("2d");
  const pixels = context.createImageData(3000, 2250);
  for (let i = 0; i < pixels.data.length; i++) pixels.data[i] = (i * 2654435761) % 251;
  context.putImageData(pixels, 0, 0);
  return canvas.toDataURL("image/jpeg", 0.95).split(",")[1];
}"""


def test_a_phone_photo_is_made_smaller_before_it_is_sent(
    page, live_server, online_birth, commune_agency
):
    """A 3000×2250 photo of several MB goes up as a JPEG of at most 2000 px, much smaller."""
    import base64

    from motcua.filing.models import DraftFile

    url = live_server.url
    page.goto(f"{url}/tai-khoan/dang-nhap/")
    page.locator('a[href^="/tai-khoan/dang-nhap/dvcqg/"]').click()
    page.get_by_label("Nguyễn Văn An", exact=False).check()
    page.locator('button[type="submit"]').last.click()
    page.wait_for_url(f"{url}/tai-khoan/")
    page.goto(f"{url}/nop-truc-tuyen/{online_birth.code}/")
    page.get_by_role("button", name="Bắt đầu").click()
    page.wait_for_url("**/ho-so-nhap/*/")
    photo = base64.b64decode(page.evaluate(BIG_PHOTO))
    assert len(photo) > 1_000_000
    component = certificate(online_birth.current_version).pk
    field = page.locator(f"#files-{component}")
    field.set_input_files([{"name": "anh-chup.png", "mimeType": "image/jpeg", "buffer": photo}])
    for _ in range(100):  # the page redraws the photo (no eval under the CSP: poll)
        if field.get_attribute("data-shrinking") is None:
            break
        page.wait_for_timeout(100)
    page.locator(f"#doc-{component}").get_by_role("button", name="Tải lên").click()
    page.wait_for_load_state()
    stored = DraftFile.objects.get()
    assert stored.content_type == "image/jpeg" and stored.original_name == "anh-chup.jpg"
    assert stored.size < len(photo) / 2
