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
    return round(min(image.width, image.height) / A4_SHORT_SIDE_INCHES)


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


GREY_SPACES = {"/DeviceGray", "/CalGray"}


def _colour_space(space) -> bool:
    """Colour (True) or grey (False) from a PDF image's /ColorSpace (a name, or an array:
    an ICC profile with its number of components, a palette over a base space)."""
    space = space.get_object() if hasattr(space, "get_object") else space
    if isinstance(space, list):
        family = str(space[0]) if space else ""
        if family == "/ICCBased":
            return int(space[1].get_object().get("/N", 3)) >= 3
        if family == "/Indexed":
            return _colour_space(space[1])
        return family not in GREY_SPACES
    return str(space) not in GREY_SPACES


def _page_images(page) -> list:
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else {}
    objects = resources.get("/XObject") if resources else None
    if objects is None:
        return []
    images = []
    for item in objects.get_object().values():
        found = item.get_object()
        if found.get("/Subtype") == "/Image":
            images.append(found)
    return images


def judge_pdf(data: bytes) -> Judged:
    """From each page's image dictionaries (pixel width, colour space): nothing is decoded,
    so a 20-page scan is judged in milliseconds."""
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = list(reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise DossierError("unreadable_scan", _("The scan cannot be read as a PDF.")) from exc
    lowest: int | None = None
    colour: bool | None = None
    for page in pages:
        try:
            width_inches = float(page.mediabox.width) / 72
            images = _page_images(page)
        except (PdfReadError, ValueError, KeyError, TypeError, AttributeError):
            continue
        for image in images:
            try:
                pixels = int(image["/Width"])
                space = _colour_space(image.get("/ColorSpace", "/DeviceRGB"))
            except (KeyError, TypeError, ValueError, IndexError, AttributeError):
                continue
            if width_inches <= 0:
                continue
            # A scan fills its page: its pixels across over the page's width.
            dpi = round(pixels / width_inches)
            lowest = dpi if lowest is None else min(lowest, dpi)
            colour = space if colour is None else colour and space
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
