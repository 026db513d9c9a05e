import io
import json

import pytest
from defusedxml import ElementTree
from openbadges_bakery import unbake as bakery_unbake

from badges.baking import (
    OB3_KEYWORD,
    BakingError,
    bake_svg,
    unbake,
    unbake_svg,
)
from badges.services import badge_issue
from tests.colleges.factories import CompletedEnrolmentFactory

PLAIN_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'


def test_svg_round_trip():
    baked = bake_svg(PLAIN_SVG, '{"id":"https://example.org/a"}')

    assert unbake_svg(baked) == '{"id":"https://example.org/a"}'


def test_svg_unicode_survives_byte_for_byte():
    text = '{"name":"Zoë Ñandú 山田 — Ωμέγα 🎓"}'

    baked = bake_svg(PLAIN_SVG, text)

    assert unbake_svg(baked).encode("utf-8") == text.encode("utf-8")


def test_svg_text_with_cdata_end_survives():
    text = '{"narrative":"a ]]> b ]]>"}'

    baked = bake_svg(PLAIN_SVG, text)

    assert unbake_svg(baked) == text


def test_svg_bake_replaces_earlier_element():
    once = bake_svg(PLAIN_SVG, "first")

    twice = bake_svg(once, "second")

    assert twice.count(b"<openbadges:assertion") == 1
    assert unbake_svg(twice) == "second"


def test_svg_keeps_both_versions():
    baked = bake_svg(PLAIN_SVG, '{"v":2}')
    baked = bake_svg(baked, "a.b.c", keyword=OB3_KEYWORD)

    assert unbake_svg(baked) == '{"v":2}'
    assert unbake_svg(baked, keyword=OB3_KEYWORD) == "a.b.c"


def test_independent_bakery_reads_svg_cdata():
    text = '{"id":"https://example.org/a","name":"Zoë"}'

    baked = bake_svg(PLAIN_SVG, text)

    assert bakery_unbake(io.BytesIO(baked)) == text


def test_independent_bakery_reads_verify_url():
    text = '{"id":"https://example.org/a","name":"Zoë"}'

    baked = bake_svg(PLAIN_SVG, text, verify="https://example.org/a")

    assert bakery_unbake(io.BytesIO(baked)) == "https://example.org/a"


def test_svg_entity_expansion_rejected():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;">]><svg>&b;</svg>'
    )

    with pytest.raises(BakingError, match="not a well-formed SVG"):
        unbake_svg(bomb)


def test_non_svg_xml_rejected():
    with pytest.raises(BakingError, match="not <svg>"):
        unbake_svg(b"<html/>")


def test_unbake_rejects_other_files():
    with pytest.raises(BakingError, match="neither a PNG nor an SVG"):
        unbake(b"%PDF-1.7")


@pytest.mark.django_db
def test_badge_svg_download_is_baked(client):
    assertion = badge_issue(enrolment_id=CompletedEnrolmentFactory().pk)

    response = client.get(f"/badges/assertions/{assertion.public_id}/badge.svg")

    hosted = client.get(f"/badges/assertions/{assertion.public_id}/").json()
    assert json.loads(unbake(response.content)) == hosted
    assert unbake(response.content, keyword=OB3_KEYWORD) == assertion.credential_jwt


@pytest.mark.django_db
def test_badge_svg_drops_control_characters(client):
    # given: names that XML 1.0 cannot contain, stored before the course and
    # organization forms rejected control characters
    enrolment = CompletedEnrolmentFactory(
        course__title="Dementia\x0b Care\x1b[31m",
        course__college__name="North\x07bridge College",
    )
    assertion = badge_issue(enrolment_id=enrolment.pk)

    # when
    response = client.get(f"/badges/assertions/{assertion.public_id}/badge.svg")

    # then
    root = ElementTree.fromstring(response.content)
    texts = [element.text for element in root.iter("{http://www.w3.org/2000/svg}text")]
    assert response.status_code == 200
    assert "Dementia Care[31m" in texts
    assert "Northbridge College" in texts
