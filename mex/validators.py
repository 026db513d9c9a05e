"""Validators that every app's models and forms share."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Bidirectional embedding, override and isolate characters (U+202A to U+202E,
# U+2066 to U+2069). They change the order in which the text around them is
# displayed, so a name or reason can read differently from what it stores.
BIDI_FORMATTING_CHARACTERS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# A textarea sends its line breaks as CR LF.
MULTILINE_WHITESPACE = frozenset("\t\n\r")


@deconstructible
class PlainTextValidator:
    """Reject control and bidirectional formatting characters in free text.

    Control characters are Unicode category Cc (U+0000 to U+001F and U+007F
    to U+009F). With ``multiline`` the tab, line feed and carriage return
    are allowed. The error names the first rejected character and its
    position, counted from 1 in the text as validated.
    """

    def __init__(self, *, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, value: str) -> None:
        for position, character in enumerate(str(value), start=1):
            if not _is_rejected(character, multiline=self.multiline):
                continue
            params = {"code": f"U+{ord(character):04X}", "position": position}
            if unicodedata.category(character) == "Cc":
                raise ValidationError(
                    _(
                        "Character %(code)s at position %(position)s is a control "
                        "character: remove it."
                    ),
                    code="control_character",
                    params=params,
                )
            if character in BIDI_FORMATTING_CHARACTERS:
                raise ValidationError(
                    _(
                        "Character %(code)s at position %(position)s is a "
                        "bidirectional formatting character, which can make the "
                        "text display in another order: remove it."
                    ),
                    code="bidi_character",
                    params=params,
                )

    def __eq__(self, other) -> bool:
        return (
            isinstance(other, PlainTextValidator) and self.multiline == other.multiline
        )


validate_single_line_text = PlainTextValidator()
validate_multiline_text = PlainTextValidator(multiline=True)


def remove_rejected_characters(value: str, *, multiline: bool = False) -> str:
    """Return ``value`` without the characters PlainTextValidator rejects.

    For copying text stored before the validator existed into a new row that
    the validator checks.
    """
    return "".join(
        character
        for character in value
        if not _is_rejected(character, multiline=multiline)
    )


def _is_rejected(character: str, *, multiline: bool) -> bool:
    if multiline and character in MULTILINE_WHITESPACE:
        return False
    return (
        unicodedata.category(character) == "Cc"
        or character in BIDI_FORMATTING_CHARACTERS
    )
