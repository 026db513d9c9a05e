"""Badge images: the parts shared by a design, and each badge's QR code."""

import io
from datetime import date

import numpy as np
import zxingcpp
from PIL import Image

from badges import drawing

DESIGN = {
    "title": "Dementia Care Essentials for Personal Support Workers",
    "college": "Lakeshore College of Health Sciences",
    "colour": "#0f766e",
    "icon": "heart",
    "tagline": "Ontario micro-credential",
}
FIRST_URL = "http://testserver/badges/verify/6f1c2a4e-8a0b-4a55-9a53-0d1f4b8f2a10/"
SECOND_URL = "http://testserver/badges/verify/e2b7c9d0-1f3a-4c6e-8b2d-5a4f3e2d1c0b/"


def _pixels(png: bytes) -> np.ndarray:
    image = Image.open(io.BytesIO(png))
    assert image.size == (drawing.WIDTH, drawing.HEIGHT)
    return np.asarray(image.convert("RGB"))


def _codes(png: bytes) -> list[str]:
    return [code.text for code in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def test_design_badges_differ_in_qr_only():
    # given: two badges of one design, issued on one day
    day = date(2026, 12, 4)
    first = drawing.draw_badge_png(issued_on=day, verify_url=FIRST_URL, **DESIGN)
    second = drawing.draw_badge_png(issued_on=day, verify_url=SECOND_URL, **DESIGN)

    # then: the rows around the QR code are the same, and each code reads back
    top, bottom = drawing.QR_TOP, drawing.QR_BOTTOM
    first_pixels, second_pixels = _pixels(first), _pixels(second)
    assert np.array_equal(first_pixels[:top], second_pixels[:top])
    assert np.array_equal(first_pixels[bottom:], second_pixels[bottom:])
    assert not np.array_equal(first_pixels[top:bottom], second_pixels[top:bottom])
    assert _codes(first) == [FIRST_URL]
    assert _codes(second) == [SECOND_URL]


def test_next_day_changes_date_rows():
    first = drawing.draw_badge_png(
        issued_on=date(2026, 12, 4), verify_url=FIRST_URL, **DESIGN
    )
    later = drawing.draw_badge_png(
        issued_on=date(2026, 12, 5), verify_url=FIRST_URL, **DESIGN
    )

    date_rows = slice(drawing.BAND_HEIGHT, drawing.QR_TOP)
    assert not np.array_equal(_pixels(first)[date_rows], _pixels(later)[date_rows])
    assert np.array_equal(
        _pixels(first)[: drawing.BAND_HEIGHT], _pixels(later)[: drawing.BAND_HEIGHT]
    )


def test_badge_class_picture_has_no_qr_code():
    picture = drawing.draw_badge_png(issued_on=None, verify_url=None, **DESIGN)

    assert _codes(picture) == []
    qr_rows = _pixels(picture)[drawing.QR_TOP : drawing.QR_BOTTOM]
    assert (qr_rows == 255).all()
