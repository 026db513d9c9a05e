"""Draw badges as SVG: the same card as the PNG, with the QR code as a path."""

import re
import textwrap
from datetime import date
from xml.sax.saxutils import escape, quoteattr

import qrcode
from django.utils import formats
from django.utils.translation import gettext as _
from PIL import ImageColor

from badges.drawing import HEIGHT, MAX_TITLE_LINES, QR_SIZE, WIDTH, text_colour

# SVG text is not measured, so lines are wrapped by character count, chosen
# so that typical Latin titles fit the 520-pixel text width.
TITLE_CHARACTERS_PER_LINE = 24
COLLEGE_CHARACTERS_PER_LINE = 40
# Characters that XML 1.0 forbids even as references: the C0 controls other
# than tab, line feed and carriage return, lone surrogates, U+FFFE and U+FFFF.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _qr_path(data: str) -> tuple[str, int]:
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=1, border=4
    )
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    commands = [
        f"M{x} {y}h1v1h-1z"
        for y, row in enumerate(matrix)
        for x, dark in enumerate(row)
        if dark
    ]
    return "".join(commands), len(matrix)


def _text_lines(lines: list[str], *, top: int, size: int, fill: str, bold=False):
    weight = ' font-weight="bold"' if bold else ""
    for number, line in enumerate(lines):
        y = top + number * int(size * 1.3)
        yield (
            f'<text x="{WIDTH // 2}" y="{y}" font-size="{size}"{weight} '
            f'fill="{fill}" text-anchor="middle">{escape(line)}</text>'
        )


def draw_badge_svg(
    *,
    title: str,
    college: str,
    issued_on: date | None,
    verify_url: str | None,
    colour: str = "#1d4ed8",
) -> bytes:
    """Return an SVG badge with the course, college, date and QR code.

    Characters that XML cannot contain are left out of the names.
    """
    title = _NOT_IN_XML.sub("", title)
    college = _NOT_IN_XML.sub("", college)
    title_lines = textwrap.wrap(title, TITLE_CHARACTERS_PER_LINE)[:MAX_TITLE_LINES]
    college_lines = textwrap.wrap(college, COLLEGE_CHARACTERS_PER_LINE)[:2]
    ink = text_colour(ImageColor.getrgb(colour)[:3])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" '
        f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        'font-family="DejaVu Sans, Arial, sans-serif">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<rect width={quoteattr(str(WIDTH))} height="330" fill={quoteattr(colour)}/>',
        *_text_lines(college_lines, top=64, size=24, fill=ink),
        *_text_lines(title_lines, top=150, size=36, fill=ink, bold=True),
    ]
    if issued_on is not None:
        when = formats.date_format(issued_on, "DATE_FORMAT")
        parts.extend(_text_lines([when], top=378, size=24, fill="#111827"))
    if verify_url:
        path, modules = _qr_path(verify_url)
        scale = QR_SIZE / modules
        left = (WIDTH - QR_SIZE) / 2
        parts.append(
            f'<g transform="translate({left} 410) scale({scale:.4f})">'
            f'<rect width="{modules}" height="{modules}" fill="#ffffff"/>'
            f'<path d="{path}" fill="#000000" shape-rendering="crispEdges"/></g>'
        )
        parts.extend(
            _text_lines([_("Scan to verify")], top=700, size=16, fill="#374151")
        )
    parts.append("</svg>")
    return "\n".join(parts).encode("utf-8")
