import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from badges.design import clean_design_image
from badges.forms import BadgeDesignForm
from badges.services import (
    badge_class_design_update,
    badge_class_for_course,
    badge_issue,
)
from tests.badges.helpers import decode_qr, stored_png
from tests.colleges.factories import CompletedEnrolmentFactory, CourseFactory


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data)
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def _bomb_png(side: int = 40000) -> bytes:
    """Return a tiny PNG file whose header claims side x side pixels."""
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _chunk(b"IEND", b"")
    )


def _png_with_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "private note")
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "teal").save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


def test_emblem_is_reencoded_without_metadata():
    cleaned = clean_design_image(_png_with_text())

    assert cleaned.startswith(b"\x89PNG")
    assert b"private note" not in cleaned


def test_large_emblem_is_shrunk():
    buffer = io.BytesIO()
    Image.new("RGB", (1500, 900), "teal").save(buffer, format="JPEG")

    cleaned = clean_design_image(buffer.getvalue())

    assert max(Image.open(io.BytesIO(cleaned)).size) == 512


def test_decompression_bomb_rejected():
    with pytest.raises(ValidationError, match="too many pixels"):
        clean_design_image(_bomb_png())


def test_image_over_pixel_limit_rejected():
    with pytest.raises(ValidationError, match="5000x5000 pixels"):
        clean_design_image(_bomb_png(side=5000))


def test_non_image_rejected():
    with pytest.raises(ValidationError, match="not a readable image"):
        clean_design_image(b"<svg xmlns='http://www.w3.org/2000/svg'/>")


def test_other_format_rejected():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, format="BMP")

    with pytest.raises(ValidationError, match="BMP image"):
        clean_design_image(buffer.getvalue())


def test_oversized_file_rejected(settings):
    settings.MEX_BADGE_IMAGE_MAX_BYTES = 100

    with pytest.raises(ValidationError, match="at most 100"):
        clean_design_image(_png_with_text())


def test_form_reports_bomb_as_field_error():
    upload = SimpleUploadedFile("bomb.png", _bomb_png(), content_type="image/png")

    form = BadgeDesignForm({"primary_colour": "#0f766e"}, {"image": upload})

    assert not form.is_valid()
    assert "pixels" in form.errors["image"][0]


def test_form_rejects_bad_colour():
    form = BadgeDesignForm({"primary_colour": "teal"})

    assert not form.is_valid()
    assert form.errors["primary_colour"] == [
        'Colour "teal" is invalid: enter # and six hex digits, such as #1d4ed8.'
    ]


@pytest.mark.django_db
def test_badge_class_names_bad_colour():
    badge_class = badge_class_for_course(course_id=CourseFactory().pk)
    badge_class.primary_colour = "blue"

    with pytest.raises(ValidationError) as raised:
        badge_class.full_clean()

    assert raised.value.message_dict["primary_colour"] == [
        'Colour "blue" is invalid: enter # and six hex digits, such as #1d4ed8.'
    ]


@pytest.mark.django_db
def test_design_applies_to_new_badges():
    # given
    course = CourseFactory(title="Soins palliatifs — Ωμέγα")
    badge_class = badge_class_for_course(course_id=course.pk)

    # when
    badge_class_design_update(
        badge_class_id=badge_class.pk,
        primary_colour="#fde047",
        tagline="Ontario micro-credential",
        image=_png_with_text(),
    )
    assertion = badge_issue(enrolment_id=CompletedEnrolmentFactory(course=course).pk)

    # then
    badge_class.refresh_from_db()
    assert badge_class.design_image
    assert decode_qr(stored_png(assertion)) == [
        f"http://testserver/badges/verify/{assertion.public_id}/"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("icon", ["star", "heart", "cross", "check"])
def test_icons_draw(client, icon):
    badge_class = badge_class_for_course(course_id=CourseFactory().pk)
    badge_class_design_update(
        badge_class_id=badge_class.pk, primary_colour="#1d4ed8", icon=icon
    )

    response = client.get(f"/badges/classes/{badge_class.public_id}/image.png")

    assert response.content.startswith(b"\x89PNG")
