import io
import struct
import zlib

import pytest
from openbadges_bakery import unbake
from PIL import Image

from badges.baking import BakingError, bake_png, itxt_chunk, unbake_png


def _plain_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def test_itxt_chunk_layout():
    chunk = itxt_chunk("openbadges", "{}")

    length, chunk_type = struct.unpack(">I4s", chunk[:8])
    data = chunk[8:-4]
    (crc,) = struct.unpack(">I", chunk[-4:])
    assert chunk_type == b"iTXt"
    assert length == len(data)
    assert data == b"openbadges\x00\x00\x00\x00\x00{}"
    assert crc == zlib.crc32(b"iTXt" + data)


def test_bake_inserts_before_iend():
    baked = bake_png(_plain_png(), '{"a":1}')

    assert baked.endswith(b"IEND\xae\x42\x60\x82")
    assert baked.index(b"iTXtopenbadges") < baked.index(b"IEND")


def test_bake_keeps_image_readable():
    baked = bake_png(_plain_png(), '{"a":1}')

    assert Image.open(io.BytesIO(baked)).size == (4, 4)


def test_bake_replaces_earlier_chunk():
    once = bake_png(_plain_png(), "first")

    twice = bake_png(once, "second")

    assert twice.count(b"openbadges\x00") == 1
    assert unbake_png(twice) == "second"


def test_unicode_survives_byte_for_byte():
    text = '{"name":"Zoë Ñandú 山田 — Ωμέγα 🎓"}'

    baked = bake_png(_plain_png(), text)

    assert unbake_png(baked).encode("utf-8") == text.encode("utf-8")


def test_independent_bakery_reads_chunk():
    text = '{"name":"Zoë 山田"}'

    baked = bake_png(_plain_png(), text)

    assert unbake(io.BytesIO(baked)) == text


def test_unbake_finds_nothing_in_plain_png():
    assert unbake_png(_plain_png()) is None


def test_unbake_rejects_non_png():
    with pytest.raises(BakingError, match="not a PNG"):
        unbake_png(b"GIF89a....")


def test_unbake_detects_altered_byte():
    baked = bytearray(bake_png(_plain_png(), '{"a":1}'))
    position = baked.index(b'{"a":1}') + 5
    baked[position] ^= 0x01

    with pytest.raises(BakingError, match="wrong CRC"):
        unbake_png(bytes(baked))


def _with_text_chunk(chunk_type: bytes, data: bytes) -> bytes:
    """Return a plain PNG with one text chunk of raw ``data`` before IEND."""
    png = _plain_png()
    end = png.index(b"IEND") - 4
    crc = struct.pack(">I", zlib.crc32(chunk_type + data))
    chunk = struct.pack(">I", len(data)) + chunk_type + data + crc
    return png[:end] + chunk + png[end:]


@pytest.mark.parametrize(
    ("chunk_type", "data", "message"),
    [
        (b"iTXt", b"openbadges\x00\x01\x00\x00\x00not zlib", "cannot be decompressed"),
        (b"zTXt", b"openbadges\x00\x00not zlib", "cannot be decompressed"),
        (b"iTXt", b"openbadges\x00\x00\x00\x00\x00\xff\xfe{}", "not UTF-8"),
        (b"iTXt", b"openbadges\x00\x00\x00no separators", "malformed"),
        (b"iTXt", b"openbadges\x00", "malformed"),
    ],
)
def test_unbake_rejects_malformed_text_chunk(chunk_type, data, message):
    png = _with_text_chunk(chunk_type, data)

    with pytest.raises(BakingError, match=message):
        unbake_png(png)


def test_unbake_stops_a_decompression_bomb():
    # given: 64 MiB of text compressed into a chunk of about 64 KiB
    bomb = zlib.compress(b"a" * (64 * 1024 * 1024))
    png = _with_text_chunk(b"iTXt", b"openbadges\x00\x01\x00\x00\x00" + bomb)

    # when, then
    with pytest.raises(BakingError, match="more than"):
        unbake_png(png)
