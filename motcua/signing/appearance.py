"""Visible signatures as Decree 30/2020 Annex I draws them, rendered by Typst (pyHanko's own
text stamp draws Vietnamese wrongly: capabilities.md §4.3) into a one-page PDF that pyHanko
places in the signature field.

* PERSON (§II.7.d, §II.8.a): title, the signer's signature image in blue, the organisation's
  seal in red over about a third of it on the left, the name; at the foot of the last page
  (a result's signature block), right-hand side.
* COPY (Part II.I, "SAO Y") and ATTACHMENT (§II.8.b, §III.1.d): no image, top right of page
  1, lines in Liberation Serif 10 pt (metric compatible with Times New Roman, decision 0003):
  the copy's form or the document's number, the organisation, the signing time in ISO 8601
  with Vietnam's offset.
* ORGANISATION (a form of Circular 01/2018 sealed by the agency; no rule draws it): the same
  text on one line, 8 pt, in the form's top margin, so that it covers neither the national
  motto nor the form's own text.
"""

import json
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from zoneinfo import ZoneInfo

import typst

from motcua.documents.rendering import fonts

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
TEMPLATE = Path(__file__).resolve().parent / "typst" / "stamp.typ"
MM = 72 / 25.4  # PDF points per millimetre


class Kind(StrEnum):
    PERSON = "person"
    COPY = "copy"
    ATTACHMENT = "attachment"
    ORGANISATION = "organisation"


class CopyForm(StrEnum):
    """Decree 30/2020 art. 25: the three forms of copy."""

    SAO_Y = "SAO Y"
    SAO_LUC = "SAO LỤC"
    TRICH_SAO = "TRÍCH SAO"


@dataclass(frozen=True)
class Appearance:
    kind: Kind
    organisation: str = ""
    title: str = ""  # PERSON: "CHỦ TỊCH", "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
    name: str = ""
    signature_png: bytes | None = None
    seal_png: bytes | None = None
    copy_form: CopyForm = CopyForm.SAO_Y
    number: str = ""  # ATTACHMENT: the number and symbol of the document it belongs to
    extra_lines: tuple[str, ...] = field(default=())

    @property
    def size_mm(self) -> tuple[float, float]:
        if self.kind == Kind.PERSON:
            return (80.0, 50.0)
        if self.kind == Kind.ORGANISATION:
            return (100.0, 5.0)  # one line in the form's top margin
        return (78.0, 3.5 + 4.4 * len(self.text_lines(datetime(2000, 1, 1, tzinfo=VIETNAM))))

    def text_lines(self, at: datetime) -> list[str]:
        when = iso_time(at)
        if self.kind == Kind.COPY:
            lines = [self.copy_form.value, self.organisation, when]
        elif self.kind == Kind.ATTACHMENT:
            lines = [self.number, self.organisation, when]
        else:
            return [f"{self.organisation} · {when}"]
        return [line for line in [*lines, *self.extra_lines] if line]


def iso_time(at: datetime) -> str:
    """ISO 8601 in Vietnam's time with its offset (Decree 30/2020 Annex I), e.g.
    2026-12-05T10:41:00+07:00."""
    return at.astimezone(VIETNAM).replace(microsecond=0).isoformat()


def render(appearance: Appearance, at: datetime) -> bytes:
    """The appearance as a one-page PDF the size of the signature box."""
    width, height = appearance.size_mm
    data: dict = {"kind": appearance.kind.value, "width": width, "height": height}
    with tempfile.TemporaryDirectory(prefix="motcua-stamp-") as folder:
        root = Path(folder)
        if appearance.kind == Kind.PERSON:
            data.update(
                title=appearance.title,
                name=appearance.name,
                signature=appearance.signature_png is not None,
                seal=appearance.seal_png is not None,
                signature_height=16,
                seal_size=34,
                # The seal's right third over the signature's left third (§II.8.a).
                signature_dx=8 if appearance.seal_png else 0,
                seal_dx=-14,
            )
            if appearance.signature_png:
                (root / "signature.png").write_bytes(appearance.signature_png)
            if appearance.seal_png:
                (root / "seal.png").write_bytes(appearance.seal_png)
        else:
            data["lines"] = appearance.text_lines(at)
            data["small"] = appearance.kind == Kind.ORGANISATION
        (root / "stamp.typ").write_bytes(TEMPLATE.read_bytes())
        result = typst.compile(
            str(root / "stamp.typ"),
            root=str(root),
            font_paths=fonts(),
            format="pdf",
            sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
            pdf_tags=False,
        )
    assert isinstance(result, bytes)
    return result


def box_on(
    page_width: float, page_height: float, appearance: Appearance
) -> tuple[int, int, int, int]:
    """Where the box goes on the page (PDF points, origin bottom left): the person's block at
    the foot of the page on the right; the text stamps at the top right."""
    width, height = (round(v * MM) for v in appearance.size_mm)
    right = round(page_width - 10 * MM)
    if appearance.kind == Kind.PERSON:
        bottom = round(14 * MM)
        return (right - width, bottom, right, bottom + height)
    top = round(page_height - (1.5 if appearance.kind == Kind.ORGANISATION else 4) * MM)
    return (right - width, top - height, right, top)
