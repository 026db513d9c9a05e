"""Helpers for reading badge images and documents in tests."""

import io
import json

import zxingcpp
from openbadges_bakery import unbake
from PIL import Image


def unbake_json(png: bytes) -> dict:
    """Read the Open Badges 2.0 JSON with the independent bakery package."""
    return json.loads(unbake(io.BytesIO(png)))


def decode_qr(png: bytes) -> list[str]:
    image = Image.open(io.BytesIO(png))
    return [barcode.text for barcode in zxingcpp.read_barcodes(image)]


def stored_png(assertion) -> bytes:
    with assertion.image.open("rb") as file:
        return file.read()
