"""Reading enrolment CSV files as spreadsheets and student systems export them."""

import pytest

from colleges.csv_files import CsvFileError, parse_enrolment_csv


def test_reads_semicolons_bom_crlf_and_padding():
    data = "\ufeff  Email Address ;Last_Name\r\n A@Example.org ;Ng\r\n\r\n".encode()

    rows, errors = parse_enrolment_csv(data)

    assert rows == [(2, "a@example.org")]
    assert errors == []


def test_keeps_quoted_delimiter():
    data = b'last_name,email\n"Ng, Jr.",a@example.org\n'

    rows, errors = parse_enrolment_csv(data)

    assert rows == [(2, "a@example.org")]
    assert errors == []


def test_reports_row_with_extra_cells():
    data = b"email\na@example.org,extra\n"

    rows, errors = parse_enrolment_csv(data)

    assert rows == []
    assert errors[0].line == 2
    assert "2 cells but the header has 1" in errors[0].message


def test_reports_lines_after_blank_lines():
    data = b"email\n\n\nbad-address\n"

    _rows, errors = parse_enrolment_csv(data)

    assert errors[0].line == 4


def test_header_without_email_is_rejected():
    with pytest.raises(CsvFileError, match="no email column"):
        parse_enrolment_csv(b"first_name,last_name\nKim,Ng\n")


def test_blank_file_is_rejected():
    with pytest.raises(CsvFileError, match="The file is empty"):
        parse_enrolment_csv(b"\r\n\r\n")


def test_too_many_rows_is_rejected():
    lines = "\n".join(f"s{index}@example.org" for index in range(501))

    with pytest.raises(CsvFileError, match="upload at most 500"):
        parse_enrolment_csv(f"email\n{lines}\n".encode())
