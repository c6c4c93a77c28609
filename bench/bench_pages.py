"""The busy back-office pages at provincial scale: the dossier page, the "my work" queues and
the counter intake pages, with BENCH_PAGES_SIZE (1,000,000) dossiers in the database.

Goal (issue 12 §3): each answers in at most 50 ms at the median, with a fixed number of
queries (pinned by motcua/backoffice/tests/test_query_counts.py; the count of each page is
printed here too). Each page is a whole GET through Django's test client in a process of its
own (bench/pages_site.py): middleware, session, signed-in user, permission reads, the page's
queries and its template, DEBUG off. Baseline, same run and server: GET /healthz (two small
reads through the same middleware).

The database is SQLite (WAL), as a commune's or a small province's: the demo province with
69 communes and the synthetic dossiers with their steps (motcua.synthetic, fixed seed),
received from 2022 to yesterday, so that the open ones fall due around now; the demo
specialist is given 200 steps in progress. Writing a million dossiers takes ten minutes or
more, so the file is built once and kept in var/bench/, named after everything it is built
from (the generator's and the demo's source, size and seed): a change to any of them builds a
new one and the old file is removed; migrations added since are applied to it first. The
pages only read (and the session of each signed-in client). BENCH_PAGES_RUNS (50) GETs per
page.
"""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from . import production
from .pages_site import BUILD_VERSION

SIZE = int(os.environ.get("BENCH_PAGES_SIZE", "1000000").replace("_", ""))
RUNS = int(os.environ.get("BENCH_PAGES_RUNS", "50"))
SEED = 20261205
GOAL_MS = 50
CACHE = production.ROOT / "var" / "bench"
# What the database is built from: a change to any of these builds it again (and
# pages_site.BUILD_VERSION, for a change of the build itself). Migrations added since are
# applied to the kept file before measuring.
SOURCES = ["motcua/synthetic", "motcua/demo"]


def run() -> None:
    path = _database()
    print(f"   SQLite file (WAL), {path.name}; {RUNS} GETs per page through the test client")
    found = json.loads(_site(path, "measure", str(RUNS)))
    print(f"   {found['dossiers']:,} dossiers in the database")
    print(f"     {'page':<28} {'queries':>7} {'median ms':>10} {'p95 ms':>8}   goal")
    for name, page in found["pages"].items():
        median = page["median"] * 1000
        verdict = "" if name.startswith("bare") else ("met" if median <= GOAL_MS else "NOT MET")
        print(
            f"     {name:<28} {page['queries']:>7} {median:>10.1f} {page['p95'] * 1000:>8.1f}"
            f"   {verdict}"
        )


def _database() -> Path:
    """The cached database for SIZE dossiers, built first when missing."""
    path = CACHE / f"pages-{SIZE}-{_key()}.sqlite3"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    for old in CACHE.glob(f"pages-{SIZE}-*.sqlite3*"):
        old.unlink()
    building = path.with_suffix(".building")
    for leftover in CACHE.glob(building.name + "*"):
        leftover.unlink()
    print(f"   building {path.name} ({SIZE:,} dossiers, once; kept in var/bench/)", flush=True)
    _site(building, "build", str(SIZE), str(SEED), timeout=4 * 3600)
    for suffix in ("-wal", "-shm"):  # checkpointed and removed when the builder closed
        Path(str(building) + suffix).unlink(missing_ok=True)
    building.rename(path)
    return path


def _key() -> str:
    digest = hashlib.sha256(f"{SIZE} {SEED} {BUILD_VERSION}".encode())
    files = [p for source in SOURCES for p in _files(production.ROOT / source)]
    for file in files:
        digest.update(str(file.relative_to(production.ROOT)).encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def _files(source: Path) -> list[Path]:
    if source.is_file():
        return [source]
    skipped = {"__pycache__", "tests"}
    return sorted(p for p in source.rglob("*") if p.is_file() and not skipped & set(p.parts))


def _site(database: Path, *args: str, timeout: float = 1800) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "ALLOWED_HOSTS": "testserver,127.0.0.1",
        "DEBUG": "false",
        # Static URLs without collectstatic's manifest (a fresh clone has none; same cost).
        "MOTCUA_PLAIN_STATIC": "1",
        "PYTHONPATH": str(production.ROOT),
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
    }
    done = subprocess.run(
        [sys.executable, "-m", "bench.pages_site", *args],
        env=env,
        cwd=production.ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench.pages_site {args[0]} failed:\n{done.stderr[-3000:]}")
    return done.stdout
