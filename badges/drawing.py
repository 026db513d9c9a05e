"""Draw badge images with Pillow: a coloured card with text and a QR code."""

import io
import logging
from datetime import date
from functools import cache, lru_cache
from pathlib import Path

import qrcode
from django.utils import formats
from django.utils.translation import gettext as _
from PIL import Image, ImageColor, ImageDraw, ImageFont

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


# Any of the eight mask patterns gives a valid code. Fixing one skips
# qrcode's search for the best-scoring mask, most of the time a code takes.
QR_MASK = 0


def qr_image(data: str, size: int = QR_SIZE) -> Image.Image:
    """Return a black-on-white QR code of ``data`` with its quiet zone."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=1,
        border=4,
        mask_pattern=QR_MASK,
    )
    code.add_data(data)
    code.make(fit=True)
    # One byte per module (0 dark, 255 light), scaled up without smoothing:
    # the same picture qrcode draws box by box, built in one step.
    matrix = code.get_matrix()
    count = len(matrix)
    pixels = bytes(0 if dark else 255 for row in matrix for dark in row)
    image = Image.frombytes("L", (count, count), pixels)
    return image.resize((size, size), Image.Resampling.NEAREST).convert("RGB")


def text_colour(background: tuple[int, int, int]) -> str:
    red, green, blue = background
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return "#111827" if luminance > 150 else "#ffffff"


@lru_cache(maxsize=64)
def _band(
    *, title: str, college: str, colour: str, icon: str, emblem: bytes | None
) -> Image.Image:
    """Return the card with its coloured band, college, emblem and title.

    These parts are the same on every badge of a badge class, so they are
    drawn once per design and process; callers draw on a copy.
    """
    background = ImageColor.getrgb(colour)[:3]
    ink = text_colour(background)
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
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

    return image


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
    and date are left out.
    """
    image = _band(
        title=title, college=college, colour=colour, icon=icon, emblem=emblem
    ).copy()
    draw = ImageDraw.Draw(image)
    text_width = WIDTH - 2 * MARGIN

    y = BAND_HEIGHT + 16
    if issued_on is not None:
        when = formats.date_format(issued_on, "DATE_FORMAT")
        y = _draw_centred(draw, [when], _font(24), y, "#111827")
    if tagline:
        y = _draw_centred(
            draw,
            _wrap(draw, tagline, _font(18), text_width)[:1],
            _font(18),
            y,
            "#374151",
        )
    if verify_url:
        qr = qr_image(verify_url)
        image.paste(qr, ((WIDTH - QR_SIZE) // 2, QR_TOP))
        caption = _font(16)
        _draw_centred(
            draw, [_("Scan to verify")], caption, QR_TOP + QR_SIZE + 6, "#374151"
        )

    buffer = io.BytesIO()
    # Level 1 encodes in about half the time of the default level 6, for a
    # file about a third larger (some 24 kB): a badge is drawn far more
    # often than its size matters.
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()
