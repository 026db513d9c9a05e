"""Encode RGB PNG images from bands of rows, some compressed ahead of time.

Every badge of a design shares most of its rows: the coloured band above
the award details and the caption and strip below them. Those rows are
filtered and deflated once per design (``deflate_rows``), and each badge
compresses only the rows of its own details (``encode_png``).

The image data of a PNG is one zlib stream over all filtered rows
(ISO/IEC 15948, sections 9 and 10). Each band's deflate blocks end with a
full flush, which aligns them to a byte and leaves no reference to data of
another band. So the bands' blocks can follow one another in one stream,
and an empty final block closes it. The zlib trailer is the Adler-32 of all
filtered rows, combined from the bands' own checksums.

The first row of each band uses filter type None and every other row filter
type Up, so no row refers to a row of another band.
"""

import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FILTER_NONE = 0
FILTER_UP = 2
# zlib level 1 compresses about twice as fast as the default level 6 and
# yields a file about a third larger: a badge is drawn far more often than
# its size matters.
COMPRESS_LEVEL = 1
# CMF 0x78 (deflate, 32 KiB window) and FLG 0x01 (fastest level), whose
# check bits make 0x7801 a multiple of 31 (RFC 1950, section 2.2).
ZLIB_HEADER = b"\x78\x01"
# A final fixed-Huffman block with no data (RFC 1951, section 3.2.6).
EMPTY_FINAL_BLOCK = b"\x03\x00"
ADLER_MODULUS = 65521


@dataclass(frozen=True)
class DeflatedRows:
    """A band of RGB rows, filtered and deflated ahead of time."""

    width: int
    height: int
    # Raw deflate blocks that end with a full flush and without a final block.
    blocks: bytes
    # Adler-32 and length in bytes of the filtered rows.
    adler32: int
    length: int


def adler32_combine(first: int, second: int, second_length: int) -> int:
    """Return the Adler-32 of two byte strings joined, from their own sums.

    Adler-32 keeps A = 1 + the sum of the bytes and B = the sum of A after
    each byte, both modulo 65521 (RFC 1950, section 8.2). After the first
    string, each of the n bytes of the second adds A1 - 1 to B once more, so
    A = A1 + A2 - 1 and B = B1 + B2 + n * (A1 - 1).
    """
    first_a, first_b = first & 0xFFFF, first >> 16
    second_a, second_b = second & 0xFFFF, second >> 16
    total_a = (first_a + second_a - 1) % ADLER_MODULUS
    total_b = (first_b + second_b + second_length * (first_a - 1)) % ADLER_MODULUS
    return (total_b << 16) | total_a


def _filtered_rows(image: Image.Image) -> np.ndarray:
    """Return the rows of ``image`` as PNG scanlines: filter byte, then RGB."""
    if image.mode != "RGB":
        raise ValueError(f"Only RGB images are encoded here, not {image.mode}.")
    if image.height < 1:
        raise ValueError("A band of a PNG image needs at least one row.")
    pixels = np.frombuffer(image.tobytes(), dtype=np.uint8).reshape(
        image.height, image.width * 3
    )
    rows = np.empty((image.height, 1 + image.width * 3), dtype=np.uint8)
    rows[:, 0] = FILTER_UP
    rows[0, 0] = FILTER_NONE
    rows[0, 1:] = pixels[0]
    # uint8 subtraction wraps modulo 256, as the Up filter requires.
    np.subtract(pixels[1:], pixels[:-1], out=rows[1:, 1:])
    return rows


def deflate_rows(image: Image.Image) -> DeflatedRows:
    """Filter and deflate ``image`` as one band of later PNG images."""
    rows = _filtered_rows(image)
    compressor = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    blocks = compressor.compress(rows) + compressor.flush(zlib.Z_FULL_FLUSH)
    return DeflatedRows(
        width=image.width,
        height=image.height,
        blocks=blocks,
        adler32=zlib.adler32(rows),
        length=rows.nbytes,
    )


def _chunk(chunk_type: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(chunk_type + data)
    return struct.pack(">I", len(data)) + chunk_type + data + struct.pack(">I", crc)


def encode_png(bands: Sequence[DeflatedRows | Image.Image]) -> bytes:
    """Return the PNG image of ``bands`` stacked top to bottom.

    Each band is either rows deflated ahead of time or an RGB image that is
    deflated here; all must have the same width.
    """
    if not bands:
        raise ValueError("A PNG image needs at least one band of rows.")
    width = bands[0].width
    parts = [ZLIB_HEADER]
    adler = zlib.adler32(b"")
    height = 0
    for band in bands:
        if band.width != width:
            raise ValueError(
                f"A band is {band.width} pixels wide and the first {width}: "
                "every band of a PNG image needs the same width."
            )
        if not isinstance(band, DeflatedRows):
            band = deflate_rows(band)
        parts.append(band.blocks)
        adler = adler32_combine(adler, band.adler32, band.length)
        height += band.height
    parts.append(EMPTY_FINAL_BLOCK)
    parts.append(struct.pack(">I", adler))

    # Width, height, bit depth 8, colour type 2 (RGB), then compression,
    # filter and interlace methods 0.
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"".join(
        [
            PNG_SIGNATURE,
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", b"".join(parts)),
            _chunk(b"IEND", b""),
        ]
    )
