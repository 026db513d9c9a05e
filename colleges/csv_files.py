"""The enrolment CSV: one student's email address per row."""

import csv
import io

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from badges.csv_files import CsvFileError, RowError

# Enrolling a row sends at most one email and locks the course once, so a
# few hundred rows finish well within a request.
MAX_ENROLMENT_ROWS = 500
# The length of Django's EmailField columns, the longest address that fits an
# RFC 5321 path. Django's validate_email lets through up to 320 characters.
EMAIL_MAX_LENGTH = 254
_EMAIL_HEADERS = {"email", "e-mail", "email address", "courriel"}
# Name columns are accepted, so that a class list exported from a student
# system can be uploaded as it is, but only the email is used.
_IGNORED_HEADERS = {"name", "first name", "first_name", "last name", "last_name"}

__all__ = ["MAX_ENROLMENT_ROWS", "CsvFileError", "RowError", "parse_enrolment_csv"]


def parse_enrolment_csv(data: bytes) -> tuple[list[tuple[int, str]], list[RowError]]:
    """Read an enrolment CSV; return (line, email) rows and the bad rows.

    Accepts a UTF-8 byte-order mark, CRLF or LF line ends, ``,`` or ``;``
    delimiters, headers in any case with spaces around them, and blank lines
    anywhere. Checks each email's format and repeats. Raises CsvFileError
    when the file as a whole cannot be read.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CsvFileError(
            _(
                "The file is not UTF-8 text (invalid byte at position "
                '%(position)s): save it as "CSV UTF-8" and upload it again.'
            )
            % {"position": error.start}
        ) from None
    first = next((line for line in text.splitlines() if line.strip()), None)
    if first is None:
        raise CsvFileError(
            _(
                "The file is empty: add a header row named email and one row per "
                "student."
            )
        )
    delimiter = ";" if first.count(";") > first.count(",") else ","

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    email_column: int | None = None
    width = 0
    rows: list[tuple[int, str]] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        if email_column is None:
            email_column = _email_column(cells)
            width = len(cells)
            continue
        line = reader.line_num
        if len(cells) > width:
            errors.append(
                RowError(
                    line,
                    _(
                        "The row has %(cells)s cells but the header has %(width)s: "
                        "quote cells that contain the delimiter."
                    )
                    % {"cells": len(cells), "width": width},
                )
            )
            continue
        raw = cells[email_column].strip() if email_column < len(cells) else ""
        email = raw.lower()
        try:
            validate_email(email)
        except ValidationError:
            message = (
                _("The email cell is empty: enter the student's email address.")
                if not raw
                else _("%(value)r is not a valid email address.") % {"value": raw}
            )
            errors.append(RowError(line, message))
            continue
        if len(email) > EMAIL_MAX_LENGTH:
            errors.append(
                RowError(
                    line,
                    _(
                        "The email address has %(length)s characters: enter one "
                        "of at most %(limit)s."
                    )
                    % {"length": len(email), "limit": EMAIL_MAX_LENGTH},
                )
            )
            continue
        if email in seen:
            errors.append(
                RowError(
                    line,
                    _(
                        "%(email)s is repeated from line %(line)s: list each "
                        "student once."
                    )
                    % {"email": email, "line": seen[email]},
                )
            )
            continue
        seen[email] = line
        rows.append((line, email))

    if not rows and not errors:
        raise CsvFileError(_("The file has a header but no rows: add one per student."))
    if len(rows) + len(errors) > MAX_ENROLMENT_ROWS:
        raise CsvFileError(
            _("The file has %(count)s rows; upload at most %(limit)s at a time.")
            % {"count": len(rows) + len(errors), "limit": MAX_ENROLMENT_ROWS}
        )
    return rows, errors


def _email_column(cells: list[str]) -> int:
    email_column = None
    for index, cell in enumerate(cells):
        name = " ".join(cell.strip().lower().split())
        if name in _EMAIL_HEADERS and email_column is None:
            email_column = index
        elif name not in _IGNORED_HEADERS:
            raise CsvFileError(
                _(
                    "Unknown column %(column)r: the first row must name the "
                    "columns, with one called email (first_name and last_name "
                    "may follow)."
                )
                % {"column": cell.strip()}
            )
    if email_column is None:
        raise CsvFileError(_("The header has no email column: name one column email."))
    return email_column
