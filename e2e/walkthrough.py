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
            walks = [Walk(browser, base, out) for _ in range(3)]
            public_pages(walks[0])
            code = clerk_receives(walks[1])
            if code:
                walks[0].visit("tracked", f"/tra-cuu/?ma={code}", "Tra cứu")
            administration(walks[2])
        finally:
            browser.close()
    problems = [p for walk in walks for p in walk.problems]
    for problem in problems:
        print(f"PROBLEM {problem}")
    print(f"e2e: {len(problems)} problem(s); screenshots in {out}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1].rstrip("/"), Path(sys.argv[2])))
