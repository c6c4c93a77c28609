"""Reading the PDFs back in tests: page sizes and text (pypdf, a dev-only dependency)."""

import io

from pypdf import PdfReader

MM = 72 / 25.4
A5 = (round(148 * MM), round(210 * MM))
A4_LANDSCAPE = (round(297 * MM), round(210 * MM))


def reader(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-"), pdf[:20]
    return PdfReader(io.BytesIO(pdf))


def page_sizes(pdf: bytes) -> set[tuple[int, int]]:
    """(width, height) of every page, in whole points, from the MediaBox."""
    return {(round(p.mediabox.width), round(p.mediabox.height)) for p in reader(pdf).pages}


def text(pdf: bytes) -> str:
    """All the text, with runs of white space squeezed to one space."""
    raw = "\n".join(page.extract_text() or "" for page in reader(pdf).pages)
    return " ".join(raw.split())


def font_names(pdf: bytes) -> set[str]:
    """Base names of the embedded fonts, without the subset prefix (ABCDEF+)."""
    names = set()
    for page in reader(pdf).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for font in fonts.values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1])
    return names
