"""The search form of the public course catalogue, read from the query string.

Every field is optional. A value the form cannot use is an error that names
the value, so a mistyped or outdated link gets a message instead of a list
that silently ignores part of the search.
"""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from colleges.catalogue import CatalogueFilters, catalogue_colleges, catalogue_skills
from colleges.forms import MAX_COURSE_HOURS
from colleges.models import Course
from matching.models import SkillLevel

MAX_SEARCH_LENGTH = 100
# The maximum of a bigint primary key. A larger id names no row, so the form
# rejects it before any query.
MAX_ID = 2**63 - 1

SORT_CHOICES = [
    ("title", _("Title")),
    ("hours", _("Shortest first")),
    ("price", _("Lowest price first")),
    ("start", _("Soonest start first")),
]


def is_ascii_digits(text: str) -> bool:
    """Return whether ``text`` is one or more of the ASCII digits 0 to 9.

    ``str.isdigit`` alone accepts characters such as "²" that ``int`` rejects.
    """
    return text.isascii() and text.isdigit()


def ascii_digits_value(text: str, *, limit: int) -> int | None:
    """Return the ASCII digits ``text`` as an int, or None when it is above ``limit``.

    A number with more digits than ``limit`` is above it without conversion,
    because ``int`` raises ValueError on text of more than 4,300 digits, the
    default of ``sys.get_int_max_str_digits()``.
    """
    significant = text.lstrip("0") or "0"
    if len(significant) > len(str(limit)):
        return None
    number = int(significant)
    if number > limit:
        return None
    return number


def format_error_value(value) -> str:
    """Return a query parameter value as an error message should show it.

    Printable text is shown as it is. Text with a character that
    ``str.isprintable`` rejects, such as NUL, a line break, an escape or a
    right-to-left override, is shown the way Python's ``repr`` shows it
    (``'a\\x00b'``), so the reader sees every character that was sent.
    """
    text = str(value)
    if text.isprintable():
        return text
    return repr(text)


class CatalogueChoiceField(forms.ModelChoiceField):
    """A choice of one row by id.

    A value that is not a number and an id that names no row of the choices
    get different errors.
    """

    default_error_messages = {
        "invalid_id": _("%(value)s is not an id: choose an entry from the list."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if not is_ascii_digits(text) or ascii_digits_value(text, limit=MAX_ID) is None:
            raise ValidationError(
                self.error_messages["invalid_id"],
                code="invalid_id",
                params={"value": value},
            )
        return super().to_python(text)


class WholeNumberField(forms.IntegerField):
    """A whole number written with the ASCII digits 0 to 9, after an optional "-".

    ``int``, and so Django's ``IntegerField``, also reads the digits of other
    scripts (full-width or Arabic-Indic ones), underscores ("1_2"), a "+" and
    a trailing ".0". This field rejects them, naming the value. Digits of
    another script get their own error, which spells the number in ASCII
    digits. Both bounds are required, so a number too long to convert gets
    the error of the bound it passes.
    """

    default_error_messages = {
        "non_ascii_digits": _(
            "%(value)s is not written with the digits 0 to 9: write it as %(ascii)s."
        ),
    }

    def __init__(self, *, min_value: int, max_value: int, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        negative = text.startswith("-")
        digits = text.removeprefix("-")
        if not digits.isdecimal():
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            )
        ascii_digits = "".join(str(unicodedata.decimal(char)) for char in digits)
        magnitude = ascii_digits_value(ascii_digits, limit=MAX_ID)
        if magnitude is None:
            code = "min_value" if negative else "max_value"
            bound = self.min_value if negative else self.max_value
            raise ValidationError(
                self.error_messages[code],
                code=code,
                params={"value": value, "limit_value": bound},
            )
        number = -magnitude if negative else magnitude
        if ascii_digits != digits:
            raise ValidationError(
                self.error_messages["non_ascii_digits"],
                code="non_ascii_digits",
                params={"value": value, "ascii": number},
            )
        return number


class StrippedTypedChoiceField(forms.TypedChoiceField):
    """A typed choice that ignores spaces around the value, as the id fields do.

    A link such as ``?level=+4`` sends " 4", which would otherwise get
    "Level 4 does not exist" although 4 is one of the choices.
    """

    def to_python(self, value):
        return super().to_python(value).strip()


class FlagField(forms.BooleanField):
    """A yes-or-no query parameter that rejects any other value, naming it.

    Django's checkbox reads every text but "false" as checked, so
    ``free=0`` or ``free=maybe`` would silently list only free courses.
    """

    TRUE_VALUES = frozenset({"on", "true", "1", "yes"})
    FALSE_VALUES = frozenset({"", "off", "false", "0", "no"})

    def __init__(self, **kwargs):
        super().__init__(widget=_RawCheckboxInput, **kwargs)

    def to_python(self, value):
        if isinstance(value, bool) or value is None:
            return bool(value)
        text = str(value).strip().lower()
        if text in self.TRUE_VALUES:
            return True
        if text in self.FALSE_VALUES:
            return False
        raise ValidationError(
            self.error_messages["invalid"], code="invalid", params={"value": value}
        )


def _is_checked(value) -> bool:
    if isinstance(value, bool) or value is None:
        return bool(value)
    return str(value).strip().lower() in FlagField.TRUE_VALUES


class _RawCheckboxInput(forms.CheckboxInput):
    """A checkbox that passes the submitted text on for ``FlagField`` to check."""

    def __init__(self, attrs=None):
        super().__init__(attrs, check_test=_is_checked)

    def value_from_datadict(self, data, files, name):
        return data.get(name)


class CatalogueSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Keywords"),
        required=False,
        max_length=MAX_SEARCH_LENGTH,
        error_messages={
            "max_length": _(
                "The keywords are %(show_value)d characters long; use at most "
                "%(limit_value)d."
            ),
            "null_characters_not_allowed": _(
                "The keywords %(value)s contain a NUL character: remove it and "
                "search again."
            ),
        },
        widget=forms.TextInput(
            attrs={"placeholder": _("Title, skill, college or description")}
        ),
    )
    skill = CatalogueChoiceField(
        label=_("Skill taught"),
        queryset=catalogue_skills(),
        required=False,
        empty_label=_("Any skill"),
        error_messages={
            "invalid_id": _(
                "Skill %(value)s is not a skill id: choose a skill from the list."
            ),
            "invalid_choice": _(
                "No course in the catalogue teaches a skill with id %(value)s: "
                "choose a skill from the list."
            ),
        },
    )
    level = StrippedTypedChoiceField(
        label=_("Level reached"),
        choices=[("", _("Any level")), *SkillLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("The level a graduate reaches in the skill."),
        error_messages={
            "invalid_choice": _(
                "Level %(value)s does not exist: choose a level from 1 to 5."
            ),
        },
    )
    college = CatalogueChoiceField(
        label=_("College"),
        queryset=catalogue_colleges(),
        required=False,
        empty_label=_("Any college"),
        error_messages={
            "invalid_id": _(
                "College %(value)s is not a college id: choose a college from the list."
            ),
            "invalid_choice": _(
                "No college with id %(value)s has courses in the catalogue: "
                "choose a college from the list."
            ),
        },
    )
    delivery = forms.ChoiceField(
        label=_("Delivery"),
        choices=[("", _("Any delivery")), *Course.Delivery.choices],
        required=False,
        error_messages={
            "invalid_choice": _(
                "Delivery %(value)s does not exist: choose online, in_person or "
                "on_the_job."
            ),
        },
    )
    max_hours = WholeNumberField(
        label=_("At most (hours)"),
        required=False,
        min_value=1,
        max_value=MAX_COURSE_HOURS,
        error_messages={
            "invalid": _(
                "Hours %(value)s is not a whole number: enter the longest course "
                "you want, in hours."
            ),
            "non_ascii_digits": _(
                "Hours %(value)s is not written with the digits 0 to 9: enter "
                "%(ascii)s."
            ),
            "min_value": _(
                "Hours %(value)s is too few: enter %(limit_value)s or more."
            ),
            "max_value": _(
                "Hours %(value)s is more than any course on MEX takes: enter at "
                "most %(limit_value)s."
            ),
        },
    )
    free = FlagField(
        label=_("Free courses only"),
        required=False,
        error_messages={
            "invalid": _(
                "Free %(value)s is neither yes nor no: use on for free courses "
                "only, or leave it out."
            ),
        },
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=SORT_CHOICES,
        required=False,
        error_messages={
            "invalid_choice": _(
                "Sort order %(value)s does not exist: choose title, hours, price "
                "or start."
            ),
        },
    )

    def add_error(self, field, error):
        """Record ``error``, showing the value it names with ``format_error_value``."""
        if isinstance(error, ValidationError) and not hasattr(error, "error_dict"):
            for item in error.error_list:
                if item.params and "value" in item.params:
                    item.params = {
                        **item.params,
                        "value": format_error_value(item.params["value"]),
                    }
        super().add_error(field, error)

    def filters(self) -> CatalogueFilters:
        """Return the search of a valid form as catalogue filters."""
        data = self.cleaned_data
        skill = data["skill"]
        college = data["college"]
        return CatalogueFilters(
            text=data["q"],
            skill_id=skill.pk if skill else None,
            min_level=data["level"],
            college_id=college.pk if college else None,
            delivery=data["delivery"],
            max_hours=data["max_hours"],
            free_only=data["free"],
            order=data["sort"] or "title",
        )
