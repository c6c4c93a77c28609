"""Schema-driven fuzz run of the JSON API: `python -m bench.fuzz_api [--calls N]`.

On a scratch SQLite database (a temporary folder, removed afterwards) it migrates, seeds the
demo, issues an API token for the receiving clerk `tiepnhan`, serves the application as
deployed (gunicorn with deploy/gunicorn.conf.py, DEBUG off) on a free port of 127.0.0.1 and
runs schemathesis against its own /api/v1/openapi.json with that token: every documented
operation, valid and invalid inputs, checked for no 5xx, statuses, content types, headers and
bodies the document declares, refused invalid input, refused requests without the token,
405 with Allow for other methods. It prints schemathesis' summary, then the calls the server
answered (its access log) by status, and exits non-zero when schemathesis found a failure,
the server answered a 5xx, or fewer calls than asked were made. All traffic stays on
127.0.0.1. Other schemathesis options can follow `--`, e.g. `-- --seed 1`.
"""

import argparse
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# Every check but positive_data_acceptance: schema-valid input the services refuse by rule
# (an empty reason, a code that names nothing, a transition the status does not allow)
# answers 400, 404, 409 or 422 by design.
EXCLUDED_CHECKS = "positive_data_acceptance"
STATUS = re.compile(r'" (\d{3}) ')
PROXIES = {"http_proxy", "https_proxy", "all_proxy", "no_proxy"}
# Requests to 127.0.0.1 never go through a proxy, whatever the environment says.
LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))
CLERK_AGENCY = "H42.01"  # tiepnhan's, the provincial service centre
DOSSIERS = 24
# What the demo holds, for the generated requests to reach real rows half of the time.
FACTS = """
import json
from django.contrib.auth import get_user_model
from motcua.catalogue.models import Component, Field, Procedure
from motcua.organisations.models import Agency
procedures = Procedure.objects.published().order_by("code")
print(json.dumps({
    "procedures": list(procedures.values_list("code", flat=True)[:40]),
    "agencies": list(Agency.objects.order_by("code").values_list("code", flat=True)),
    "fields": list(Field.objects.order_by("code").values_list("code", flat=True)[:20]),
    "users": list(get_user_model().objects.values_list("username", flat=True)),
    "components": list(Component.objects.order_by("id").values_list("id", flat=True)[:60]),
}))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(folder: Path, port: int) -> dict[str, str]:
    """The server's, the commands' and schemathesis' environment: no proxy, a scratch
    database, media and logs in `folder`, DEBUG off."""
    return {
        **{name: value for name, value in os.environ.items() if name.lower() not in PROXIES},
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1",
        "MOTCUA_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "MOTCUA_BIND": f"127.0.0.1:{port}",
        "MOTCUA_ACCESS_LOG": str(folder / "access.log"),
        "DATABASE_URL": f"sqlite:///{folder / 'fuzz.sqlite3'}",
        "MEDIA_ROOT": str(folder / "media"),
        "STATIC_ROOT": str(folder / "static"),
        "LOG_LEVEL": "ERROR",
    }


def manage(env: dict[str, str], *args: str) -> str:
    command = [PYTHON, "manage.py", *args]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"fuzz: manage.py {args[0]} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def prepare(env: dict[str, str]) -> tuple[str, dict]:
    """The scratch database with the demo, a token for the clerk, and what the demo holds."""
    manage(env, "migrate", "--noinput")
    manage(env, "seed_demo")
    token = manage(env, "create_api_token", "tiepnhan", "--name", "fuzz").strip()
    return token, json.loads(manage(env, "shell", "--no-imports", "-c", FACTS))


def call(base: str, token: str, path: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        base + path,
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with LOCAL.open(request, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as refused:
        return refused.code, json.load(refused)


def seed_dossiers(base: str, token: str, procedures: list[str]) -> list[str]:
    """Dossiers received at the counter through the API, every third one handed over, so
    that the processing actions meet dossiers in more than one status."""
    codes = []
    for index, procedure in enumerate(procedures[:DOSSIERS]):
        applicant = {"name": f"Người nộp {index}", "id_number": f"0420901{index:05d}"}
        body = {
            "procedure": procedure,
            "agency": CLERK_AGENCY,
            "applicant": applicant,
            "handed_in": handed_in(base, token, procedure),  # a complete file: received
        }
        status, dossier = call(base, token, "/api/v1/dossiers", body)
        if status != 201:
            continue
        codes.append(dossier["code"])
        if index % 3 == 0:
            call(base, token, f"/api/v1/dossiers/{dossier['code']}/hand-over", {})
    return codes


def handed_in(base: str, token: str, procedure: str) -> list[dict]:
    """One original of every document the counter requires for `procedure`."""
    request = urllib.request.Request(
        f"{base}/api/v1/procedures/{procedure}", headers={"Authorization": f"Bearer {token}"}
    )
    with LOCAL.open(request, timeout=30) as response:
        components = json.load(response)["components"]
    return [
        {"component_id": c["id"], "originals": max(1, c["originals"])}
        for c in components
        if c["kind"] == "document" and c["is_mandatory"] and c["filing"] in ("any", "paper")
    ]


def toml_list(values: list) -> str:
    return "[" + ", ".join(json.dumps(value) for value in values) + "]"


# Where a real value fits: parameter -> dictionary, for every operation that has it ...
GLOBAL = {
    "query.agency": "agencies",
    "query.field": "fields",
    "query.procedure": "procedures",
    "body.procedure": "procedures",
    "body.agency": "agencies",
    "body.competent_agency": "agencies",
    "body.to_agency": "agencies",
    "body.responsible_agency": "agencies",
    "body.assignee": "users",
    "body.delegated_from": "users",
    "body.handed_in[*].component_id": "components",
}
# ... and the path's `code`, a dossier's or a procedure's, by the operations' path.
CODES = {"^/api/v1/(dossiers|tracking)/": "dossiers", "^/api/v1/procedures/": "procedures"}


def binding(name: str, probability: float = 0.5) -> str:
    return f'{{ dictionary = "{name}", probability = {probability} }}'


def write_config(folder: Path, facts: dict) -> Path:
    """A schemathesis configuration: the demo's codes as dictionaries, used for half of the
    values of the parameters they fit when fuzzing (the rest stays generated), for most of
    the path codes, so that the requests reach real dossiers and procedures."""
    lines = []
    for name, values in facts.items():
        lines += [f"[dictionaries.{name}]", f"values = {toml_list(values)}", ""]
    lines.append("[parameters]")
    lines += [f'"{key}" = {binding(name)}' for key, name in GLOBAL.items() if facts.get(name)]
    for pattern, name in CODES.items():
        entry = f'parameters = {{ "path.code" = {binding(name, 0.8)} }}'
        lines += ["", "[[operations]]", f"include-path-regex = {json.dumps(pattern)}", entry]
    path = folder / "schemathesis.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def start_server(env: dict[str, str], folder: Path) -> subprocess.Popen:
    command = [PYTHON, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "motcua.wsgi"]
    log = (folder / "server.log").open("w")
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_until_up(url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"fuzz: the server stopped (exit {server.returncode})")
        try:
            with LOCAL.open(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"fuzz: no answer from {url} within {seconds:.0f} s")


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def schemathesis(
    env: dict[str, str], config: Path, schema_url: str, token: str, examples: int, extra: list
) -> int:
    command = [
        str(Path(PYTHON).parent / "schemathesis"),
        "--config-file",
        str(config),
        "run",
        schema_url,
        "--header",
        f"Authorization: Bearer {token}",
        "--checks",
        "all",
        "--exclude-checks",
        EXCLUDED_CHECKS,
        "--max-examples",
        str(examples),
        # One worker: hypothesis describes strategies with ast.parse, which fails now and
        # then when two threads parse at once on Python 3.11 (SystemError, "AST constructor
        # recursion depth mismatch").
        "--workers",
        "1",
        "--seed",
        "20261122",
        "--generation-database",
        "none",
        "--no-color",
        *extra,
    ]
    # From the scratch folder: schemathesis keeps a cache (.schemathesis/) where it runs.
    return subprocess.run(command, cwd=config.parent, env=env).returncode


def access_lines(access_log: Path) -> list[str]:
    return access_log.read_text(errors="replace").splitlines()


def statuses(lines: list[str]) -> Counter:
    counts: Counter = Counter()
    for line in lines:
        match = STATUS.search(line)
        if match and "/api/v1/" in line and "/openapi.json" not in line:
            counts[match.group(1)] += 1
    return counts


def report(counts: Counter, seconds: float, wanted: int, exit_code: int) -> bool:
    calls = sum(counts.values())
    errors = sum(n for status, n in counts.items() if status.startswith("5"))
    by_status = ", ".join(f"{status}: {n}" for status, n in sorted(counts.items()))
    print(f"\nfuzz: {calls} API calls in {seconds:.0f} s ({by_status})")
    print(f"fuzz: schemathesis exit {exit_code}, server errors (5xx): {errors}")
    if calls < wanted:
        print(f"fuzz: fewer calls than the {wanted} asked; raise --examples")
    return exit_code == 0 and errors == 0 and calls >= wanted


def fuzz(folder: Path, options: argparse.Namespace) -> tuple[Counter, float, int]:
    """(answers by status, seconds, schemathesis' exit code) of one run in `folder`."""
    port = free_port()
    env = environment(folder, port)
    token, facts = prepare(env)
    base = f"http://127.0.0.1:{port}"
    schema_url = f"{base}/api/v1/openapi.json"
    server = start_server(env, folder)
    try:
        wait_until_up(schema_url, server)
        facts["dossiers"] = seed_dossiers(base, token, facts["procedures"])
        config = write_config(folder, {k: v for k, v in facts.items() if v})
        seeded, started = len(access_lines(folder / "access.log")), time.monotonic()
        exit_code = schemathesis(env, config, schema_url, token, options.examples, options.extra)
        seconds = time.monotonic() - started
    finally:
        stop_server(server)
    return statuses(access_lines(folder / "access.log")[seeded:]), seconds, exit_code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=5000, help="fewest API calls to make")
    parser.add_argument("--examples", type=int, default=100, help="--max-examples per phase")
    parser.add_argument("extra", nargs="*", help="more schemathesis options (after --)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="motcua-fuzz-") as name:
        counts, seconds, exit_code = fuzz(Path(name), options)
        passed = report(counts, seconds, options.calls, exit_code)
        if not passed:
            print((Path(name) / "server.log").read_text(errors="replace")[-4000:])
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
