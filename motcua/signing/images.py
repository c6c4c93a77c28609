"""Signature and seal images: whatever an administrator uploads is turned into the colour
Decree 30/2020 Annex I requires (§II.7.d: a person's signature in blue; §II.8.a: the seal in
red), on a transparent background, so that a scan on white paper or a black pen still comes
out right."""

import io
import json

import typst
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from motcua.documents.rendering import fonts

from .appearance import TEMPLATE

BLUE = (0, 0, 255)
RED = (255, 0, 0)
MAX_PIXELS = 4000 * 4000


def recolour(data: bytes, colour: tuple[int, int, int]) -> bytes:
    """A PNG of `colour` whose opacity is the ink of the image: its alpha when it has one,
    else its darkness (white paper becomes transparent)."""
    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError(_("The image is too large (at most 4000 × 4000 pixels)."))
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("The file is not an image PNG or JPEG can read.")) from exc
    if image.mode in ("RGBA", "LA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        ink = ImageOps.invert(rgba.convert("L"))
        alpha = rgba.getchannel("A")
        # Transparent areas stay so; opaque pixels keep their darkness as opacity, at least
        # some: a pale stroke of a scanned pen remains visible.
        mask = Image.composite(ink.point(lambda v: max(v, 160) if v > 24 else 0), alpha, alpha)
    else:
        mask = ImageOps.invert(image.convert("L")).point(lambda v: 0 if v < 40 else min(255, v * 2))
    solid = Image.new("RGBA", image.size, (*colour, 255))
    solid.putalpha(mask)
    buffer = io.BytesIO()
    solid.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def demo_image(kind: str, **texts: str) -> bytes:
    """The demo's signature ("signature") or seal ("seal", with top, middle and bottom texts)."""
    template = TEMPLATE.parent / "demo_images.typ"
    result = typst.compile(
        str(template),
        root=str(template.parent),
        font_paths=fonts(),
        format="png",
        ppi=300,
        sys_inputs={"data": json.dumps({"kind": kind, **texts}, ensure_ascii=False)},
    )
    assert isinstance(result, bytes)
    return result
