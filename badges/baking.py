"""Bake badge metadata into PNG and SVG images and read it back.

A baked PNG carries the metadata in an uncompressed ``iTXt`` chunk whose
keyword is ``openbadges`` (Open Badges 2.0) or ``openbadgecredential``
(Open Badges 3.0), placed before ``IEND``. The chunk layout follows the PNG
specification (ISO/IEC 15948, section 11.3.4.5): keyword, a null byte, the
compression flag and method (both 0 here), an empty language tag and an empty
translated keyword, each ended by a null byte, then the UTF-8 text.

A baked SVG carries it in an ``openbadges:assertion`` (2.0) or
``openbadges:credential`` (3.0) element, in the ``http://openbadges.org``
namespace, as CDATA. SVG is parsed with defusedxml, which rejects entity
expansion and external entities.
"""

import struct
import zlib
from collections.abc import Iterator
from xml.parsers.expat import ExpatError

from defusedxml import DefusedXmlException
from defusedxml import minidom as defused_minidom
from django.utils.translation import gettext as _

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
OB2_KEYWORD = "openbadges"
OB3_KEYWORD = "openbadgecredential"
_TEXT_CHUNK_TYPES = {b"iTXt", b"tEXt", b"zTXt"}
# A baked assertion or VC-JWT is a few kilobytes. This bounds what a
# compressed text chunk of an uploaded image may expand to in memory.
MAX_BAKED_TEXT_BYTES = 1024 * 1024


class BakingError(ValueError):
    """Raised when bytes are not a well-formed PNG or SVG image.

    The message is translated into the active language when raised, because
    the verification page shows it to the person who uploaded the file.
    """


def _chunk_name(chunk_type: bytes) -> str:
    """Return a chunk type as text, escaping bytes that are not ASCII."""
    return chunk_type.decode("ascii", "backslashreplace")


def _chunks(png: bytes) -> Iterator[tuple[bytes, bytes]]:
    """Yield ``(type, data)`` for each chunk, checking lengths and CRCs."""
    if not png.startswith(PNG_SIGNATURE):
        raise BakingError(_("The file is not a PNG image: its signature is missing."))
    offset = len(PNG_SIGNATURE)
    while offset < len(png):
        if offset + 8 > len(png):
            raise BakingError(
                _("The PNG image is truncated at byte %(offset)s.") % {"offset": offset}
            )
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        chunk_type = png[offset + 4 : offset + 8]
        data_end = offset + 8 + length
        if data_end + 4 > len(png):
            raise BakingError(
                _("The PNG chunk %(chunk)s at byte %(offset)s is truncated.")
                % {"chunk": _chunk_name(chunk_type), "offset": offset}
            )
        data = png[offset + 8 : data_end]
        (crc,) = struct.unpack(">I", png[data_end : data_end + 4])
        if zlib.crc32(chunk_type + data) != crc:
            raise BakingError(
                _("The PNG chunk %(chunk)s at byte %(offset)s has a wrong CRC.")
                % {"chunk": _chunk_name(chunk_type), "offset": offset}
            )
        yield chunk_type, data
        offset = data_end + 4
        if chunk_type == b"IEND":
            return
    raise BakingError(_("The PNG image has no IEND chunk."))


def _chunk_bytes(chunk_type: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(chunk_type + data)
    return struct.pack(">I", len(data)) + chunk_type + data + struct.pack(">I", crc)


def _keyword_of(data: bytes) -> bytes:
    return data.split(b"\x00", 1)[0]


def itxt_chunk(keyword: str, text: str) -> bytes:
    """Return a complete uncompressed ``iTXt`` chunk holding ``text``."""
    keyword_bytes = keyword.encode("latin-1")
    if not 1 <= len(keyword_bytes) <= 79:
        raise ValueError(f"iTXt keyword {keyword!r} must be 1 to 79 bytes long.")
    data = (
        keyword_bytes
        + b"\x00"  # end of keyword
        + b"\x00"  # compression flag: uncompressed
        + b"\x00"  # compression method
        + b"\x00"  # empty language tag, ended
        + b"\x00"  # empty translated keyword, ended
        + text.encode("utf-8")
    )
    return _chunk_bytes(b"iTXt", data)


def bake_png(png: bytes, text: str, *, keyword: str = OB2_KEYWORD) -> bytes:
    """Return ``png`` with ``text`` baked in under ``keyword``.

    Any earlier text chunk with the same keyword is removed, so baking twice
    leaves one chunk. The new chunk goes right before ``IEND``.
    """
    keyword_bytes = keyword.encode("latin-1")
    parts = [PNG_SIGNATURE]
    for chunk_type, data in _chunks(png):
        if chunk_type in _TEXT_CHUNK_TYPES and _keyword_of(data) == keyword_bytes:
            continue
        if chunk_type == b"IEND":
            parts.append(itxt_chunk(keyword, text))
        parts.append(_chunk_bytes(chunk_type, data))
    return b"".join(parts)


def unbake_png(png: bytes, *, keyword: str = OB2_KEYWORD) -> str | None:
    """Return the text baked under ``keyword``, or None if there is none.

    Reads ``iTXt`` chunks (compressed or not) and, for older badges, ``tEXt``
    and ``zTXt``. Raises BakingError for a malformed chunk and for compressed
    text that would expand beyond ``MAX_BAKED_TEXT_BYTES``.
    """
    keyword_bytes = keyword.encode("latin-1")
    for chunk_type, data in _chunks(png):
        if chunk_type not in _TEXT_CHUNK_TYPES or _keyword_of(data) != keyword_bytes:
            continue
        rest = data[len(keyword_bytes) + 1 :]
        if chunk_type == b"tEXt":
            return rest.decode("latin-1")
        if chunk_type == b"zTXt":
            return _decompress(rest[1:], chunk_type).decode("latin-1")
        parts = rest[2:].split(b"\x00", 2)
        if len(rest) < 2 or len(parts) != 3:
            raise BakingError(
                _(
                    "The PNG chunk %(chunk)s with keyword %(keyword)s is "
                    "malformed: its language and translated keyword are missing."
                )
                % {"chunk": _chunk_name(chunk_type), "keyword": keyword}
            )
        text = parts[2]
        if rest[0]:
            text = _decompress(text, chunk_type)
        try:
            return text.decode("utf-8")
        except UnicodeDecodeError as error:
            raise BakingError(
                _(
                    "The text of the PNG chunk %(chunk)s is not UTF-8 (invalid "
                    "byte at position %(position)s)."
                )
                % {"chunk": _chunk_name(chunk_type), "position": error.start}
            ) from None
    return None


def _decompress(data: bytes, chunk_type: bytes) -> bytes:
    """Inflate a text chunk, stopping at ``MAX_BAKED_TEXT_BYTES``."""
    inflater = zlib.decompressobj()
    try:
        text = inflater.decompress(data, MAX_BAKED_TEXT_BYTES)
    except zlib.error as error:
        raise BakingError(
            _("The text of the PNG chunk %(chunk)s cannot be decompressed: %(error)s.")
            % {"chunk": _chunk_name(chunk_type), "error": error}
        ) from None
    if inflater.unconsumed_tail:
        raise BakingError(
            _(
                "The text of the PNG chunk %(chunk)s expands to more than "
                "%(limit)s bytes; a badge holds a few kilobytes."
            )
            % {"chunk": _chunk_name(chunk_type), "limit": MAX_BAKED_TEXT_BYTES}
        )
    return text


# --- SVG ----------------------------------------------------------------------

OPENBADGES_NAMESPACE = "http://openbadges.org"
SVG_ELEMENTS = {OB2_KEYWORD: "assertion", OB3_KEYWORD: "credential"}


def _parse_svg(svg: bytes):
    try:
        document = defused_minidom.parseString(svg)
    except (ExpatError, DefusedXmlException) as error:
        raise BakingError(
            _("The file is not a well-formed SVG image: %(error)s.") % {"error": error}
        ) from None
    root = document.documentElement
    if root.localName != "svg":
        raise BakingError(
            _(
                "The file's root element is <%(element)s>, not <svg>: upload an "
                "SVG image."
            )
            % {"element": root.tagName}
        )
    return document, root


def _badge_elements(root, element_name: str):
    for node in list(root.childNodes):
        if node.nodeType != node.ELEMENT_NODE:
            continue
        if node.tagName == f"openbadges:{element_name}" or (
            node.namespaceURI == OPENBADGES_NAMESPACE and node.localName == element_name
        ):
            yield node


def _cdata_sections(document, text: str):
    """Split ``text`` into CDATA sections, since none may contain ``]]>``."""
    pieces = text.split("]]>")
    for position, piece in enumerate(pieces):
        if position < len(pieces) - 1:
            piece += "]]"
        if position > 0:
            piece = ">" + piece
        yield document.createCDATASection(piece)


def bake_svg(
    svg: bytes, text: str, *, keyword: str = OB2_KEYWORD, verify: str | None = None
) -> bytes:
    """Return ``svg`` with ``text`` in an ``openbadges:assertion`` element.

    ``keyword`` ``openbadgecredential`` writes ``openbadges:credential``, the
    Open Badges 3.0 element. The element is the first child of the root and
    replaces an earlier one of the same name; ``verify`` sets its ``verify``
    attribute, the hosted assertion URL for Open Badges 2.0.
    """
    document, root = _parse_svg(svg)
    element_name = SVG_ELEMENTS[keyword]
    for old in _badge_elements(root, element_name):
        root.removeChild(old)

    root.setAttribute("xmlns:openbadges", OPENBADGES_NAMESPACE)
    element = document.createElement(f"openbadges:{element_name}")
    if verify:
        element.setAttribute("verify", verify)
    for section in _cdata_sections(document, text):
        element.appendChild(section)
    root.insertBefore(element, root.firstChild)
    return document.toxml(encoding="utf-8")


def unbake_svg(svg: bytes, *, keyword: str = OB2_KEYWORD) -> str | None:
    """Return the text baked into an SVG under ``keyword``, or None."""
    _document, root = _parse_svg(svg)
    for element in _badge_elements(root, SVG_ELEMENTS[keyword]):
        text = "".join(
            child.data
            for child in element.childNodes
            if child.nodeType in (child.TEXT_NODE, child.CDATA_SECTION_NODE)
        ).strip()
        return text or element.getAttribute("verify") or None
    return None


def unbake(data: bytes, *, keyword: str = OB2_KEYWORD) -> str | None:
    """Return the text baked into a PNG or SVG image, or None."""
    if data.startswith(PNG_SIGNATURE):
        return unbake_png(data, keyword=keyword)
    if b"<svg" in data[:4096]:
        return unbake_svg(data, keyword=keyword)
    raise BakingError(
        _(
            "The file is neither a PNG nor an SVG image: upload the badge image "
            "as MEX or your wallet provided it."
        )
    )
