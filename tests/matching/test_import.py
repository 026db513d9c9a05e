"""Importing postings from CSV, with invented rows and with the real data."""

import csv
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Organization
from matching.importing import (
    COLUMNS,
    PostingImporter,
    RowError,
    parse_date,
    parse_employment_type,
    parse_hours,
    parse_wage,
)
from matching.models import Match
from matching.services import run_full_matching
from tests.matching.factories import ApplicantFactory, hold
from tests.services import data_dir, require_postgresql
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db


def _row(**values):
    row = {
        "source": "example-board",
        "source_id": "1",
        "country": "CA",
        "region": "ON",
        "locality": "Hamilton",
        "date_posted": "2024-03-01",
        "title": "personal support worker",
        "employer": "Sunrise Care &amp; Living",
        "salary": "$19.50 to $22.00",
        "employment_type": "Permanent employment; Part time",
        "hours": "20 to 30 hours per week",
        "skills_heuristic": "",
        "text": (
            "Job requirements Languages English Education Secondary school "
            "Credentials (certificates, licences, memberships, courses, etc.) "
            "Personal Support Worker Certificate Specific Skills Provide "
            "personal care; Transport patients in wheelchair "
            "Security and Safety Criminal record check"
        ),
    }
    row.update(values)
    return row


def _write(path, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.mark.parametrize(
    ("raw", "country", "minimum", "maximum", "period", "currency"),
    [
        ("$17.46 to $21.04", "CA", "17.46", "21.04", "hour", "CAD"),
        ("$24.82HOUR hourly", "CA", "24.82", "24.82", "hour", "CAD"),
        ("$69,693 to $86,541YEAR annually", "CA", "69693", "86541", "year", "CAD"),
        ("$1,000.00 to $1,100.00WEEKLY weekly", "CA", "52000", "57200", "year", "CAD"),
        ("£18,005 - £19,337 per annum GBP/YEAR", "GB", "18005", "19337", "year", "GBP"),
        ("Current £8.50 - £9.00/HR GBP/YEAR", "GB", "8.50", "9.00", "hour", "GBP"),
        ("Band 4-  £21,892 - £24,157 GBP/YEAR", "GB", "21892", "24157", "year", "GBP"),
        ("up to £24,157 per annum GBP/YEAR", "GB", None, "24157", "year", "GBP"),
        ("From £19,737 per annum GBP/YEAR", "GB", "19737", None, "year", "GBP"),
        ("Competitive GBP/YEAR", "GB", None, None, "hour", "GBP"),
        ("£9.8892 GBP/YEAR", "GB", "9.89", "9.89", "hour", "GBP"),
    ],
)
def test_parse_wage(raw, country, minimum, maximum, period, currency):
    wage = parse_wage(raw, country)

    assert wage.minimum == (Decimal(minimum) if minimum else None)
    assert wage.maximum == (Decimal(maximum) if maximum else None)
    assert wage.period == period
    assert wage.currency == currency


@pytest.mark.parametrize(
    ("raw", "hours"),
    [
        ("15 to 37.5 hours per week", Decimal("37.5")),
        ("38.75 hours per week", Decimal("38.75")),
        ("7.5 to 68 hours bi-weekly", Decimal("34")),
        ("Day, Evening, Night", None),
        ("", None),
    ],
)
def test_parse_hours(raw, hours):
    assert parse_hours(raw) == hours


def test_parse_hours_rejects_impossible():
    with pytest.raises(RowError, match="invalid hours"):
        parse_hours("200 hours per week")


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("FULL_TIME", "full_time"),
        ("TEMPORARY", "temporary"),
        ("Permanent employmentFull time", "full_time"),
        ("Term or contractPart time leading to full time", "contract"),
        ("Casual employment; Part time", "casual"),
        ("Permanent employment; Part time", "part_time"),
        ("OTHER", "full_time"),
    ],
)
def test_parse_employment_type(raw, kind):
    assert parse_employment_type(raw) == kind


def test_parse_date_formats():
    assert parse_date("July 05, 2022").date().isoformat() == "2022-07-05"
    assert parse_date("2023-05-02").date().isoformat() == "2023-05-02"


def test_import_creates_vacancy(tmp_path):
    # given
    path = _write(tmp_path / "postings.csv", [_row()])

    # when
    report = PostingImporter().import_file(path)

    # then
    vacancy = Vacancy.objects.get()
    assert report.imported == 1
    assert vacancy.status == Vacancy.Status.OPEN
    assert vacancy.employer.name == "Sunrise Care & Living"
    assert vacancy.employer.approval_status == Organization.Approval.APPROVED
    assert vacancy.wage_min == Decimal("19.50")
    assert vacancy.hours_per_week == Decimal("30")
    assert vacancy.employment_type == Vacancy.EmploymentType.PART_TIME
    assert vacancy.noc_code == "33102"
    assert set(vacancy.required_credentials.values_list("code", flat=True)) == {
        "mex:lang-en",
        "mex:psw-certificate",
        "mex:criminal-record-check",
    }
    codes = set(vacancy.skill_requirements.values_list("skill__code", flat=True))
    assert {"mex:personal-care", "mex:patient-transport"} <= codes


def test_import_again_updates(tmp_path):
    # given
    PostingImporter().import_file(_write(tmp_path / "a.csv", [_row()]))

    # when
    changed = _row(title="senior personal support worker", salary="$25.00")
    report = PostingImporter().import_file(_write(tmp_path / "b.csv", [changed]))

    # then
    vacancy = Vacancy.objects.get()
    assert report.updated == 1
    assert vacancy.title == "Senior personal support worker"
    assert vacancy.wage_min == Decimal("25.00")
    assert Organization.objects.count() == 1


def test_bad_row_reported_and_skipped(tmp_path):
    # given
    rows = [
        _row(source_id="1"),
        _row(source_id="2", date_posted="sometime soon"),
        _row(source_id="3", employer=""),
        _row(source_id="4"),
    ]
    path = _write(tmp_path / "postings.csv", rows)

    # when
    report = PostingImporter().import_file(path)

    # then
    assert report.imported == 2
    assert report.skipped == 2
    assert report.errors[0][0] == 3
    assert "invalid date_posted: 'sometime soon'" in report.errors[0][1]
    assert report.errors[1] == (4, "missing employer: the column is empty")
    assert sorted(Vacancy.objects.values_list("source_id", flat=True)) == ["1", "4"]


def test_bad_row_saves_nothing(tmp_path):
    # given a row that fails after its employer would have been created
    row = _row(employer="Brand New Employer", hours="500 hours per week")

    # when
    report = PostingImporter().import_file(_write(tmp_path / "p.csv", [row]))

    # then
    assert report.skipped == 1
    assert not Organization.objects.filter(name="Brand New Employer").exists()
    assert not Vacancy.objects.exists()


def test_line_numbers_count_multiline_text(tmp_path):
    # given
    rows = [_row(source_id="1", text="Line one\nline two\nline three"), _row()]
    rows[1].update(source_id="2", country="Canada")

    # when
    report = PostingImporter().import_file(_write(tmp_path / "p.csv", rows))

    # then
    assert report.errors[0][0] == 5
    assert "invalid country: 'Canada'" in report.errors[0][1]


def test_command_prints_summary(tmp_path, capsys):
    # given
    path = _write(tmp_path / "p.csv", [_row(), _row(source_id="2", title="", text="")])

    # when
    call_command("import_postings", str(path))

    # then
    captured = capsys.readouterr()
    assert "1 imported, 0 updated, 1 skipped." in captured.out
    assert "Line 3: missing title" in captured.err


def test_command_rejects_missing_columns(tmp_path):
    # given
    path = tmp_path / "p.csv"
    path.write_text("source,title\nx,y\n", encoding="utf-8")

    # when / then
    with pytest.raises(CommandError, match="missing columns: source_id"):
        call_command("import_postings", str(path))


def test_command_rejects_missing_file(tmp_path):
    with pytest.raises(CommandError, match="File not found"):
        call_command("import_postings", str(tmp_path / "absent.csv"))


def test_real_postings_all_get_skills():
    # given
    path = data_dir() / "healthcare_postings.csv"

    # when
    report = PostingImporter().import_file(path)

    # then
    assert report.skipped == 0, report.errors
    assert report.imported == 220
    assert not Vacancy.objects.filter(skill_requirements__isnull=True).exists()


def test_real_postings_matched_on_postgresql():
    # given
    require_postgresql()
    PostingImporter().import_file(data_dir() / "healthcare_postings.csv")
    vacancy = Vacancy.objects.filter(country="GB").order_by("source_id").first()
    applicant = ApplicantFactory(country="GB", region=vacancy.region)
    for requirement in vacancy.skill_requirements.all():
        hold(applicant, requirement.skill, requirement.min_level)

    # when
    run = run_full_matching()

    # then
    match = Match.objects.get(vacancy=vacancy, applicant=applicant)
    assert run.matches_created >= 1
    assert match.score == 1.0
    assert match.required_met == match.required_total
    assert {entry["status"] for entry in match.explanation["skills"]} == {"met"}
