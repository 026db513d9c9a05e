"""Form fields that every app's forms share."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The largest value of a bigint primary key (DEFAULT_AUTO_FIELD).
MAX_ID = 2**63 - 1

# Django's own EmailField message, "Enter a valid email address.", omits the value.
INVALID_EMAIL_MESSAGE = _(
    "%(value)s is not a valid email address: enter one such as name@example.org."
)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A choice of rows by primary key that rejects ids no row can have.

    Django passes each submitted id to the database, and SQLite raises
    OverflowError for an integer beyond 64 bits. Such an id gets the field's
    ``invalid_choice`` error instead, like any id that names no row.
    """

    def _check_values(self, value):
        for pk in value:
            if _beyond_bigint(pk):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


def _beyond_bigint(value) -> bool:
    try:
        number = int(str(value).strip())
    except ValueError:
        return False
    return not -MAX_ID - 1 <= number <= MAX_ID
