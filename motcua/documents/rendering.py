"""Typst templates -> PDF bytes.

Templates receive their data only as one JSON string in `sys.inputs.data` and print strings
from it as text, so names such as `#set [x] $y$` are never read as Typst code. Fonts come
from the repository (Liberation Serif, docs/decisions/0003-document-fonts.md) plus those
built into Typst; system fonts are ignored so that every machine produces the same PDF.

A Typst Compiler caches fonts and parsed templates between compilations (about half the cost
of a small form) but must not be used by two threads at once: one per thread.
"""

import json
import logging
import threading
from functools import cache
from pathlib import Path
from typing import Any

import typst
from django.core.serializers.json import DjangoJSONEncoder

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATE_DIR = PACKAGE_DIR / "typst"
FONT_DIR = PACKAGE_DIR / "fonts"

_local = threading.local()
logger = logging.getLogger(__name__)


@cache
def fonts() -> typst.Fonts:
    """The repository's fonts and Typst's embedded ones (fallback), never the system's."""
    return typst.Fonts(
        include_system_fonts=False, include_embedded_fonts=True, font_paths=[str(FONT_DIR)]
    )


def _compiler() -> typst.Compiler:
    compiler = getattr(_local, "compiler", None)
    if compiler is None:
        compiler = typst.Compiler(root=str(TEMPLATE_DIR), font_paths=fonts())
        _local.compiler = compiler
    return compiler


def template_path(name: str) -> Path:
    path = TEMPLATE_DIR / f"{name}.typ"
    if not path.is_file():
        raise ValueError(f"unknown document template {name!r}")
    return path


def render_pdf(template: str, data: dict[str, Any], *, tagged: bool = True) -> bytes:
    """Compile `typst/<template>.typ` with `data` (JSON-serialisable) into PDF bytes.

    `tagged` writes the structure tags that screen readers use; on a book of thousands of
    table rows they make the file twelve times larger and the compilation slower.
    """
    payload = json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder)
    result, warnings = _compiler().compile_with_warnings(
        input=str(template_path(template)),
        format="pdf",
        sys_inputs={"data": payload},
        pdf_tags=tagged,
    )
    for warning in warnings:
        logger.warning("Typst warning in %s.typ: %s", template, warning.message)
    assert isinstance(result, bytes)
    return result
