import pytest

from badges.csv_files import (
    MAX_EVIDENCE_URL_LENGTH,
    CsvFileError,
    parse_award_csv,
    write_issued_badges_csv,
)
from badges.models import Assertion


def test_plain_file_reads_rows():
    data = b"email,evidence_url,narrative\nzoe@example.org,https://e.org/1,Passed\n"

    rows, errors = parse_award_csv(data)

    assert errors == []
    assert rows[0].email == "zoe@example.org"
    assert rows[0].evidence_url == "https://e.org/1"
    assert rows[0].narrative == "Passed"
    assert rows[0].line == 2


def test_bom_crlf_padding_semicolons_and_blank_lines():
    data = (
        "\ufeff Email ; Evidence URL ;NARRATIVE \r\n"
        " Zoe.N@Example.org ; https://e.org/1 ; Réussi \r\n"
        "bo@example.org;;\r\n"
        "\r\n\r\n"
    ).encode()

    rows, errors = parse_award_csv(data)

    assert errors == []
    assert [row.email for row in rows] == ["zoe.n@example.org", "bo@example.org"]
    assert rows[0].narrative == "Réussi"
    assert rows[1].line == 3


def test_bad_rows_named_by_line():
    data = (
        b"email,evidence_url\n"
        b"zoe@example.org,\n"
        b"not-an-email,\n"
        b"bo@example.org,ftp://e.org/x\n"
        b"ZOE@example.org,\n"
    )

    _rows, errors = parse_award_csv(data)

    assert [error.line for error in errors] == [3, 4, 5]
    assert "'not-an-email' is not a valid email" in errors[0].message
    assert "not a valid evidence URL" in errors[1].message
    assert "repeated from line 2" in errors[2].message


def test_quoted_cells_keep_delimiters():
    data = b'email,narrative\nzoe@example.org,"Passed, with distinction"\n'

    rows, _errors = parse_award_csv(data)

    assert rows[0].narrative == "Passed, with distinction"


def test_unknown_column_rejected():
    with pytest.raises(CsvFileError, match="Unknown column 'grade'"):
        parse_award_csv(b"email,grade\nzoe@example.org,A\n")


def test_missing_email_column_rejected():
    with pytest.raises(CsvFileError, match="no email column"):
        parse_award_csv(b"narrative\nPassed\n")


def test_non_utf8_rejected():
    with pytest.raises(CsvFileError, match="not UTF-8"):
        parse_award_csv("email\nzoë@example.org\n".encode("latin-1"))


def test_empty_file_rejected():
    with pytest.raises(CsvFileError, match="empty"):
        parse_award_csv(b"\r\n\r\n")


def test_header_only_rejected():
    with pytest.raises(CsvFileError, match="no rows"):
        parse_award_csv(b"email\n")


def test_export_neutralises_formulas():
    row = dict.fromkeys(
        (
            "badge_id",
            "course",
            "recipient_name",
            "recipient_email",
            "issued_on",
            "status",
            "revoked_at",
            "revocation_reason",
            "verification_url",
        ),
        "",
    )
    row["recipient_name"] = "=HYPERLINK(1)"

    text = write_issued_badges_csv([row])

    assert "'=HYPERLINK(1)" in text


def test_evidence_url_fits_the_assertion_column():
    column = Assertion._meta.get_field("evidence_url")

    assert column.max_length == MAX_EVIDENCE_URL_LENGTH
