"""The shared check of free text for control and bidirectional characters."""

import pytest
from django.core.exceptions import ValidationError

from mex.validators import (
    remove_rejected_characters,
    validate_multiline_text,
    validate_single_line_text,
)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Care\u202eaide", "Character U+202E at position 5 is a bidirectional"),
        ("\u2066Lakeview\u2069", "Character U+2066 at position 1 is a bidirectional"),
        ("Nurse\u202a", "Character U+202A at position 6 is a bidirectional"),
        ("PSW\x07", "Character U+0007 at position 4 is a control character"),
        ("a\x00b", "Character U+0000 at position 2 is a control character"),
        ("a\x1b[31mb", "Character U+001B at position 2 is a control character"),
        ("a\x85b", "Character U+0085 at position 2 is a control character"),
        ("a\x7fb", "Character U+007F at position 2 is a control character"),
    ],
)
def test_rejected_character_is_named(value, message):
    for validator in (validate_single_line_text, validate_multiline_text):
        with pytest.raises(ValidationError) as raised:
            validator(value)

        assert raised.value.messages[0].startswith(message)


@pytest.mark.parametrize("value", ["one\ntwo", "one\r\ntwo", "one\ttwo"])
def test_single_line_rejects_breaks_and_tabs(value):
    with pytest.raises(ValidationError, match="control character"):
        validate_single_line_text(value)


@pytest.mark.parametrize("value", ["one\ntwo", "one\r\ntwo", "one\ttwo", ""])
def test_multiline_keeps_breaks_and_tabs(value):
    validate_multiline_text(value)


@pytest.mark.parametrize(
    "value", ["Préposée aux bénéficiaires", "مساعد تمريض", "看护", "Zoë\u200dcare"]
)
def test_ordinary_text_passes(value):
    validate_single_line_text(value)
    validate_multiline_text(value)


def test_remove_keeps_only_accepted_characters():
    text = "\u202eCare\x07 aide\r\n\tnights\x1b"

    assert remove_rejected_characters(text) == "Care aidenights"
    assert remove_rejected_characters(text, multiline=True) == "Care aide\r\n\tnights"
