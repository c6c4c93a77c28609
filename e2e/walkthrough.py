"""A clerk's morning behind nginx with TLS, in a real browser (issue 11 "Done means").

Drives headless Chromium (Debian's, through Playwright) against the production stack that
scripts/e2e-tls started behind nginx with a self-signed certificate: the public pages, the
API documentation, the clerk's sign-in and a dossier received at the counter, the
administration. Fails on any Content-Security-Policy violation, script error, failed request
or unexpected page, and saves a screenshot of every page in the output folder.

Usage: python e2e/walkthrough.py BASE_URL OUTPUT_DIR
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

PASSWORD = "motcua2026"  # the demo accounts (seed_demo)
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class Walk:
    def __init__(self, browser, base: str, out: Path):
        self.base, self.out, self.problems = base, out, []
        context = browser.new_context(
            ignore_https_errors=True, viewport={"width": 1280, "height": 900}, locale="vi-VN"
        )
        self.page = context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.problems.append(f"script error: {e}"))
        self.page.on("response", self._response)

    def _console(self, message) -> None:
        if message.type == "error" or "Content Security Policy" in message.text:
            self.problems.append(f"{self.page.url}: {message.text}")

    def _response(self, response) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status} {response.url}")

    def visit(self, name: str, path: str, title_part: str) -> None:
        self.page.goto(self.base + path)
        self.page.wait_for_load_state("load")
        self.page.screenshot(path=str(self.out / f"{name}.png"), full_page=True)
        if title_part not in self.page.title():
            self.problems.append(f"{path}: title {self.page.title()!r} lacks {title_part!r}")
        print(f"  {name:12} {self.page.url}")

    def sign_in(self, path: str, username: str, button: str) -> None:
        self.page.goto(self.base + path)
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click(button)
        self.page.wait_for_load_state("load")


def public_pages(walk: Walk) -> None:
    walk.visit("home", "/", "motcua")
    walk.visit("catalogue", "/thu-tuc/?q=khai+sinh", "Thủ tục")
    walk.visit("procedure", "/thu-tuc/1.001193/", "khai sinh")
    walk.visit("tracking", "/tra-cuu/", "Tra cứu")
    walk.visit("api-docs", "/api/v1/docs", "motcua API")
    walk.page.wait_for_selector(".opblock", timeout=15000)  # Swagger UI drew, offline
    walk.page.screenshot(path=str(walk.out / "api-docs.png"), full_page=False)  # as drawn


def clerk_receives(walk: Walk) -> str:
    walk.sign_in("/backoffice/", "tiepnhan", "form button[type=submit]")
    walk.visit("intake", "/backoffice/tiep-nhan/1.001193/", "Tiếp nhận")
    page = walk.page
    page.fill("input[name=id_number]", "042090001234")
    page.fill("input[name=name]", "Nguyễn Văn Ánh")
    page.fill("input[name=phone]", "0912345678")
    for box in page.locator("input[type=checkbox][name$=-handed_in]").all():
        box.check()
    agencies = page.locator("select[name=competent_agency] option:not([value=''])")
    page.select_option("select[name=competent_agency]", agencies.first.get_attribute("value"))
    page.click("form[method=post] button[value=receive]")
    page.wait_for_load_state("load")
    page.screenshot(path=str(walk.out / "received.png"), full_page=True)
    if "/backoffice/ho-so/" not in page.url:
        walk.problems.append(f"the dossier was not received: {page.url}")
        return ""
    code = page.url.rstrip("/").rsplit("/", 1)[-1]
    print(f"  received     {code}")
    with page.expect_navigation():  # site.js submits the language form
        page.select_option("#lang-select", "en")
    page.wait_for_load_state("load")
    if page.locator("html").get_attribute("lang") != "en":
        walk.problems.append("the language switch did not submit")
    return code


def _focused(page) -> str:
    return page.evaluate(
        "(() => { const e = document.activeElement;"
        " return e ? (e.name || e.id || e.tagName.toLowerCase()) : ''; })()"
    )


def _tab_to(walk: Walk, wanted, limit: int, what: str) -> bool:
    """Press Tab until the focused control satisfies `wanted` (at most `limit` presses)."""
    for _ in range(limit):
        walk.page.keyboard.press("Tab")
        if wanted(_focused(walk.page)):
            return True
    walk.problems.append(f"keyboard: {what} not reached in {limit} Tab presses")
    return False


def clerk_receives_by_keyboard(walk: Walk, number: str) -> str:
    """Issue 13 §5: a commune clerk receives a birth registration with the keyboard alone
    (the sign-in aside): focus in the search, arrows in the results, Enter to pick, focus
    in the identity number, Tab through the applicant, Space and arrows down the checklist,
    Tab to the receive button, Enter. Then the same number again: the returning applicant's
    details are offered and taken with the keyboard."""
    page = walk.page
    walk.sign_in("/backoffice/", "tiepnhan.thanhsen", "form button[type=submit]")
    walk.visit("kb-choose", "/backoffice/tiep-nhan/", "Tiếp nhận")
    if _focused(page) != "q":
        walk.problems.append(f"keyboard: the search field lacks the focus ({_focused(page)})")
    page.keyboard.type("khai sinh")
    page.wait_for_selector("[data-arrow-list] a")
    page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    if _focused(page) != "id_number":
        walk.problems.append(f"keyboard: the intake form opens with focus on {_focused(page)}")
    page.keyboard.type(number)
    for field, text in (("name", "Lê Thị Bàn Phím"), ("phone", "0912000111")):
        if _tab_to(walk, lambda f, field=field: f == field, 4, field):
            page.keyboard.type(text)
    if not _tab_to(walk, lambda f: f.endswith("-handed_in"), 6, "the checklist"):
        return ""
    boxes = page.locator("input[type=checkbox][name$=-handed_in]").count()
    for index in range(boxes):
        page.keyboard.press("Space")
        if index < boxes - 1:
            page.keyboard.press("ArrowDown")
    ticked = page.locator("input[type=checkbox][name$=-handed_in]:checked").count()
    if ticked != boxes:
        walk.problems.append(f"keyboard: {ticked} of {boxes} documents ticked")
    page.screenshot(path=str(walk.out / "kb-intake.png"), full_page=True)
    if not _tab_to(walk, lambda f: f == "outcome", 80, "the receive button"):
        return ""
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    page.screenshot(path=str(walk.out / "kb-received.png"), full_page=True)
    if "/backoffice/ho-so/" not in page.url:
        walk.problems.append(f"keyboard: the dossier was not received: {page.url}")
        return ""
    code = page.url.rstrip("/").rsplit("/", 1)[-1]
    print(f"  kb-received  {code}")

    walk.visit("kb-again", "/backoffice/tiep-nhan/1.001193/", "Tiếp nhận")
    page.keyboard.type(number)
    with page.expect_response(lambda r: "/tiep-nhan/nguoi-nop/" in r.url):
        page.keyboard.press("Tab")
    page.wait_for_selector("[data-fill-form]")
    page.keyboard.down("Shift")
    page.keyboard.press("Tab")
    page.keyboard.up("Shift")
    if _focused(page) != "button":
        walk.problems.append("keyboard: the returning applicant's details are not next in order")
    page.keyboard.press("Enter")
    if page.input_value("input[name=name]") != "Lê Thị Bàn Phím":
        walk.problems.append("keyboard: the returning applicant's details were not filled in")
    page.screenshot(path=str(walk.out / "kb-returning.png"), full_page=True)
    return code


def administration(walk: Walk) -> None:
    walk.sign_in("/admin/", "admin", "input[type=submit]")
    walk.visit("admin", "/admin/", "motcua")
    walk.visit("admin-users", "/admin/auth/user/", "motcua")
    walk.visit("admin-agency", "/admin/organisations/agency/add/", "motcua")


def main(base: str, out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        try:
            walks = [Walk(browser, base, out) for _ in range(4)]
            public_pages(walks[0])
            code = clerk_receives(walks[1])
            if code:
                walks[0].visit("tracked", f"/tra-cuu/?ma={code}", "Tra cứu")
            administration(walks[2])
            clerk_receives_by_keyboard(walks[3], "042095000321")
        finally:
            browser.close()
    problems = [p for walk in walks for p in walk.problems]
    for problem in problems:
        print(f"PROBLEM {problem}")
    print(f"e2e: {len(problems)} problem(s); screenshots in {out}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1].rstrip("/"), Path(sys.argv[2])))
