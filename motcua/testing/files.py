"""Small real files for tests: what an upload's checks (by content, readable as a PDF or an
image, registry.quality's resolution and colour) accept."""

import io
from functools import cache


@cache
def blank_pdf() -> bytes:
    """A one-page A4 PDF without images (a document born digital: no resolution to judge)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def scan_jpeg(dpi: int = 300, *, colour: bool = True, width_inches: float = 8.27) -> bytes:
    """A scanned A4 page as a scanner writes it: its resolution in the file."""
    from PIL import Image, ImageDraw

    size = (int(width_inches * dpi), int(width_inches * 1.414 * dpi))
    image = Image.new("RGB" if colour else "L", size, "white")
    draw = ImageDraw.Draw(image)
    for line in range(10):
        y = int(size[1] * (0.1 + line * 0.05))
        draw.line([(int(size[0] * 0.1), y), (int(size[0] * 0.9), y)], fill="black", width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", dpi=(dpi, dpi), quality=70)
    return buffer.getvalue()
