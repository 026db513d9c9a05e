"""PNG images encoded from bands of rows, some deflated ahead of time."""

import io
import itertools
import random
import zlib

import pytest
from PIL import Image

from badges import png
from badges.baking import _chunks


def _noise(width: int, height: int, seed: int) -> Image.Image:
    chance = random.Random(seed)
    return Image.frombytes(
        "RGB",
        (width, height),
        bytes(chance.randrange(256) for _ in range(width * height * 3)),
    )


def _decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.mark.parametrize("cuts", [(1,), (5, 6), (3, 17), (10,), (2, 4, 9)])
def test_bands_decode_to_whole_image(cuts):
    # given: an image of noise and flat rows, cut into bands
    image = _noise(23, 20, seed=len(cuts))
    image.paste((255, 255, 255), (0, 8, 23, 14))
    edges = [0, *cuts, image.height]
    bands = [
        image.crop((0, top, 23, bottom)) for top, bottom in itertools.pairwise(edges)
    ]

    # when: every other band is deflated ahead of time
    encoded = png.encode_png(
        [
            png.deflate_rows(band) if index % 2 else band
            for index, band in enumerate(bands)
        ]
    )

    # then
    decoded = _decoded(encoded)
    assert decoded.mode == "RGB"
    assert decoded.size == image.size
    assert decoded.tobytes() == image.tobytes()


def test_stream_checksum_verifies():
    image = _noise(40, 30, seed=7)
    bands = [png.deflate_rows(image.crop((0, 0, 40, 12))), image.crop((0, 12, 40, 30))]

    encoded = png.encode_png(bands)

    stream = b"".join(data for kind, data in _chunks(encoded) if kind == b"IDAT")
    # zlib.decompress checks the Adler-32 trailer and the final block.
    rows = zlib.decompress(stream)
    assert len(rows) == 30 * (1 + 40 * 3)


def test_adler32_combine_matches_zlib():
    chance = random.Random(3)
    for _ in range(50):
        first = bytes(chance.randrange(256) for _ in range(chance.randrange(200)))
        second = bytes(chance.randrange(256) for _ in range(chance.randrange(70000)))

        combined = png.adler32_combine(
            zlib.adler32(first), zlib.adler32(second), len(second)
        )

        assert combined == zlib.adler32(first + second)


def test_bands_of_other_widths_rejected():
    with pytest.raises(ValueError, match="9 pixels wide and the first 8"):
        png.encode_png([_noise(8, 2, seed=1), _noise(9, 2, seed=2)])


def test_non_rgb_band_rejected():
    with pytest.raises(ValueError, match="not RGBA"):
        png.deflate_rows(Image.new("RGBA", (4, 4)))


def test_no_band_rejected():
    with pytest.raises(ValueError, match="at least one band"):
        png.encode_png([])
