"""Check uploaded badge emblems and draw the built-in icons."""

import io
import math
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, UnidentifiedImageError

ACCEPTED_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}
# Emblems are shown at most this many pixels wide or high on a badge.
EMBLEM_SIZE = 512


def clean_design_image(data: bytes) -> bytes:
    """Return an uploaded emblem re-encoded as PNG, or raise ValidationError.

    Checks the bytes before decoding and the pixel count before loading, so
    that a decompression bomb is rejected without being decoded. Re-encoding
    drops metadata and anything appended to the file.
    """
    max_bytes = settings.MEX_BADGE_IMAGE_MAX_BYTES
    max_pixels = settings.MEX_BADGE_IMAGE_MAX_PIXELS
    if len(data) > max_bytes:
        raise ValidationError(
            _("The image is %(size)s bytes; upload one of at most %(limit)s.")
            % {"size": len(data), "limit": max_bytes}
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > max_pixels:
                raise ValidationError(
                    _(
                        "The image is %(width)sx%(height)s pixels; upload one of "
                        "at most %(limit)s pixels in all."
                    )
                    % {"width": width, "height": height, "limit": max_pixels}
                )
            if image.format not in ACCEPTED_FORMATS:
                raise ValidationError(
                    _("The file is a %(format)s image; upload PNG, JPEG, GIF or WebP.")
                    % {"format": image.format}
                )
            image.seek(0)
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("The image decodes to too many pixels; upload a smaller image.")
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("The file is not a readable image; upload PNG, JPEG, GIF or WebP.")
        ) from None

    emblem = image.convert("RGBA")
    emblem.thumbnail((EMBLEM_SIZE, EMBLEM_SIZE))
    buffer = io.BytesIO()
    emblem.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def draw_icon(draw: ImageDraw.ImageDraw, icon: str, box, colour) -> None:
    """Draw a built-in icon inside ``box`` (left, top, right, bottom)."""
    left, top, right, bottom = box
    width, height = right - left, bottom - top
    centre_x, centre_y = left + width / 2, top + height / 2
    if icon == "star":
        points = []
        for step in range(10):
            radius = min(width, height) / 2 * (1 if step % 2 == 0 else 0.42)
            angle = -math.pi / 2 + step * math.pi / 5
            points.append(
                (
                    centre_x + radius * math.cos(angle),
                    centre_y + radius * math.sin(angle),
                )
            )
        draw.polygon(points, fill=colour)
    elif icon == "heart":
        radius = width / 4
        draw.ellipse((left, top, left + 2 * radius, top + 2 * radius), fill=colour)
        draw.ellipse((right - 2 * radius, top, right, top + 2 * radius), fill=colour)
        draw.polygon(
            [
                (left + 2, top + radius * 1.3),
                (right - 2, top + radius * 1.3),
                (centre_x, bottom),
            ],
            fill=colour,
        )
    elif icon == "cross":
        arm = width / 3
        draw.rectangle((left + arm, top, right - arm, bottom), fill=colour)
        draw.rectangle((left, top + arm, right, bottom - arm), fill=colour)
    elif icon == "check":
        line_width = max(4, int(width / 7))
        draw.line(
            [(left, centre_y), (left + width / 3, bottom), (right, top)],
            fill=colour,
            width=line_width,
            joint="curve",
        )


def design_of(badge_class) -> dict:
    """Return the drawing options of a badge class's design."""
    emblem = None
    if badge_class.design_image:
        with badge_class.design_image.open("rb") as file:
            emblem = file.read()
    return {
        "colour": badge_class.primary_colour,
        "icon": badge_class.icon,
        "tagline": badge_class.tagline,
        "emblem": emblem,
    }
