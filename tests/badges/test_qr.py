"""QR code matrices built with numpy, checked against the qrcode package."""

import random

import numpy as np
import pytest
import qrcode
import zxingcpp
from qrcode.constants import ERROR_CORRECT_M
from qrcode.util import MODE_8BIT_BYTE, QRData

from badges import qr
from badges.drawing import qr_image


def _qrcode_matrix(data: bytes) -> np.ndarray:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, mask_pattern=0)
    code.add_data(QRData(data, mode=MODE_8BIT_BYTE))
    code.make(fit=True)
    return np.array(code.modules, dtype=bool)


def _lengths_at_each_version() -> list[int]:
    """Return data lengths that fill each version, and one byte less."""
    lengths = []
    for version in range(1, qr.MAX_VERSION + 1):
        header_bits = 4 + (8 if version < 10 else 16)
        longest = (8 * qr._data_capacity(version) - header_bits) // 8
        lengths += [longest, longest - 1]
    return lengths


@pytest.mark.parametrize("length", [0, 1, 2, 17, *_lengths_at_each_version()])
def test_matrix_matches_qrcode(length):
    data = random.Random(length).randbytes(length)

    matrix = qr.qr_matrix(data)

    expected = _qrcode_matrix(data)
    assert matrix.shape == expected.shape
    assert np.array_equal(matrix, expected)


@pytest.mark.parametrize(
    "url",
    [
        "http://testserver/badges/verify/0f0e4a52-3f31-4b39-9d0c-3b2a6f4c8e11/",
        "https://skills.example.org/mex/badges/verify/"
        "0f0e4a52-3f31-4b39-9d0c-3b2a6f4c8e11/?lang=fr&source=qr-code-printed",
        "https://é.example/badges/verify/ü/",
    ],
)
def test_image_decodes_to_url(url):
    image = qr_image(url)

    assert [code.text for code in zxingcpp.read_barcodes(image)] == [url]


def test_too_long_data_rejected():
    with pytest.raises(qr.QRCapacityError, match=r"2332 bytes; .* at most 2331"):
        qr.qr_matrix(b"x" * 2332)
