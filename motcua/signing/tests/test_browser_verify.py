"""The verification page in Chromium on a 360 px phone, Vietnamese and English: a person
uploads the signed result and reads who signed it; axe-core finds no serious or critical
violation (decision 0017), nothing scrolls sideways, the page's language is right."""

import pytest

from motcua.portal.tests.test_accessibility import CHROMIUM, browser, phone  # noqa: F401
from motcua.signing import backends, service

from .test_backends import COPY, p12_spec, result_pdf

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def signed_file(demo_pki, tmp_path):
    """Signed before the browser starts: pyHanko runs its own event loop, which Playwright's
    sync API (running one in this thread) would not allow."""
    folder, _ = demo_pki
    with backends.open_signer(p12_spec(folder)) as signer:
        signed = service.sign_pdf(result_pdf(), signer=signer, look=COPY)
    path = tmp_path / "ket-qua.pdf"
    path.write_bytes(signed)
    return path


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_person_checks_a_signed_result_on_a_phone(
    signed_file,
    browser,  # noqa: F811
    live_server,
    language,
):
    path = signed_file
    audit = phone(browser, live_server, language)
    audit.visit(f"{live_server.url}/xac-thuc-chu-ky/", "verification")
    audit.tab.set_input_files("input[type=file]", str(path))
    audit.tab.locator("main form button[type=submit]").click()
    audit.tab.wait_for_load_state()
    audit.check("verification result")
    text = audit.tab.locator("main").inner_text()
    assert "UBND phường Thành Sen" in text
    expected = "Mọi chữ ký đều hợp lệ" if language == "vi" else "Every signature is valid"
    assert expected in text
    assert not audit.failures, "\n".join(audit.failures)
