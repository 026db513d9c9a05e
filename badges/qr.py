"""Build QR code module matrices with numpy, for byte data at level M.

The layout follows ISO/IEC 18004:2015: one byte-mode segment, error
correction level M and the fixed mask pattern 0 (dark where row + column is
even). The spec's tables come from the qrcode package: the block structure
(``qrcode.base.rs_blocks``), the alignment pattern centres and the BCH codes
of the format and version information. Everything that depends only on the
version (the function patterns, the order in which data modules are filled
and the mask) is computed once per version, so a code costs its Reed-Solomon
remainders and one numpy assignment. For the same data this gives the same
matrix as ``qrcode.QRCode`` with ``mask_pattern=0`` and a byte-mode segment.
"""

from dataclasses import dataclass
from functools import cache

import numpy as np
from qrcode.base import rs_blocks
from qrcode.constants import ERROR_CORRECT_M
from qrcode.util import BCH_type_info, BCH_type_number, pattern_position

MAX_VERSION = 40
BYTE_MODE = 0b0100
# The format information encodes level M as 00 and mask pattern 0 as 000.
FORMAT_DATA = 0b00_000
PAD_CODEWORDS = (0xEC, 0x11)


class QRCapacityError(ValueError):
    """Raised when data is longer than a version 40 code at level M can contain."""


# --- Reed-Solomon over GF(256), reduced by x^8 + x^4 + x^3 + x^2 + 1 ----------


def _galois_tables() -> tuple[list[int], list[int]]:
    exponent, logarithm = [0] * 512, [0] * 256
    value = 1
    for power in range(255):
        exponent[power] = value
        logarithm[value] = power
        value <<= 1
        if value & 0x100:
            value ^= 0x11D
    # A second period lets products index the table without a modulo.
    for power in range(255, 512):
        exponent[power] = exponent[power - 255]
    return exponent, logarithm


_EXP, _LOG = _galois_tables()


@cache
def _generator_products(degree: int) -> list[int]:
    """Return, for each byte f, f times the generator as one big integer.

    The generator is the product of (x - 2^i) for i < ``degree``; its
    leading coefficient 1 is dropped, so each product has ``degree`` bytes.
    """
    generator = [1]
    for power in range(degree):
        product = [*generator, 0]
        for index, coefficient in enumerate(generator):
            if coefficient:
                product[index + 1] ^= _EXP[_LOG[coefficient] + power]
        generator = product
    products = [0]
    for factor in range(1, 256):
        value = 0
        for coefficient in generator[1:]:
            term = _EXP[_LOG[coefficient] + _LOG[factor]] if coefficient else 0
            value = (value << 8) | term
        products.append(value)
    return products


def _error_correction(data: bytes, degree: int) -> bytes:
    """Return the ``degree`` Reed-Solomon codewords of one block."""
    products = _generator_products(degree)
    mask = (1 << (8 * degree)) - 1
    shift = 8 * (degree - 1)
    remainder = 0
    for byte in data:
        factor = (remainder >> shift) ^ byte
        remainder = ((remainder << 8) & mask) ^ products[factor]
    return remainder.to_bytes(degree, "big")


# --- Codewords ---------------------------------------------------------------


def _count_bits(version: int) -> int:
    return 8 if version < 10 else 16


@cache
def _data_capacity(version: int) -> int:
    return sum(block.data_count for block in rs_blocks(version, ERROR_CORRECT_M))


def _version_for(length: int) -> int:
    for version in range(1, MAX_VERSION + 1):
        needed = 4 + _count_bits(version) + 8 * length
        if needed <= 8 * _data_capacity(version):
            return version
    raise QRCapacityError(
        f"The data is {length} bytes; a QR code at level M can contain at most "
        f"{_data_capacity(MAX_VERSION) - 3} bytes: shorten it."
    )


def _codewords(data: bytes, version: int) -> bytes:
    """Return the interleaved data and error correction codewords."""
    capacity = _data_capacity(version)
    count_bits = _count_bits(version)
    bits = (BYTE_MODE << count_bits) | len(data)
    bits = (bits << (8 * len(data))) | int.from_bytes(data, "big")
    length = 4 + count_bits + 8 * len(data)
    # A terminator of up to four zero bits, then zeros to a whole byte.
    terminator = min(4, 8 * capacity - length)
    length += terminator
    padding = -length % 8
    bits <<= terminator + padding
    length += padding
    stream = bytearray(bits.to_bytes(length // 8, "big"))
    for index in range(capacity - len(stream)):
        stream.append(PAD_CODEWORDS[index % 2])

    blocks, corrections = [], []
    offset = 0
    for block in rs_blocks(version, ERROR_CORRECT_M):
        chunk = bytes(stream[offset : offset + block.data_count])
        offset += block.data_count
        blocks.append(chunk)
        corrections.append(
            _error_correction(chunk, block.total_count - block.data_count)
        )
    interleaved = bytearray()
    for group in (blocks, corrections):
        for index in range(max(len(block) for block in group)):
            interleaved.extend(block[index] for block in group if index < len(block))
    return bytes(interleaved)


# --- Matrix layout -----------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    """Function patterns, fill order and mask of one version, shared by its codes."""

    # Dark modules of the function patterns and format and version information.
    template: np.ndarray
    # Rows and columns of the data modules, in the order they are filled.
    rows: np.ndarray
    columns: np.ndarray
    # 1 where mask pattern 0 inverts the data module, in the same order.
    mask: np.ndarray


def _place_finder(dark, function, top: int, left: int) -> None:
    size = len(dark)
    for row in range(top - 1, top + 8):
        for column in range(left - 1, left + 8):
            if not (0 <= row < size and 0 <= column < size):
                continue
            ring = max(abs(row - top - 3), abs(column - left - 3))
            # Rings 0 and 1 (the centre) and ring 3 are dark. Ring 2 and
            # ring 4, the separator, are light.
            dark[row, column] = ring in (0, 1, 3)
            function[row, column] = True


def _place_alignment(dark, function, centre_row: int, centre_column: int) -> None:
    for row in range(centre_row - 2, centre_row + 3):
        for column in range(centre_column - 2, centre_column + 3):
            ring = max(abs(row - centre_row), abs(column - centre_column))
            dark[row, column] = ring != 1
            function[row, column] = True


def _place_information(dark, function, version: int) -> None:
    size = len(dark)
    bits = BCH_type_info(FORMAT_DATA)
    for index in range(15):
        bit = (bits >> index) & 1
        # First copy, around the top left finder pattern.
        if index < 6:
            first = (index, 8)
        elif index < 8:
            first = (index + 1, 8)
        elif index == 8:
            first = (8, 7)
        else:
            first = (8, 14 - index)
        # Second copy, split between the bottom left and top right patterns.
        second = (8, size - 1 - index) if index < 8 else (size - 15 + index, 8)
        for row, column in (first, second):
            dark[row, column] = bit
            function[row, column] = True
    # The module above the bottom left format bits is always dark.
    dark[size - 8, 8] = True
    function[size - 8, 8] = True

    if version >= 7:
        bits = BCH_type_number(version)
        for index in range(18):
            near, far = index // 3, size - 11 + index % 3
            for row, column in ((near, far), (far, near)):
                dark[row, column] = (bits >> index) & 1
                function[row, column] = True


@cache
def _layout(version: int) -> _Layout:
    size = 17 + 4 * version
    dark = np.zeros((size, size), dtype=bool)
    function = np.zeros((size, size), dtype=bool)

    for top, left in ((0, 0), (0, size - 7), (size - 7, 0)):
        _place_finder(dark, function, top, left)
    centres = pattern_position(version)
    for centre_row in centres:
        for centre_column in centres:
            # Alignment patterns that would overlap a finder pattern are left out.
            if not function[centre_row, centre_column]:
                _place_alignment(dark, function, centre_row, centre_column)
    for index in range(8, size - 8):
        dark[6, index] = dark[index, 6] = index % 2 == 0
        function[6, index] = function[index, 6] = True
    _place_information(dark, function, version)

    # Data fills column pairs from the right edge, upwards then downwards in
    # turn, the right column of a pair first. Column 6, the vertical timing
    # pattern, is skipped.
    order = []
    upwards = True
    right = size - 1
    while right > 0:
        if right == 6:
            right -= 1
        row_order = range(size - 1, -1, -1) if upwards else range(size)
        for row in row_order:
            for column in (right, right - 1):
                if not function[row, column]:
                    order.append((row, column))
        upwards = not upwards
        right -= 2
    rows = np.array([row for row, _ in order], dtype=np.intp)
    columns = np.array([column for _, column in order], dtype=np.intp)
    mask = ((rows + columns) % 2 == 0).astype(np.uint8)
    return _Layout(template=dark, rows=rows, columns=columns, mask=mask)


def qr_matrix(data: bytes) -> np.ndarray:
    """Return the modules of the QR code of ``data``, True where dark.

    Raises QRCapacityError when ``data`` does not fit a version 40 code.
    """
    version = _version_for(len(data))
    layout = _layout(version)
    bits = np.unpackbits(np.frombuffer(_codewords(data, version), dtype=np.uint8))
    # Modules left after the last codeword carry zero bits (remainder bits).
    values = np.zeros(len(layout.rows), dtype=np.uint8)
    values[: len(bits)] = bits
    matrix = layout.template.copy()
    matrix[layout.rows, layout.columns] = (values ^ layout.mask).astype(bool)
    return matrix
