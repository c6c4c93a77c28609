"""The import summary and the report of skipped and repaired records."""

import csv
import json
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from .importer import ImportResult
from .notes import describe

REPORT_COLUMNS = ["location", "code", "action", "rule", "reason"]


def summary_lines(result: ImportResult) -> list[str]:
    counts = {
        "created": result.count("created"),
        "new_versions": result.count("new_version"),
        "unchanged": result.count("unchanged"),
        "repaired": result.repaired,
        "skipped": result.count("skipped"),
    }
    line = (
        _(
            "created: %(created)d, new versions: %(new_versions)d, unchanged: %(unchanged)d, "
            "repaired: %(repaired)d, skipped: %(skipped)d"
        )
        % counts
    )
    lines = [line, *result.extra]
    if result.dry_run:
        lines.append(_("Dry run: nothing was saved."))
    return lines


def rule_lines(result: ImportResult) -> list[str]:
    """How often each repair or derivation rule was applied to the records written."""
    return [f"  {rule}: {count}" for rule, count in result.rules.most_common()]


def report_rows(result: ImportResult) -> list[dict[str, Any]]:
    """One row per skipped record and per repair note of a record written."""
    rows = []
    for outcome in result.outcomes:
        where = str(outcome.location)
        if outcome.action == "skipped":
            rows.append(_row(where, outcome.code, "skipped", "", outcome.reason))
        for note in outcome.notes:
            rows.append(_row(where, outcome.code, "repaired", note.rule, describe(note)))
    return rows


def _row(where: str, code: str, action: str, rule: str, reason: str) -> dict[str, Any]:
    return dict(zip(REPORT_COLUMNS, [where, code, action, rule, reason], strict=True))


def write_report(path: Path, rows: list[dict[str, Any]]) -> None:
    """CSV, or JSON Lines when the name ends in .jsonl."""
    with path.open("w", encoding="utf-8", newline="") as out:
        if path.suffix.lower() in {".jsonl", ".ndjson"}:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
            return
        writer = csv.DictWriter(out, fieldnames=REPORT_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
