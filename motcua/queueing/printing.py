"""Printing a ticket: the QR code for the page, and for thermal printers a raster image drawn
with a shipped font, sent as ESC/POS bytes (GS v 0). Text mode turns Vietnamese letters into
"?" (python-escpos 3.1, CP1258: capabilities §5.3), so the whole ticket is a picture, as FQM
prints its Arabic tickets. No printer library is needed: the raster command is a header and
the bits."""

import io
from datetime import datetime
from pathlib import Path

import segno
from PIL import Image, ImageDraw, ImageFont

from . import conf
from .models import Ticket
from .numbering import ZONE

FONTS = Path(__file__).resolve().parents[1] / "documents" / "fonts"
BAND = 256  # rows per raster command: small enough for the printers' buffers


def qr_svg(text: str) -> str:
    out = io.BytesIO()
    segno.make_qr(text, error="m").save(
        out, kind="svg", border=2, xmldecl=False, nl=False, omitsize=True
    )
    return out.getvalue().decode("ascii")


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "LiberationSerif-Bold.ttf" if bold else "LiberationSerif-Regular.ttf"
    return ImageFont.truetype(str(FONTS / name), size)


def _local(moment: datetime) -> str:
    return moment.astimezone(ZONE).strftime("%H:%M %d/%m/%Y")


def ticket_image(ticket: Ticket, ahead: int, address: str, width: int | None = None) -> Image.Image:
    """The ticket as a 1-bit picture as wide as the printer (`width`, else
    MOTCUA_TICKET_WIDTH: 512 px for 80 mm printers' NT-5890K profile, 384 for 58 mm)."""
    width = width or conf.ticket_width()
    qr = segno.make_qr(address, error="m")
    qr_image = Image.open(io.BytesIO(_png(qr))).convert("L")
    lines = [
        (str(ticket.point)[:40], _font(24, bold=True)),
        ("SỐ THỨ TỰ", _font(26)),
        (ticket.display_code, _font(110, bold=True)),
        (ticket.service.name[:40], _font(28, bold=True)),
        (_local(ticket.issued_at), _font(24)),
        (f"Số người chờ trước: {ahead}", _font(26)),
    ]
    height = 40 + sum(_height(font, text) + 14 for text, font in lines) + qr_image.height + 60
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    y = 20
    for text, font in lines:
        box = draw.textbbox((0, 0), text, font=font)
        draw.text(((width - (box[2] - box[0])) // 2, y - box[1]), text, font=font, fill=0)
        y += _height(font, text) + 14
    image.paste(qr_image, ((width - qr_image.width) // 2, y + 10))
    return image.convert("1")


def _height(font: ImageFont.FreeTypeFont, text: str) -> int:
    box = font.getbbox(text)
    return int(box[3] - box[1])


def _png(qr) -> bytes:
    out = io.BytesIO()
    qr.save(out, kind="png", scale=6, border=2)
    return out.getvalue()


def ticket_png(ticket: Ticket, ahead: int, address: str) -> bytes:
    out = io.BytesIO()
    ticket_image(ticket, ahead, address).save(out, format="PNG")
    return out.getvalue()


def escpos_raster(image: Image.Image) -> bytes:
    """ESC @, then the picture in bands of GS v 0 (1 = black), then feed and cut (GS V B)."""
    bits = image.convert("1")
    width_bytes = (bits.width + 7) // 8
    out = bytearray(b"\x1b@")
    for top in range(0, bits.height, BAND):
        band = bits.crop((0, top, width_bytes * 8, min(top + BAND, bits.height)))
        # PIL's mode "1" packs white as 1: invert so that a set bit prints black.
        data = bytes(b ^ 0xFF for b in band.tobytes())
        rows = band.height
        out += b"\x1dv0\x00" + bytes(
            [width_bytes % 256, width_bytes // 256, rows % 256, rows // 256]
        )
        out += data
    out += b"\n\n\n\x1dVB\x00"
    return bytes(out)


def ticket_escpos(ticket: Ticket, ahead: int, address: str, width: int | None = None) -> bytes:
    return escpos_raster(ticket_image(ticket, ahead, address, width))
