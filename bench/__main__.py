"""Run every benchmark module (bench/bench_*.py): `make bench` or `python -m bench [name]`.

Each module has `run() -> None` that prints its figures next to a baseline measured in the
same run. Benchmarks assert nothing about wall time.
"""

import importlib
import os
import pkgutil
import secrets
import sys
import time

import django


def production_like() -> None:
    """Benchmarks measure what a deployment runs: DEBUG off (with it on, Django keeps a log
    of every statement, which costs time on the busy paths)."""
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(48))
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")


def main(selected: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    production_like()
    django.setup()
    import bench

    names = sorted(
        m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_")
    )
    for name in names:
        if selected and name.removeprefix("bench_") not in selected and name not in selected:
            continue
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        importlib.import_module(f"bench.{name}").run()
        print(f"   ({time.perf_counter() - started:.1f} s)\n", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
