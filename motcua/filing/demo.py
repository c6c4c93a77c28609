"""The demo procedures' e-forms (eforms/<code>.json): birth registration (1.001193), permanent
residence registration (1.004222, form CT01) and copies of civil status extracts (2.000635).
Certification of copies from originals (2.000815) is published in person only (the original
is seen), so it has no e-form. Seed data, set on the published version as the demo's
localisation is: a rerun changes nothing."""

import json
from pathlib import Path

from motcua.catalogue.eforms import check_definition
from motcua.catalogue.models import Procedure, ProcedureVersion

EFORMS = Path(__file__).resolve().parent / "eforms"


def load(path: Path) -> tuple[dict, str]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    eform = {"schema": raw["schema"], "ui": {**raw["ui"], "stands_for": raw.get("stands_for", [])}}
    check_definition(eform)
    return eform, raw.get("online_note", "")


def seed_eforms() -> int:
    """Set each demo e-form on its procedure's published version; the number set."""
    count = 0
    for path in sorted(EFORMS.glob("*.json")):
        procedure = Procedure.objects.filter(code=path.stem).first()
        if procedure is None or procedure.current_version_id is None:
            continue
        eform, note = load(path)
        count += ProcedureVersion.objects.filter(pk=procedure.current_version_id).update(
            eform=eform, online_note=note
        )
    return count
