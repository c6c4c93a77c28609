"""The citizen portal on a phone's slow link (issue 15, "Quality").

Goals: each portal page under 150 KB on a first visit (compressed as served) and usable
within 2 s on a slow mobile link; and the figure a citizen feels most: the time to sign in,
fill the birth registration e-form and submit a dossier with five scanned pages.

The site is served as deployed (bench/production.py): gunicorn with deploy/gunicorn.conf.py,
DEBUG off, whitenoise serving the collected static files compressed (brotli to Chromium on
127.0.0.1, which counts as a secure origin; gzip to a plain-HTTP LAN address), on a scratch
SQLite database (or PostgreSQL, DATABASE_URL) loaded with the demo (`seed_demo`: its
procedures and e-forms), with the fake national identity provider on (MOTCUA_FAKE_IDP), which
the server reaches over HTTP at its own address, as with `make demo`. Neither the project nor
the shipped nginx example compresses HTML: a page's HTML crosses the link as it is. The
"gzip" column says what `gzip on` for text/html in the proxy (level 6) would make of it.

Headless Chromium (/usr/bin/chromium, Playwright) at 360 x 740 px. The link is Chromium's
own throttling (CDP Network.emulateNetworkConditions): DOWN_KBPS down, UP_KBPS up, LATENCY_MS
added to each response (the handshakes are not delayed: a real link adds a round trip or
three per new connection). Baseline, same run, same server and browser: the same unthrottled.

(a) Pages: a first visit each (a fresh browser context, signed in first where the page needs
it as the demo citizen through the fake provider, the cache cleared, then the page): bytes on
the wire for the navigation and its subresources, headers included (CDP loadingFinished
encodedDataLength, until the network is idle), and loadEventEnd. Median of RUNS visits
(BENCH_PORTAL_RUNS, 3).

(b) Filing: from the procedure's filing page, signed out, to the acknowledgement, as a
person does it: "Sign in to file", the provider, back to the filing page, "Start", the e-form
filled and saved, five scanned pages (JPEG, SCAN_KB each, incompressible like a camera's)
chosen together for the birth certificate and uploaded, the review, "Submit". Wall time of
each part (the browser's typing is instant: what is measured is the link and the server).
Median of RUNS, throttled and not. Run alone: `python -m bench portal`.
"""

import gzip
import os
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench import production
from bench.bench_slow_link import ARGS, CHROMIUM, Meter, Visit, _visit

RUNS = int(os.environ.get("BENCH_PORTAL_RUNS", "3"))
PROCEDURE = "1.001193"  # birth registration, with the demo's e-form (motcua/filing/eforms/)
DOWN_KBPS, UP_KBPS, LATENCY_MS = 1600, 750, 150
GOAL_KB, GOAL_SECONDS = 150, 2.0
SCANS, SCAN_KB = 5, 300
PHONE = {"width": 360, "height": 740}
CITIZEN = "Nguyễn Văn An"  # the fake provider's first demo person
ANSWERS = {
    "ho_ten_tre": "Nguyễn Minh Khôi",
    "ngay_sinh": "2026-11-20",
    "noi_sinh": "Bệnh viện đa khoa tỉnh Hà Tĩnh",
    "dan_toc": "Kinh",
    "quoc_tich": "Việt Nam",
    "que_quan": "Hà Tĩnh",
    "ho_ten_me": "Lê Thị Hoa",
    "nam_sinh_me": "1994",
}
CHECKED = ["id_quan_he_0", "id_gioi_tinh_0", "id_cam_doan"]  # father, male, the declaration


@dataclass
class Page:
    name: str
    path: str  # "{draft}" and "{code}" are filled in when known
    signed_in: bool = False


PAGES = [
    Page("home", "/"),
    Page("catalogue", "/thu-tuc/"),
    Page("catalogue: search", "/thu-tuc/?q=dang+ky+khai+sinh"),
    Page("procedure", f"/thu-tuc/{PROCEDURE}/"),
    Page("tracking (QR)", "/tra-cuu/?ma={code}"),
    Page("sign-in", "/tai-khoan/dang-nhap/"),
    Page("filing: start", f"/nop-truc-tuyen/{PROCEDURE}/"),
    Page("account", "/tai-khoan/", signed_in=True),
    Page("my dossiers", "/tai-khoan/ho-so/", signed_in=True),
    Page("a dossier", "/tai-khoan/ho-so/{code}/", signed_in=True),
    Page("filing: draft (e-form)", "{draft}", signed_in=True),
    Page("filing: review", "{draft}xem-lai/", signed_in=True),
    Page("filing: acknowledgement", "/nop-truc-tuyen/da-nop/{code}/", signed_in=True),
]
PARTS = ["sign in", "e-form", f"{SCANS} scans", "review and submit"]


# --- Orchestration ----------------------------------------------------------------------------


def run() -> None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("   skipped: Playwright is not installed")
        return
    if not Path(CHROMIUM).exists():
        print(f"   skipped: {CHROMIUM} is missing (apt-get install chromium)")
        return
    with tempfile.TemporaryDirectory(prefix="motcua-bench-portal-") as tmp:
        folder = Path(tmp)
        scans = _scans(folder)
        server_url = os.environ.get("DATABASE_URL")
        with production.scratch_database(folder, server_url, "motcua_portal") as url:
            port = production.free_port()
            env = production.environment(url, port, _settings(folder, port))
            started = time.perf_counter()
            production.manage(env, "migrate", "--noinput", "-v", "0")
            production.manage(env, "collectstatic", "--noinput", "-v", "0")
            production.manage(env, "seed_demo")
            with production.running(env, folder / "server.log") as server:
                base = f"http://{production.HOST}:{server.port}"
                _print_setup(env, time.perf_counter() - started)
                with sync_playwright() as playwright:
                    browser = playwright.chromium.launch(
                        executable_path=CHROMIUM, headless=True, args=ARGS
                    )
                    try:
                        filing = {t: _file_all(browser, base, scans, t) for t in (False, True)}
                        code = filing[False][-1]["code"]
                        pages = {t: _measure_pages(browser, base, code, t) for t in (False, True)}
                        gzipped = _html_gzip(browser, base, code)
                    finally:
                        browser.close()
    _report_pages(pages, gzipped)
    _report_filing(filing)


def _settings(folder: Path, port: int) -> dict[str, str]:
    return {
        "STATIC_ROOT": str(folder / "static"),
        "MEDIA_ROOT": str(folder / "media"),
        "MOTCUA_PUBLIC_URL": f"http://{production.HOST}:{port}",
        "MOTCUA_FAKE_IDP": "1",  # the demo's sign-in; never in production
        "MOTCUA_TRACKING_IP_LIMIT": str(10**9),  # every visit of the tracking page is a lookup
        "MOTCUA_ACCESS_LOG": "-",
    }


def _scans(folder: Path) -> list[Path]:
    """SCANS files that pass the upload's content check as JPEG, SCAN_KB each, of random
    bytes: a photographed page is already compressed, so nothing on the way shrinks it."""
    paths = []
    for number in range(1, SCANS + 1):
        path = folder / f"giay-chung-sinh-trang-{number}.jpg"
        path.write_bytes(b"\xff\xd8\xff\xe0" + secrets.token_bytes(SCAN_KB * 1024 - 4))
        paths.append(path)
    return paths


def _phone(browser, throttled: bool):
    """A fresh context (no cache, no cookies) at a phone's size, its tab and its meter."""
    context = browser.new_context(locale="vi-VN", viewport=PHONE)
    tab = context.new_page()
    meter = Meter(context.new_cdp_session(tab))
    _throttle(meter, throttled)
    return context, tab, meter


def _throttle(meter: Meter, on: bool) -> None:
    meter.cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": LATENCY_MS if on else 0,
            "downloadThroughput": DOWN_KBPS * 1000 / 8 if on else -1,
            "uploadThroughput": UP_KBPS * 1000 / 8 if on else -1,
        },
    )


# --- (b) Filing, timed ------------------------------------------------------------------------


def _file_all(browser, base: str, scans: list[Path], throttled: bool) -> list[dict]:
    if not throttled:  # a first dossier, not counted: the server's first requests warm it
        _file_once(browser, base, scans, throttled)
    return [_file_once(browser, base, scans, throttled) for _ in range(RUNS)]


def _file_once(browser, base: str, scans: list[Path], throttled: bool) -> dict:
    """One dossier filed from the signed-out filing page; seconds per part, and its code."""
    context, tab, _meter = _phone(browser, throttled)
    took: dict = {}
    try:
        tab.goto(f"{base}/nop-truc-tuyen/{PROCEDURE}/")
        clock = time.perf_counter()
        tab.locator('main a.button[href^="/tai-khoan/dang-nhap/"]').click()
        _through_the_provider(tab)
        _expect(tab, f"**/nop-truc-tuyen/{PROCEDURE}/")
        clock = _lap(took, "sign in", clock)
        tab.locator("main form button[type=submit]").click()
        _expect(tab, "**/ho-so-nhap/*/")
        _fill(tab)
        clock = _lap(took, "e-form", clock)
        _upload(tab, scans)
        clock = _lap(took, f"{SCANS} scans", clock)
        tab.locator('main a.button[href$="/xem-lai/"]').last.click()
        _expect(tab, "**/xem-lai/")
        tab.locator('main form[action$="/nop/"] button').click()
        _expect(tab, "**/nop-truc-tuyen/da-nop/**")
        _lap(took, "review and submit", clock)
        took["code"] = tab.url.rstrip("/").rsplit("/", 1)[1]
        return took
    finally:
        context.close()


def _expect(tab, url: str) -> None:
    """Waits for the page at `url`; where it ended instead, said."""
    try:
        tab.wait_for_url(url)
    except Exception as waited:
        text = tab.locator("main").inner_text()[:400] if tab.locator("main").count() else ""
        raise RuntimeError(f"expected {url}, on {tab.url}: {text}") from waited


def _lap(took: dict, part: str, since: float) -> float:
    now = time.perf_counter()
    took[part] = now - since
    return now


def _through_the_provider(tab) -> None:
    tab.locator('main a[href^="/tai-khoan/dang-nhap/dvcqg/"]').click()
    _expect(tab, "**/fake-idp/authorize?**")
    tab.get_by_label(CITIZEN, exact=False).check()
    tab.locator("main form button[type=submit]").click()


def _fill(tab) -> None:
    """The e-form answered and saved (the provider's fields are filled already)."""
    for field in CHECKED:
        tab.locator(f"#{field}").check()
    for name, value in ANSWERS.items():
        tab.locator(f"#id_{name}").fill(value)
    with tab.expect_navigation():
        tab.locator("#form button[type=submit]").first.click()
    if tab.locator("#form .error-text").count():
        raise RuntimeError(f"the e-form was refused: {tab.locator('#form').inner_text()[:500]}")


def _upload(tab, scans: list[Path]) -> None:
    """The scans chosen together for the birth certificate (else the first document)."""
    item = tab.locator("#documents .doc").filter(has_text="chứng sinh")
    if not item.count():
        item = tab.locator("#documents .doc")
    form = item.first.locator("form.upload").first
    form.locator("input[type=file]").set_input_files([str(p) for p in scans])
    with tab.expect_navigation(timeout=120_000):
        form.locator("button[type=submit]").click()
    if tab.locator("#documents .files li").count() < len(scans):
        raise RuntimeError("the scans were not all kept")


# --- (a) Pages, weighed -----------------------------------------------------------------------


def _measure_pages(browser, base: str, code: str, throttled: bool) -> dict[str, list[Visit]]:
    found: dict[str, list[Visit]] = {}
    for _ in range(RUNS):
        for page in PAGES:
            visit = _first_visit(browser, base, page, code, throttled)
            found.setdefault(page.name, []).append(visit)
    return found


def _first_visit(browser, base: str, page: Page, code: str, throttled: bool) -> Visit:
    context, tab, meter = _phone(browser, False)
    try:
        draft = _sign_in(tab, base) if page.signed_in else ""
        meter.cdp.send("Network.clearBrowserCache")
        _throttle(meter, throttled)
        return _visit(tab, meter, base + page.path.format(draft=draft, code=code))
    finally:
        context.close()


def _sign_in(tab, base: str) -> str:
    """Signed in as the demo citizen; the path of their draft (started, or resumed)."""
    tab.goto(f"{base}/tai-khoan/dang-nhap/?next=/nop-truc-tuyen/{PROCEDURE}/")
    _through_the_provider(tab)
    _expect(tab, f"**/nop-truc-tuyen/{PROCEDURE}/")
    tab.locator("main form button[type=submit]").click()
    _expect(tab, "**/ho-so-nhap/*/")
    return tab.url.removeprefix(base)


def _html_gzip(browser, base: str, code: str) -> dict[str, tuple[int, int]]:
    """Each page's HTML in bytes, as served and gzipped (level 6)."""
    sizes = {}
    context, tab, _meter = _phone(browser, False)
    try:
        draft = ""
        for page in sorted(PAGES, key=lambda p: p.signed_in):
            if page.signed_in and not draft:
                draft = _sign_in(tab, base)
            body = tab.request.get(base + page.path.format(draft=draft, code=code)).body()
            sizes[page.name] = (len(body), len(gzip.compress(body, 6)))
    finally:
        context.close()
    return sizes


# --- The report -------------------------------------------------------------------------------


def _print_setup(env: dict, prepared: float) -> None:
    vendor = "PostgreSQL" if production.is_postgres(env["DATABASE_URL"]) else "SQLite file (WAL)"
    print(
        f"   server: gunicorn -c deploy/gunicorn.conf.py, DEBUG off, whitenoise (collectstatic), "
        f"{vendor}, demo data, fake identity provider (prepared in {prepared:.0f} s)"
    )
    print(
        f"   browser: headless Chromium at 360 px; median of {RUNS}; slow link "
        f"{DOWN_KBPS / 1000:g} Mbit/s down, {UP_KBPS} kbit/s up, {LATENCY_MS} ms latency (CDP); "
        f"baseline unthrottled"
    )


def _median(values: list, of: Callable = lambda v: v) -> float:
    return statistics.median(of(v) for v in values)


def _report_pages(pages: dict[bool, dict[str, list[Visit]]], gzipped: dict) -> None:
    print(
        f"   (a) first visit, fresh cache: KB on the wire (compressed as served, headers "
        f"included) against {GOAL_KB} KB; HTML as served and gzipped; loadEventEnd in s"
    )
    print(
        f"     {'page':<26} {'KB':>6} {'req':>4} {'HTML KB':>8} {'gzip':>6}"
        f" {'load':>6} {'slow load':>10}   goal (<{GOAL_KB} KB, <{GOAL_SECONDS:g} s slow)"
    )
    for page in PAGES:
        slow, fast = pages[True][page.name], pages[False][page.name]
        kb = _median(slow, lambda v: v.wire) / 1024
        slow_load = _median(slow, lambda v: v.load)
        html, packed = gzipped[page.name]
        misses = [
            m for m, bad in (("KB", kb >= GOAL_KB), ("time", slow_load >= GOAL_SECONDS)) if bad
        ]
        verdict = "met" if not misses else f"NOT MET ({', '.join(misses)})"
        print(
            f"     {page.name:<26} {kb:6.1f} {_median(slow, lambda v: v.requests):4.0f}"
            f" {html / 1024:8.1f} {packed / 1024:6.1f} {_median(fast, lambda v: v.load):6.2f}"
            f" {slow_load:10.2f}   {verdict}"
        )


def _report_filing(filing: dict[bool, list[dict]]) -> None:
    print(
        f"   (b) sign in, fill the birth registration e-form, upload {SCANS} scans of "
        f"{SCAN_KB} KB ({SCANS * SCAN_KB / 1024:.1f} MB) and submit, seconds"
    )
    print(f"     {'part':<22} {'unthrottled':>12} {'slow link':>10}")
    for runs in filing.values():
        for run in runs:
            run["total"] = sum(run[part] for part in PARTS)
    for part in [*PARTS, "total"]:
        fast, slow = (statistics.median(run[part] for run in filing[t]) for t in (False, True))
        print(f"     {part:<22} {fast:12.2f} {slow:10.2f}")
    floor = SCANS * SCAN_KB * 1024 * 8 / (UP_KBPS * 1000)
    print(f"     (the scans alone need {floor:.1f} s at {UP_KBPS} kbit/s up)")
