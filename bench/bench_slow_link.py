"""The back-office pages in Chromium on a commune's slow link (issue 13, "Performance where
clerks feel it").

Goal: every back-office page usable in under 2 s on a link of about 1.6 Mbit/s each way with
150 ms latency, and under 150 KB on a first visit (compressed; the assets then cached with
long lifetimes). "Usable" is judged on the load event (loadEventEnd: the HTML, its
stylesheets and scripts all in, the deferred scripts run); DOMContentLoaded is printed too.

The site is served as deployed (bench/production.py): gunicorn with deploy/gunicorn.conf.py,
DEBUG off, whitenoise serving the collected static files (`collectstatic` into a scratch
STATIC_ROOT), on a scratch SQLite database (or PostgreSQL, DATABASE_URL) loaded with the demo
(`seed_demo`) and DOSSIERS dossiers received through the API at the provincial service
centre. Headless Chromium (/usr/bin/chromium, through Playwright) signs in as the demo's
receiving clerk `tiepnhan` through the sign-in form, then visits each page:

- first visit: a fresh browser context (no cache), signed in, the cache cleared (CDP
  Network.clearBrowserCache), then the page;
- repeat visit: about:blank, then the same page again in the same context (cached assets).

Throttling is Chromium's own (CDP Network.emulateNetworkConditions: LATENCY_MS added to
each response, THROUGHPUT bytes/s each way). Bytes are what crossed the wire for the
navigation and its subresources, compressed, headers included (the sum of CDP
Network.loadingFinished encodedDataLength, until the network is idle); times are the
Navigation Timing API's (domContentLoadedEventEnd, loadEventEnd, from the navigation's
start). Baseline, same run, same server and browser: the same pages unthrottled, which shows
what the link costs. Each figure is the median of RUNS visits (BENCH_SLOW_LINK_RUNS, 3).

The server speaks plain HTTP on 127.0.0.1, which Chromium counts as a secure origin: it asks
for brotli there as from an https site; from a plain-HTTP LAN address it asks for gzip only,
a little larger. Devtools throttling delays each response, not the TCP and TLS handshakes:
a real link adds a round trip or three per new connection. Run alone:
`python -m bench slow_link`.
"""

import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench import production

CHROMIUM = "/usr/bin/chromium"
RUNS = int(os.environ.get("BENCH_SLOW_LINK_RUNS", "3"))
DOSSIERS = 60  # more than a queue's page (process_views.QUEUE_PAGE_SIZE, 50)
CLERK = "tiepnhan"  # the demo's receiving clerk at the provincial service centre
PASSWORD = "motcua2026"  # the demo accounts' (motcua/demo/organisations.py)
LATENCY_MS = 150
THROUGHPUT = 1.6e6 / 8  # 1.6 Mbit/s, in bytes per second
GOAL_SECONDS = 2.0
GOAL_KB = 150
UNLIMITED = str(10**9)
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOADED = "() => (performance.getEntriesByType('navigation')[0] || {}).loadEventEnd > 0"
TIMING = "() => performance.getEntriesByType('navigation')[0].toJSON()"


@dataclass
class Page:
    name: str
    path: str
    signed_in: bool = True
    goal: bool = True  # a back-office page, held to the goal


@dataclass
class Resource:
    url: str
    wire: int = 0  # bytes on the wire (encodedDataLength)
    encoding: str = ""
    cache_control: str = ""
    cached: bool = False  # served from the browser's cache
    status: int = 0


@dataclass
class Visit:
    wire: int
    requests: int
    cached: int
    dcl: float  # seconds from the navigation's start
    load: float
    kind: str  # the navigation's type (navigate, reload...)
    resources: list[Resource] = field(default_factory=list)


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
    with tempfile.TemporaryDirectory(prefix="motcua-bench-slow-link-") as tmp:
        folder = Path(tmp)
        server_url = os.environ.get("DATABASE_URL")
        with production.scratch_database(folder, server_url, "motcua_slow_link") as url:
            port = production.free_port()
            env = production.environment(url, port, _settings(folder, port))
            started = time.perf_counter()
            production.manage(env, "migrate", "--noinput", "-v", "0")
            production.manage(env, "collectstatic", "--noinput", "-v", "0")
            production.manage(env, "seed_demo")
            accounts = production.site(env, "clerks", "1")
            with production.running(env, folder / "server.log") as server:
                base = f"http://{production.HOST}:{server.port}"
                codes = _receive_dossiers(server.port, accounts)
                pages = _pages(codes[0], accounts["procedure"])
                _print_setup(env, len(codes), time.perf_counter() - started)
                with sync_playwright() as playwright:
                    browser = playwright.chromium.launch(
                        executable_path=CHROMIUM, headless=True, args=ARGS
                    )
                    try:
                        measured = {
                            throttled: _measure_all(browser, base, pages, throttled)
                            for throttled in (False, True)
                        }
                    finally:
                        browser.close()
    _report(pages, measured)


def _settings(folder: Path, port: int) -> dict[str, str]:
    return {
        "STATIC_ROOT": str(folder / "static"),
        "MEDIA_ROOT": str(folder / "media"),
        "MOTCUA_PUBLIC_URL": f"http://{production.HOST}:{port}",
        # Every visit of the tracking page is a lookup: none may be refused.
        "MOTCUA_TRACKING_IP_LIMIT": UNLIMITED,
        "MOTCUA_TRACKING_SECRET_LIMIT": UNLIMITED,
        "MOTCUA_TRACKING_SECRET_ADDRESS_LIMIT": UNLIMITED,
        "MOTCUA_ACCESS_LOG": "-",
    }


def _receive_dossiers(port: int, accounts: dict) -> list[str]:
    """DOSSIERS dossiers received at tiepnhan's counter through the API (as bench_load's
    clients do), so that the dossier page has one and the lists have rows."""
    from bench.bench_load import Clerk, Results, procedures

    checklists = procedures(port, accounts)
    clerk = Clerk(0, port, accounts, checklists, Results())
    rng = random.Random(20261213)
    codes = []
    for _ in range(DOSSIERS):
        told = clerk.receive("09" + "".join(rng.choices("0123456789", k=8)))
        if told is not None:
            codes.append(told["code"])
    clerk.connection.close()
    if not codes:
        raise RuntimeError("no dossier could be received through the API")
    accounts["procedure"] = checklists[0]["code"]
    return codes


def _pages(code: str, procedure: str) -> list[Page]:
    return [
        Page("login", "/backoffice/dang-nhap/", signed_in=False),
        Page("my work", "/backoffice/viec-cua-toi/"),
        Page("my work: a queue (50 rows)", "/backoffice/viec-cua-toi/chuyen-xu-ly/"),
        Page("dossiers (recent)", "/backoffice/"),
        Page("tracking book", "/backoffice/so-theo-doi/"),
        Page("intake: find procedure", "/backoffice/tiep-nhan/"),
        Page("intake: form", f"/backoffice/tiep-nhan/{procedure}/"),
        Page("dossier", f"/backoffice/ho-so/{code}/"),
        Page("public tracking (QR)", f"/tra-cuu/?ma={code}", signed_in=False, goal=False),
    ]


# --- Measuring --------------------------------------------------------------------------------


class Meter:
    """What crossed the network for one page's target, from CDP's Network events."""

    def __init__(self, cdp) -> None:
        self.cdp = cdp
        self.resources: dict[str, Resource] = {}
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.requestServedFromCache", self._from_cache)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.send("Network.enable")

    def reset(self) -> None:
        self.resources = {}

    def _sent(self, event: dict) -> None:
        # A redirect keeps the request id: the bytes add up on the same entry.
        resource = self.resources.setdefault(event["requestId"], Resource(event["request"]["url"]))
        resource.url = event["request"]["url"]

    def _response(self, event: dict) -> None:
        resource = self.resources.get(event["requestId"])
        if resource is None:
            return
        response = event["response"]
        headers = {k.lower(): v for k, v in response.get("headers", {}).items()}
        resource.status = response.get("status", 0)
        resource.encoding = headers.get("content-encoding", "")
        resource.cache_control = headers.get("cache-control", "")
        if response.get("fromDiskCache") or response.get("fromPrefetchCache"):
            resource.cached = True

    def _from_cache(self, event: dict) -> None:
        resource = self.resources.get(event["requestId"])
        if resource is not None:
            resource.cached = True

    def _finished(self, event: dict) -> None:
        resource = self.resources.get(event["requestId"])
        if resource is not None:
            resource.wire += int(event.get("encodedDataLength", 0))

    def throttle(self, on: bool) -> None:
        self.cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": LATENCY_MS if on else 0,
                "downloadThroughput": THROUGHPUT if on else -1,
                "uploadThroughput": THROUGHPUT if on else -1,
            },
        )


def _measure_all(browser, base: str, pages: list[Page], throttled: bool) -> dict:
    """{page name: {"first": [Visit...], "repeat": [Visit...]}}, RUNS of each."""
    found: dict[str, dict[str, list[Visit]]] = {}
    for _ in range(RUNS):
        for page in pages:
            first, repeat = _visit_twice(browser, base, page, throttled)
            visits = found.setdefault(page.name, {"first": [], "repeat": []})
            visits["first"].append(first)
            visits["repeat"].append(repeat)
    return found


def _visit_twice(browser, base: str, page: Page, throttled: bool) -> tuple[Visit, Visit]:
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    try:
        tab = context.new_page()
        meter = Meter(context.new_cdp_session(tab))
        if page.signed_in:
            _sign_in(tab, base)
        meter.cdp.send("Network.clearBrowserCache")
        meter.throttle(throttled)
        first = _visit(tab, meter, base + page.path)
        repeat = _visit(tab, meter, base + page.path)
        return first, repeat
    finally:
        context.close()


def _sign_in(tab, base: str) -> None:
    tab.goto(f"{base}/backoffice/dang-nhap/?next=/backoffice/")
    tab.fill("input[name=username]", CLERK)
    tab.fill("input[name=password]", PASSWORD)
    with tab.expect_navigation():
        tab.click("form:not(.lang) button[type=submit]")
    if "/dang-nhap/" in tab.url:
        raise RuntimeError(f"{CLERK} could not sign in: still on {tab.url}")


def _visit(tab, meter: Meter, url: str) -> Visit:
    """One navigation from about:blank (never to the page already shown, which Chromium would
    treat as a reload), until its load event and the network idle."""
    tab.goto("about:blank")
    meter.reset()
    response = tab.goto(url, wait_until="load")
    if response is None or response.status != 200:
        raise RuntimeError(f"GET {url}: {response.status if response else 'no response'}")
    tab.wait_for_function(LOADED)
    tab.wait_for_load_state("networkidle")
    timing: dict[str, Any] = tab.evaluate(TIMING)
    resources = list(meter.resources.values())
    return Visit(
        wire=sum(r.wire for r in resources),
        requests=len(resources),
        cached=sum(r.cached for r in resources),
        dcl=timing["domContentLoadedEventEnd"] / 1000,
        load=timing["loadEventEnd"] / 1000,
        kind=timing["type"],
        resources=resources,
    )


# --- The report -------------------------------------------------------------------------------


def _print_setup(env: dict, dossiers: int, prepared: float) -> None:
    vendor = "PostgreSQL" if production.is_postgres(env["DATABASE_URL"]) else "SQLite file (WAL)"
    print(
        f"   server: gunicorn -c deploy/gunicorn.conf.py, DEBUG off, whitenoise (collectstatic), "
        f"{vendor}, demo data and {dossiers} dossiers (prepared in {prepared:.0f} s)"
    )
    print(
        f"   browser: headless Chromium, signed in as {CLERK} through the form; "
        f"median of {RUNS} visits a figure; link {THROUGHPUT * 8 / 1e6:g} Mbit/s each way, "
        f"{LATENCY_MS} ms latency (CDP), baseline unthrottled"
    )


def _median(visits: list[Visit], of: Callable[[Visit], float]) -> float:
    return statistics.median(of(v) for v in visits)


def _report(pages: list[Page], measured: dict[bool, dict]) -> None:
    print(
        "   KB: compressed bytes on the wire, headers included; DCL / load: "
        "domContentLoadedEventEnd / loadEventEnd in s"
    )
    for throttled, title in ((False, "unthrottled (baseline)"), (True, "slow link")):
        _print_table(title, pages, measured[throttled], throttled)
    _print_resources(pages, measured[True])


def _print_table(title: str, pages: list[Page], found: dict, throttled: bool) -> None:
    goal = f"goal (<{GOAL_SECONDS:g} s, <{GOAL_KB} KB first)" if throttled else ""
    print(f"   {title}")
    print(
        f"     {'page':<28} {'first: KB':>9} {'req':>4} {'DCL':>6} {'load':>6}"
        f"  {'repeat: KB':>10} {'cached':>7} {'DCL':>6} {'load':>6}   {goal}"
    )
    for page in pages:
        first, repeat = found[page.name]["first"], found[page.name]["repeat"]
        row = {
            "kb": _median(first, lambda v: v.wire) / 1024,
            "req": _median(first, lambda v: v.requests),
            "dcl": _median(first, lambda v: v.dcl),
            "load": _median(first, lambda v: v.load),
            "rkb": _median(repeat, lambda v: v.wire) / 1024,
            "rreq": _median(repeat, lambda v: v.requests),
            "rcached": _median(repeat, lambda v: v.cached),
            "rdcl": _median(repeat, lambda v: v.dcl),
            "rload": _median(repeat, lambda v: v.load),
        }
        verdict = ""
        if throttled:
            misses = []
            if row["kb"] >= GOAL_KB:
                misses.append("KB")
            if max(row["load"], row["rload"]) >= GOAL_SECONDS:
                misses.append("time")
            verdict = "met" if not misses else f"NOT MET ({', '.join(misses)})"
            if not page.goal:
                verdict = f"({verdict}; public page)"
        print(
            f"     {page.name:<28} {row['kb']:9.1f} {row['req']:4.0f} {row['dcl']:6.2f}"
            f" {row['load']:6.2f}  {row['rkb']:10.1f} {row['rcached']:3.0f}/{row['rreq']:<3.0f}"
            f" {row['rdcl']:6.2f} {row['rload']:6.2f}   {verdict}"
        )


def _print_resources(pages: list[Page], found: dict) -> None:
    """What each first visit fetched on the slow link (the last run): the page's HTML per
    page, the assets once, with their encoding and cache lifetime, and whether the repeat
    visit took them from the cache."""
    print("   what crossed the slow link on a first visit (KB on the wire, encoding, cache):")
    assets: dict[str, tuple[Resource, bool]] = {}
    for page in pages:
        first = found[page.name]["first"][-1]
        repeat = found[page.name]["repeat"][-1]
        again = {urlsplit(r.url).path: r for r in repeat.resources}
        for resource in first.resources:
            path = urlsplit(resource.url).path
            if not path.startswith("/static/"):
                print(f"     {page.name + ': ' + path[:60]:<76} {_describe(resource)}")
                continue
            cached = path in again and again[path].cached
            was = assets.get(path)
            assets[path] = (resource, cached if was is None else was[1] and cached)
    for path, (resource, cached) in sorted(assets.items()):
        repeat_note = "cache on repeat" if cached else "FETCHED AGAIN on repeat"
        print(f"     {path[:76]:<76} {_describe(resource)}; {repeat_note}")


def _describe(resource: Resource) -> str:
    encoding = resource.encoding or "uncompressed"
    control = resource.cache_control or "no Cache-Control"
    return f"{resource.wire / 1024:6.1f} KB  {encoding:<12} {control}"
