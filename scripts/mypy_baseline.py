#!/usr/bin/env python3
"""mypy against a baseline that only shrinks (part of `make lint`).

Runs mypy with the project's settings (pyproject.toml [tool.mypy]) and compares its errors
with mypy-baseline.txt: one line per error, "file: [code] message", without line numbers so
that edits above an error do not move it. Fails on any error that is not in the baseline,
and also when the baseline lists errors that no longer occur, so that a fix is recorded
by shrinking it. `--update` rewrites the baseline from the current errors.

    .venv/bin/python scripts/mypy_baseline.py            # check
    .venv/bin/python scripts/mypy_baseline.py --update   # rewrite mypy-baseline.txt
"""

import argparse
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "mypy-baseline.txt"
HEADER = (
    "# mypy errors accepted for now (scripts/mypy_baseline.py): one line per error, without\n"
    "# line numbers. It only shrinks: fix an error, then run the script with --update.\n"
)
LINE_NUMBER = re.compile(r"\bline \d+\b")


def run_mypy() -> list[dict]:
    """mypy's errors (JSON output, one object a line); exits on a crash or a usage error."""
    command = [sys.executable, "-m", "mypy", "--output", "json"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        sys.stderr.write(done.stdout + done.stderr)
        sys.exit(f"mypy failed to run (exit {done.returncode})")
    errors = []
    for line in done.stdout.splitlines():
        if line.startswith("{"):
            error = json.loads(line)
            if error["severity"] == "error":
                errors.append(error)
    return errors


def key(error: dict) -> str:
    message = LINE_NUMBER.sub("line N", error["message"])
    return f"{error['file']}: [{error['code']}] {message}"


def read_baseline() -> Counter[str]:
    if not BASELINE.exists():
        return Counter()
    lines = BASELINE.read_text(encoding="utf-8").splitlines()
    return Counter(line for line in lines if line and not line.startswith("#"))


def write_baseline(current: Counter[str]) -> None:
    lines = sorted(current.elements())
    BASELINE.write_text(HEADER + "".join(f"{line}\n" for line in lines), encoding="utf-8")


def report(errors: list[dict], baseline: Counter[str]) -> int:
    current = Counter(key(error) for error in errors)
    new, gone = current - baseline, baseline - current
    for error in sorted(errors, key=lambda e: (e["file"], e["line"])):
        if new[key(error)] > 0:
            new[key(error)] -= 1
            where = f"{error['file']}:{error['line']}:{error['column'] + 1}"
            print(f"{where}: error: {error['message']}  [{error['code']}]")
    added, fixed = sum((current - baseline).values()), sum(gone.values())
    if fixed:
        print(
            f"mypy: {fixed} error(s) of the baseline no longer occur; shrink it with "
            f"`python {Path(__file__).relative_to(ROOT)} --update` and commit "
            f"{BASELINE.name}:"
        )
        for line in sorted(gone.elements()):
            print(f"  - {line}")
    if added:
        print(f"mypy: {added} new error(s) beyond {BASELINE.name} (above); fix them.")
    if not added and not fixed:
        print(f"mypy: no errors beyond the baseline ({sum(baseline.values())} accepted).")
    return 1 if added or fixed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--update", action="store_true", help="rewrite the baseline")
    options = parser.parse_args()
    errors = run_mypy()
    if options.update:
        before, after = read_baseline(), Counter(key(error) for error in errors)
        write_baseline(after)
        print(
            f"{BASELINE.name}: {sum(after.values())} errors "
            f"({sum((after - before).values())} added, {sum((before - after).values())} gone)."
        )
        return 0
    return report(errors, read_baseline())


if __name__ == "__main__":
    sys.exit(main())
