"""Importing O*NET and ESCO taxonomy files.

O*NET rows (one per occupation and skill or knowledge element) become
skills coded "onet:<element id>" under their content-model group, and
occupations coded "onet:<SOC code>" with their NOC 2021 codes and an
importance (1 to 5) and level per skill. O*NET levels run 0 to 7 and are
mapped onto the MEX 1 to 5 scale by ``onet_level``.

ESCO rows become occupations coded "esco:<concept id>" whose alternative
labels help recognise job titles; their skill profile is that of the MEX
occupation for their ISCO-08 group (``ISCO_TO_MEX_OCCUPATION``).

Both imports are idempotent: rows are keyed by code.
"""

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from matching.models import Occupation, OccupationSkill, Skill
from matching.taxonomy import load_taxonomy
from matching.taxonomy_data import (
    ISCO_TO_MEX_OCCUPATION,
    ONET_GROUPS,
    ONET_RELATED,
)

ONET_COLUMNS = [
    "onet_soc_code",
    "onet_title",
    "noc2021_codes",
    "domain",
    "element_id",
    "element_name",
    "importance_1to5",
    "level_0to7",
    "level_not_relevant",
]
ESCO_COLUMNS = ["conceptUri", "iscoGroup", "preferredLabel", "altLabels"]


class TaxonomyFileError(ValueError):
    """A taxonomy file that cannot be imported, with the line and reason."""


@dataclass
class TaxonomyReport:
    skills: int = 0
    occupations: int = 0
    occupation_skills: int = 0


def onet_level(level: float) -> int:
    """Map an O*NET level (0 to 7) onto the MEX scale (1 to 5), rounding up."""
    return min(5, max(1, math.ceil(level * 5 / 7)))


def _read(path: Path, columns: list[str]) -> list[tuple[int, dict]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [name for name in columns if name not in (reader.fieldnames or [])]
        if missing:
            raise TaxonomyFileError(
                f"{path.name}: missing columns {', '.join(missing)}; expected "
                f"at least {', '.join(columns)}"
            )
        rows = []
        line = reader.line_num + 1
        for row in reader:
            rows.append((line, row))
            line = reader.line_num + 1
        return rows


def _number(row: dict, column: str, line: int, low: float, high: float) -> float:
    raw = row[column]
    try:
        value = float(raw)
    except ValueError:
        raise TaxonomyFileError(
            f"line {line}: invalid {column} {raw!r}; expected a number"
        ) from None
    if not low <= value <= high:
        raise TaxonomyFileError(
            f"line {line}: invalid {column} {raw!r}; expected {low} to {high}"
        )
    return value


@transaction.atomic
def import_onet(path: Path) -> TaxonomyReport:
    """Import an O*NET skills and knowledge file; all or nothing."""
    load_taxonomy()
    report = TaxonomyReport()
    groups = {}
    for code, name in ONET_GROUPS.items():
        group, created = Skill.objects.update_or_create(
            code=f"onet:{code}",
            defaults={"name": name, "source": Skill.Source.ONET, "category": "Group"},
        )
        groups[code] = group
        report.skills += int(created)

    skills: dict[str, Skill] = {}
    occupations: dict[str, Occupation] = {}
    for line, row in _read(path, ONET_COLUMNS):
        element = row["element_id"].strip()
        soc = row["onet_soc_code"].strip()
        if not element or not soc or not row["element_name"].strip():
            raise TaxonomyFileError(
                f"line {line}: missing onet_soc_code, element_id or element_name"
            )
        importance = _number(row, "importance_1to5", line, 1, 5)
        level = _number(row, "level_0to7", line, 0, 7)

        if element not in skills:
            parent_code = element.rsplit(".", 1)[0]
            skill, created = Skill.objects.update_or_create(
                code=f"onet:{element}",
                defaults={
                    "name": row["element_name"].strip(),
                    "source": Skill.Source.ONET,
                    "category": row["domain"].strip(),
                    "parent": groups.get(parent_code),
                },
            )
            skills[element] = skill
            report.skills += int(created)

        if soc not in occupations:
            noc_codes = [
                code.strip() for code in row["noc2021_codes"].split(";") if code.strip()
            ]
            occupation, created = Occupation.objects.update_or_create(
                code=f"onet:{soc}",
                defaults={
                    "title": row["onet_title"].strip(),
                    "source": Occupation.Source.ONET,
                    "noc_codes": noc_codes,
                },
            )
            occupations[soc] = occupation
            report.occupations += int(created)

        if row["level_not_relevant"].strip().upper() == "Y":
            level = 0
        _, created = OccupationSkill.objects.update_or_create(
            occupation=occupations[soc],
            skill=skills[element],
            defaults={"importance": importance, "level": onet_level(level)},
        )
        report.occupation_skills += int(created)

    for mex_code, element in ONET_RELATED:
        if element in skills:
            Skill.objects.get(code=mex_code).related.add(skills[element])
    return report


@transaction.atomic
def import_esco(path: Path) -> TaxonomyReport:
    """Import ESCO occupations with their labels; all or nothing."""
    load_taxonomy()
    report = TaxonomyReport()
    profiles = {
        occupation.code: list(occupation.skill_profile.all())
        for occupation in Occupation.objects.filter(
            code__in=set(ISCO_TO_MEX_OCCUPATION.values())
        )
    }
    for line, row in _read(path, ESCO_COLUMNS):
        uri = row["conceptUri"].strip()
        label = row["preferredLabel"].strip()
        if not uri or not label:
            raise TaxonomyFileError(
                f"line {line}: missing conceptUri or preferredLabel"
            )
        aliases = [alias.strip() for alias in row["altLabels"].split(";")]
        occupation, created = Occupation.objects.update_or_create(
            code=f"esco:{uri.rsplit('/', 1)[-1]}",
            defaults={
                "title": label,
                "source": Occupation.Source.ESCO,
                "aliases": [alias for alias in aliases if alias],
                "description": row.get("description", "").strip(),
            },
        )
        report.occupations += int(created)
        mex_code = ISCO_TO_MEX_OCCUPATION.get(row["iscoGroup"].strip())
        for typical in profiles.get(mex_code, []):
            _, created = OccupationSkill.objects.update_or_create(
                occupation=occupation,
                skill_id=typical.skill_id,
                defaults={"importance": typical.importance, "level": typical.level},
            )
            report.occupation_skills += int(created)
    return report
