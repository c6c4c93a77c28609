"""Is a scan good enough to become an electronic copy? Decree 30/2020 Annex I Part II.I: PDF,
colour, at least 200 dpi, at 100 % scale (Circular 02/2019/TT-BNV says the same for archives).

Images carry their resolution (JPEG density, PNG pHYs, TIFF) or, without it, are judged as an
A4 page (the shorter side over 8.27 inches). In a PDF, each page's images are judged by their
pixels over the size they are drawn at; a page without images (a document born digital) has
no resolution to judge. MOTCUA_SCAN_MIN_DPI (200) and MOTCUA_SCAN_REQUIRE_COLOUR (on) are the
policy."""

import io
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageSequence, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from motcua.dossiers.errors import DossierError

A4_SHORT_SIDE_INCHES = 8.27
GREY_MODES = {"1", "L", "LA", "I", "I;16", "F"}


@dataclass(frozen=True)
class Judged:
    pages: int
    dpi: int | None  # the lowest page's; None: nothing raster to judge
    colour: bool | None  # None: nothing raster to judge


def min_dpi() -> int:
    return int(getattr(settings, "MOTCUA_SCAN_MIN_DPI", 200))


def colour_required() -> bool:
    return bool(getattr(settings, "MOTCUA_SCAN_REQUIRE_COLOUR", True))


def _is_colour(image: Image.Image) -> bool:
    """Scanned in colour: the mode the scanner was set to, which the image's channels show
    (a colour scan of a black-and-white page is still a colour scan). A palette image is
    colour unless its palette is grey."""
    if image.mode in GREY_MODES:
        return False
    if image.mode == "P":
        red, green, blue = image.convert("RGB").split()
        return not (red.tobytes() == green.tobytes() == blue.tobytes())
    return True


def _image_dpi(image: Image.Image) -> int:
    dpi = image.info.get("dpi")
    if dpi and dpi[0] and dpi[1]:
        return int(round(min(float(dpi[0]), float(dpi[1]))))
    return int(min(image.width, image.height) / A4_SHORT_SIDE_INCHES)


def judge_image(data: bytes) -> Judged:
    try:
        image = Image.open(io.BytesIO(data))
        frames = [frame.copy() for frame in ImageSequence.Iterator(image)]
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise DossierError("unreadable_scan", _("The scan cannot be read as an image.")) from exc
    return Judged(
        pages=len(frames),
        dpi=min(_image_dpi(f) for f in frames),
        colour=all(_is_colour(f) for f in frames),
    )


def judge_pdf(data: bytes) -> Judged:
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = list(reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise DossierError("unreadable_scan", _("The scan cannot be read as a PDF.")) from exc
    lowest: int | None = None
    colour: bool | None = None
    for page in pages:
        width_inches = float(page.mediabox.width) / 72
        try:
            images = list(page.images)
        except (PdfReadError, ValueError, KeyError, TypeError, OSError):
            images = []
        for found in images:
            try:
                picture = found.image
            except (ValueError, OSError, KeyError, TypeError):
                continue
            if picture is None or width_inches <= 0:
                continue
            # A scan fills its page: its pixels across over the page's width.
            dpi = int(picture.width / width_inches)
            lowest = dpi if lowest is None else min(lowest, dpi)
            colour = (colour is not False) and _is_colour(picture)
    return Judged(pages=len(pages), dpi=lowest, colour=colour)


def judge(data: bytes, content_type: str) -> Judged:
    return judge_pdf(data) if content_type == "application/pdf" else judge_image(data)


def check(judged: Judged) -> None:
    """Refuse a scan below the policy (clear reasons; the upload changes nothing)."""
    if judged.dpi is not None and judged.dpi < min_dpi():
        raise DossierError(
            "scan_resolution",
            _("The scan is %(dpi)s dpi; an electronic copy needs at least %(min)s dpi "
              "(Decree 30/2020). Scan it again at %(min)s dpi or more.")
            % {"dpi": judged.dpi, "min": min_dpi()},
        )  # fmt: skip
    if judged.colour is False and colour_required():
        raise DossierError(
            "scan_colour",
            _("The scan is in black and white or grey; an electronic copy is scanned in "
              "colour (Decree 30/2020). Set the scanner to colour."),
        )  # fmt: skip


def to_pdf(data: bytes, content_type: str, dpi: int | None) -> bytes:
    """The scan as a PDF at 100 % scale (its own resolution); a PDF stays as it is."""
    if content_type == "application/pdf":
        return data
    image = Image.open(io.BytesIO(data))
    frames = [frame.convert("RGB") for frame in ImageSequence.Iterator(image)]
    buffer = io.BytesIO()
    frames[0].save(
        buffer, format="PDF", save_all=True, append_images=frames[1:], resolution=float(dpi or 200)
    )
    return buffer.getvalue()
