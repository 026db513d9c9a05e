"""Draw badge images with Pillow: a coloured card with text and a QR code."""

import io
import logging
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
from django.utils import formats
from django.utils.translation import gettext as _
from PIL import Image, ImageColor, ImageDraw, ImageFont

from badges import png, qr
from badges.design import draw_icon

logger = logging.getLogger(__name__)

WIDTH = 600
HEIGHT = 800
MARGIN = 40
QR_SIZE = 260
QR_TOP = 460
BAND_HEIGHT = 370
EMBLEM = 110
MAX_TITLE_LINES = 4

# DejaVu comes with Debian's fonts-dejavu-core and covers Latin, Greek,
# Cyrillic and many symbols. Without it, Pillow's built-in scalable font is
# used, which draws Latin text and shows other scripts as boxes.
_FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
)


@cache
def _font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in _FONT_DIRS:
        path = folder / name
        if path.exists():
            return ImageFont.truetype(str(path), size)
    logger.warning("DejaVu fonts not found; badge text uses Pillow's default font")
    return ImageFont.load_default(size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    """Split ``text`` into lines no wider than ``width`` pixels."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if draw.textlength(candidate, font=font) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        # A single word wider than the line is cut character by character.
        while draw.textlength(word, font=font) > width and len(word) > 1:
            cut = len(word)
            while cut > 1 and draw.textlength(word[:cut], font=font) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


def _draw_centred(draw, lines, font, top: int, fill, spacing: int = 8) -> int:
    """Draw ``lines`` centred from ``top``; return the y below the last."""
    for line in lines:
        left, upper, right, lower = draw.textbbox((0, 0), line, font=font)
        x = (WIDTH - (right - left)) / 2 - left
        draw.text((x, top - upper), line, font=font, fill=fill)
        top += (lower - upper) + spacing
    return top


# Light modules around a QR code, as ISO/IEC 18004 requires.
QR_QUIET_ZONE = 4


def qr_image(data: str, size: int = QR_SIZE) -> Image.Image:
    """Return a black-on-white QR code of ``data`` with its quiet zone.

    The code is at error correction level M with the fixed mask pattern 0
    (``badges.qr``): any of the eight masks gives a valid code, and fixing
    one skips the search for the best-scoring one.
    """
    dark = qr.qr_matrix(data.encode("utf-8"))
    # One byte per module (0 dark, 255 light), scaled up without smoothing.
    pixels = np.where(dark, 0, 255).astype(np.uint8)
    pixels = np.pad(pixels, QR_QUIET_ZONE, constant_values=255)
    image = Image.fromarray(pixels)
    return image.resize((size, size), Image.Resampling.NEAREST).convert("RGB")


def text_colour(background: tuple[int, int, int]) -> str:
    red, green, blue = background
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return "#111827" if luminance > 150 else "#ffffff"


# Only the rows of the QR code differ between badges of one design issued on
# one day.
QR_BOTTOM = QR_TOP + QR_SIZE


@dataclass(frozen=True)
class _Card:
    """Everything on a badge but its QR code, in three bands of rows."""

    # The rows above QR_TOP and from QR_BOTTOM down, deflated once.
    above: png.DeflatedRows
    below: png.DeflatedRows
    # The rows between; each badge pastes its QR code on a copy.
    qr_rows: Image.Image


def _draw_band(
    image: Image.Image,
    *,
    title: str,
    college: str,
    colour: str,
    icon: str,
    emblem: bytes | None,
) -> None:
    """Draw the coloured band with the college, emblem and title."""
    background = ImageColor.getrgb(colour)[:3]
    ink = text_colour(background)
    draw = ImageDraw.Draw(image)

    draw.rectangle((0, 0, WIDTH, BAND_HEIGHT), fill=background)
    draw.rectangle((0, HEIGHT - 14, WIDTH, HEIGHT), fill=background)

    text_width = WIDTH - 2 * MARGIN
    college_lines = _wrap(draw, college, _font(22), text_width)[:2]
    y = _draw_centred(draw, college_lines, _font(22), 28, ink)

    emblem_box = ((WIDTH - EMBLEM) // 2, y + 10, (WIDTH + EMBLEM) // 2, y + 10 + EMBLEM)
    if emblem:
        picture = Image.open(io.BytesIO(emblem)).convert("RGBA")
        picture.thumbnail((EMBLEM, EMBLEM))
        left = (WIDTH - picture.width) // 2
        top = emblem_box[1] + (EMBLEM - picture.height) // 2
        image.paste(picture, (left, top), picture)
        y = emblem_box[3]
    elif icon:
        draw_icon(draw, icon, emblem_box, ink)
        y = emblem_box[3]
    else:
        # Without an emblem the title moves down to the middle of the band.
        y += EMBLEM // 2

    title_font = _font(34 if (emblem or icon) else 38, bold=True)
    max_lines = MAX_TITLE_LINES - 1 if (emblem or icon) else MAX_TITLE_LINES
    title_lines = _wrap(draw, title, title_font, text_width)
    if len(title_lines) > max_lines:
        title_lines = title_lines[:max_lines]
        title_lines[-1] = title_lines[-1].rstrip(".") + "…"
    _draw_centred(draw, title_lines, title_font, y + 20, ink, spacing=10)


def _draw_award_texts(
    image: Image.Image, *, when: str, tagline: str, caption: str
) -> None:
    """Draw the date and tagline below the band, and the QR code's caption."""
    draw = ImageDraw.Draw(image)
    y = BAND_HEIGHT + 16
    if when:
        y = _draw_centred(draw, [when], _font(24), y, "#111827")
    if tagline:
        y = _draw_centred(
            draw,
            _wrap(draw, tagline, _font(18), WIDTH - 2 * MARGIN)[:1],
            _font(18),
            y,
            "#374151",
        )
    if caption:
        _draw_centred(draw, [caption], _font(16), QR_BOTTOM + 6, "#374151")


@lru_cache(maxsize=64)
def _card(
    *,
    title: str,
    college: str,
    colour: str,
    icon: str,
    emblem: bytes | None,
    when: str,
    tagline: str,
    caption: str,
) -> _Card:
    """Return the card with its band, texts and emblem, but no QR code.

    These parts are the same on every badge of a badge class issued on one
    day, so they are drawn and their rows compressed once per design, day
    and process.
    """
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    _draw_band(
        image, title=title, college=college, colour=colour, icon=icon, emblem=emblem
    )
    _draw_award_texts(image, when=when, tagline=tagline, caption=caption)
    return _Card(
        above=png.deflate_rows(image.crop((0, 0, WIDTH, QR_TOP))),
        qr_rows=image.crop((0, QR_TOP, WIDTH, QR_BOTTOM)),
        below=png.deflate_rows(image.crop((0, QR_BOTTOM, WIDTH, HEIGHT))),
    )


def draw_badge_png(
    *,
    title: str,
    college: str,
    issued_on: date | None,
    verify_url: str | None,
    colour: str = "#1d4ed8",
    icon: str = "",
    tagline: str = "",
    emblem: bytes | None = None,
) -> bytes:
    """Return a PNG badge showing the course, college, date and QR code.

    ``emblem`` (PNG bytes, already checked) takes the place of ``icon``.
    Without ``verify_url`` (a badge class picture, not an award) the QR code
    and its caption are left out, and without ``issued_on`` the date.
    """
    card = _card(
        title=title,
        college=college,
        colour=colour,
        icon=icon,
        emblem=emblem,
        when=formats.date_format(issued_on, "DATE_FORMAT") if issued_on else "",
        tagline=tagline,
        caption=_("Scan to verify") if verify_url else "",
    )
    qr_rows = card.qr_rows
    if verify_url:
        qr_rows = qr_rows.copy()
        qr_rows.paste(qr_image(verify_url), ((WIDTH - QR_SIZE) // 2, 0))
    return png.encode_png([card.above, qr_rows, card.below])
