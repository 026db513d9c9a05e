"""CSV files of badges: the issued-badge export and the bulk-award upload."""

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _

from badges.identity import normalise_email

# A bulk award draws, signs and logs one badge per row inside one request.
# A 100-row award took about 75 ms per badge on a 2-core AMD EPYC with
# PostgreSQL, so 200 rows take about 15 s, well inside a request timeout.
MAX_AWARD_ROWS = 200
MAX_NARRATIVE_LENGTH = 2000
# The length of Assertion.evidence_url, a URLField. URLValidator alone lets
# through addresses of up to 2048 characters.
MAX_EVIDENCE_URL_LENGTH = 200
AWARD_COLUMNS = ("email", "evidence_url", "narrative")
_HEADER_ALIASES = {
    "email": "email",
    "e-mail": "email",
    "email address": "email",
    "evidence url": "evidence_url",
    "evidence_url": "evidence_url",
    "evidence": "evidence_url",
    "narrative": "narrative",
}
# Spreadsheets run cells that start with these characters as formulas.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class AwardRow:
    line: int
    email: str
    evidence_url: str
    narrative: str


@dataclass(frozen=True)
class RowError:
    line: int
    message: str


class CsvFileError(ValueError):
    """Raised when a whole file cannot be read as a bulk-award CSV."""


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CsvFileError(
            _(
                "The file is not UTF-8 text (invalid byte at position "
                '%(position)s): save it as "CSV UTF-8" and upload it again.'
            )
            % {"position": error.start}
        ) from None


def _delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def parse_award_csv(data: bytes) -> tuple[list[AwardRow], list[RowError]]:
    """Read a bulk-award CSV; return its rows and the errors found in them.

    Accepts a UTF-8 byte-order mark, CRLF or LF line ends, ``,`` or ``;``
    delimiters, headers in any case with spaces around them, and blank lines.
    Checks each row's email format, evidence URL and narrative length, and
    repeated emails. Whether a row's person can receive the badge is
    checked by the service.
    """
    text = _decode(data)
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), None)
    if first is None:
        raise CsvFileError("The file is empty: add a header row and one row per badge.")

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first))
    header: list[str] | None = None
    rows: list[AwardRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        if header is None:
            header = _read_header(cells)
            continue
        row, error = _read_row(reader.line_num, cells, header)
        if error is not None:
            errors.append(error)
            continue
        if row.email in seen:
            errors.append(
                RowError(
                    row.line,
                    _(
                        "%(email)s is repeated from line %(line)s: list each "
                        "person once."
                    )
                    % {"email": row.email, "line": seen[row.email]},
                )
            )
            continue
        seen[row.email] = row.line
        rows.append(row)

    if not rows and not errors:
        raise CsvFileError(
            _("The file has a header but no rows: add one row per badge.")
        )
    if len(rows) + len(errors) > MAX_AWARD_ROWS:
        raise CsvFileError(
            _("The file has %(count)s rows; upload at most %(limit)s at a time.")
            % {"count": len(rows) + len(errors), "limit": MAX_AWARD_ROWS}
        )
    return rows, errors


def _read_header(cells: list[str]) -> list[str]:
    header = []
    for cell in cells:
        name = " ".join(cell.strip().lower().split())
        if name not in _HEADER_ALIASES:
            raise CsvFileError(
                _(
                    "Unknown column %(column)r: use the columns email, "
                    "evidence_url and narrative."
                )
                % {"column": cell.strip()}
            )
        header.append(_HEADER_ALIASES[name])
    if "email" not in header:
        raise CsvFileError(_("The header has no email column: name one column email."))
    return header


def _read_row(
    line: int, cells: list[str], header: list[str]
) -> tuple[AwardRow | None, RowError | None]:
    if len(cells) > len(header):
        return None, RowError(
            line,
            _(
                "The row has %(cells)s cells but the header has %(width)s: "
                "quote cells that contain the delimiter."
            )
            % {"cells": len(cells), "width": len(header)},
        )
    values = dict.fromkeys(AWARD_COLUMNS, "")
    for name, cell in zip(header, cells, strict=False):
        values[name] = cell.strip()

    email = normalise_email(values["email"])
    try:
        validate_email(email)
    except ValidationError:
        return None, RowError(
            line,
            _("%(value)r is not a valid email address.") % {"value": values["email"]},
        )
    evidence_url = values["evidence_url"]
    if len(evidence_url) > MAX_EVIDENCE_URL_LENGTH:
        return None, RowError(
            line,
            _(
                "The evidence URL has %(length)s characters; use one of at most "
                "%(limit)s, such as a shortened link."
            )
            % {"length": len(evidence_url), "limit": MAX_EVIDENCE_URL_LENGTH},
        )
    if evidence_url:
        try:
            URLValidator(schemes=["http", "https"])(evidence_url)
        except ValidationError:
            return None, RowError(
                line,
                _(
                    "%(value)r is not a valid evidence URL: use a full http:// "
                    "or https:// address, or leave it empty."
                )
                % {"value": evidence_url},
            )
    narrative = values["narrative"]
    if len(narrative) > MAX_NARRATIVE_LENGTH:
        return None, RowError(
            line,
            _("The narrative has %(length)s characters; shorten it to %(limit)s.")
            % {"length": len(narrative), "limit": MAX_NARRATIVE_LENGTH},
        )
    row = AwardRow(
        line=line, email=email, evidence_url=evidence_url, narrative=narrative
    )
    return row, None


def _safe_cell(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_PREFIXES):
        return "'" + text
    return text


EXPORT_COLUMNS = (
    "badge_id",
    "course",
    "recipient_name",
    "recipient_email",
    "issued_on",
    "status",
    "revoked_at",
    "revocation_reason",
    "verification_url",
)


def write_issued_badges_csv(rows) -> str:
    """Return CSV text of ``rows``, dicts keyed by ``EXPORT_COLUMNS``.

    Cells that a spreadsheet would run as formulas are prefixed with ``'``.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        writer.writerow([_safe_cell(row[column]) for column in EXPORT_COLUMNS])
    return buffer.getvalue()
