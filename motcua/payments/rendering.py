"""Typst -> PDF for the payments' documents, with the documents app's fonts and form
layout (documents/typst/common.typ): the compiler's root is the motcua package so that a
template here imports "/documents/typst/common.typ". One compiler per thread, as in
documents.rendering."""

import json
import logging
import threading
from pathlib import Path
from typing import Any

import typst
from django.core.serializers.json import DjangoJSONEncoder

from motcua.documents.rendering import fonts

ROOT = Path(__file__).resolve().parents[1]  # the motcua package
_local = threading.local()
logger = logging.getLogger(__name__)


def _compiler() -> typst.Compiler:
    compiler = getattr(_local, "compiler", None)
    if compiler is None:
        compiler = typst.Compiler(root=str(ROOT), font_paths=fonts())
        _local.compiler = compiler
    return compiler


def render_pdf(template: str, data: dict[str, Any]) -> bytes:
    """Compile `<motcua>/<template>` with `data` (JSON in sys.inputs.data) into PDF bytes."""
    path = ROOT / template
    if not path.is_file() or ROOT not in path.resolve().parents:
        raise ValueError(f"unknown document template {template!r}")
    payload = json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder)
    result, warnings = _compiler().compile_with_warnings(
        input=str(path), format="pdf", sys_inputs={"data": payload}, pdf_tags=True
    )
    for warning in warnings:
        logger.warning("Typst warning in %s: %s", template, warning.message)
    assert isinstance(result, bytes)
    return result
