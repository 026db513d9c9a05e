"""Importing O*NET and ESCO files."""

import csv

import pytest
from django.core.management import CommandError, call_command

from matching.models import Occupation, OccupationSkill, Skill
from matching.taxonomy_import import (
    ONET_COLUMNS,
    TaxonomyFileError,
    import_esco,
    import_onet,
    onet_level,
)
from tests.services import data_dir

pytestmark = pytest.mark.django_db


def _onet_row(**values):
    row = {
        "onet_soc_code": "31-1131.00",
        "onet_title": "Nursing Assistants",
        "noc2021_codes": "33102",
        "domain": "Skill",
        "element_id": "2.A.1.b",
        "element_name": "Active Listening",
        "importance_1to5": "3.88",
        "level_0to7": "3.5",
        "level_not_relevant": "N",
    }
    row.update(values)
    return row


def _write(path, columns, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.mark.parametrize(
    ("level", "mex"), [(0, 1), (1.4, 1), (3.5, 3), (5.6, 4), (7, 5)]
)
def test_onet_level_scale(level, mex):
    assert onet_level(level) == mex


def test_import_onet_creates_occupation(tmp_path):
    # given
    path = _write(tmp_path / "onet.csv", ONET_COLUMNS, [_onet_row()])

    # when
    import_onet(path)

    # then
    occupation = Occupation.objects.get(code="onet:31-1131.00")
    listening = Skill.objects.get(code="onet:2.A.1.b")
    typical = OccupationSkill.objects.get(occupation=occupation)
    assert occupation.noc_codes == ["33102"]
    assert listening.parent.code == "onet:2.A.1"
    assert typical.importance == 3.88
    assert typical.level == 3
    assert listening.related.filter(code="mex:communication").exists()


def test_import_onet_twice_is_idempotent(tmp_path):
    # given
    path = _write(tmp_path / "onet.csv", ONET_COLUMNS, [_onet_row()])
    import_onet(path)

    # when
    report = import_onet(path)

    # then
    assert (report.skills, report.occupations, report.occupation_skills) == (0, 0, 0)


def test_import_onet_bad_row_saves_nothing(tmp_path):
    # given
    rows = [_onet_row(), _onet_row(element_id="2.A.1.c", importance_1to5="high")]
    path = _write(tmp_path / "onet.csv", ONET_COLUMNS, rows)

    # when
    with pytest.raises(TaxonomyFileError, match="line 3: invalid importance_1to5"):
        import_onet(path)

    # then
    assert not Occupation.objects.filter(source="onet").exists()


def test_import_esco_takes_mex_profile(tmp_path):
    # given
    columns = ["conceptUri", "iscoGroup", "preferredLabel", "altLabels", "description"]
    row = {
        "conceptUri": "http://data.europa.eu/esco/occupation/abc",
        "iscoGroup": "5322",
        "preferredLabel": "home care aide",
        "altLabels": "personal care worker; home help",
        "description": "Helps people at home.",
    }

    # when
    import_esco(_write(tmp_path / "esco.csv", columns, [row]))

    # then
    occupation = Occupation.objects.get(code="esco:abc")
    assert occupation.aliases == ["personal care worker", "home help"]
    assert occupation.skill_profile.filter(skill__code="mex:housekeeping").exists()


def test_command_reports_missing_file(tmp_path):
    with pytest.raises(CommandError, match="File not found"):
        call_command("import_taxonomy", onet=tmp_path / "absent.csv")


def test_real_files_import(capsys):
    # given
    folder = data_dir()

    # when
    call_command(
        "import_taxonomy",
        onet=folder / "onet_healthcare_skills_knowledge.csv",
        esco=folder / "esco_healthcare_occupations.csv",
    )

    # then
    aides = Occupation.objects.get(code="onet:31-1131.00")
    assert aides.noc_codes == ["33102"]
    assert aides.skill_profile.count() == 68
    assert Occupation.objects.filter(source="esco").count() == 59
