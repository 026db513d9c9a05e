"""Importing job postings from CSV into open vacancies.

The columns are those of the public posting extracts MEX is tested with:
source, source_id, country, region, locality, date_posted, title, employer,
salary, employment_type, hours, skills_heuristic, text. ``skills_heuristic``
is ignored: skills come from the text by the rule in ``matching.taxonomy``.

Each row is imported in its own transaction. A row that cannot be used is
reported with its line number and the reason, and nothing of it is saved.
"""

import csv
import datetime
import html
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Organization
from matching.models import SkillLevel
from matching.taxonomy import (
    PREFERRED,
    REQUIRED,
    OccupationFinder,
    TextMapper,
    load_taxonomy,
)
from vacancies.models import Vacancy, VacancySkill

logger = logging.getLogger(__name__)

COLUMNS = [
    "source",
    "source_id",
    "country",
    "region",
    "locality",
    "date_posted",
    "title",
    "employer",
    "salary",
    "employment_type",
    "hours",
    "skills_heuristic",
    "text",
]
# Skills found in a posting's text are asked at this level; postings rarely
# state a level.
IMPORTED_MIN_LEVEL = SkillLevel.INTERMEDIATE
# A posting whose text names fewer skills than this, or no required skill,
# also takes the typical skills of the occupation its title names.
MIN_SKILLS_FROM_TEXT = 3
# Typical skills of that importance (1 to 5) or more are added as required.
OCCUPATION_SKILL_MIN_IMPORTANCE = 4.0
# Weekly wages are stored as yearly ones: MEX stores hourly or yearly wages.
WEEKS_PER_YEAR = 52


class RowError(ValueError):
    """A posting row that cannot be imported, with the reason."""


@dataclass
class ImportReport:
    imported: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    def reasons(self) -> Counter:
        return Counter(reason.split(":")[0] for _, reason in self.errors)


@dataclass
class Wage:
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    period: str = Vacancy.WagePeriod.HOUR
    currency: str = ""


_MONEY_RE = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\d,])")
_BAND_RE = re.compile(r"\bband\s*\d+[a-z]?\b", re.I)
_HOURLY_RE = re.compile(r"hour|/\s*hr\b|per hr\b|hourly", re.I)
_WEEKLY_RE = re.compile(r"weekly|per week|a week|/\s*week|\bpw\b", re.I)
_YEARLY_RE = re.compile(r"year|annum|annual|\bpa\b", re.I)


def parse_wage(raw: str, country: str) -> Wage:
    """Parse a salary such as "$17.46 to $21.04" or "£18,005 - £19,337 pa".

    An explicit period wins (hourly, weekly, yearly); otherwise amounts
    under 200 are hourly and larger ones yearly. "Band 3" grades are not
    amounts. No amount gives an empty wage, which is not an error.
    """
    text = html.unescape(raw or "")
    currency = "GBP" if ("£" in text or "GBP" in text) else ""
    if not currency and ("$" in text or country == "CA"):
        currency = "CAD"
    amounts = []
    for whole, fraction in _MONEY_RE.findall(_BAND_RE.sub(" ", text)):
        amounts.append(Decimal(whole.replace(",", "") + (fraction or "")))
    wage = Wage(currency=currency)
    if not amounts:
        return wage

    if _HOURLY_RE.search(text):
        wage.period = Vacancy.WagePeriod.HOUR
    elif _WEEKLY_RE.search(text):
        wage.period = Vacancy.WagePeriod.YEAR
        amounts = [amount * WEEKS_PER_YEAR for amount in amounts]
    elif max(amounts) < 200:
        wage.period = Vacancy.WagePeriod.HOUR
    elif _YEARLY_RE.search(text) or max(amounts) >= 200:
        wage.period = Vacancy.WagePeriod.YEAR

    cent = Decimal("0.01")
    amounts = [amount.quantize(cent) for amount in amounts]
    lowered = text.lower()
    if len(amounts) == 1 and "up to" in lowered:
        wage.maximum = amounts[0]
    elif len(amounts) == 1 and "from" in lowered:
        wage.minimum = amounts[0]
    else:
        wage.minimum = min(amounts[:2])
        wage.maximum = max(amounts[:2])
    return wage


_HOURS_RE = re.compile(r"(\d+(?:\.\d+)?)(?:\s*to\s*(\d+(?:\.\d+)?))?\s*hours", re.I)


def parse_hours(raw: str) -> Decimal | None:
    """Return the most hours per week a posting offers, or None.

    "15 to 37.5 hours per week" gives 37.5; "7.5 to 68 hours bi-weekly"
    gives 34. Text without hours ("Day, Evening") gives None.
    """
    match = _HOURS_RE.search(raw or "")
    if match is None:
        return None
    hours = Decimal(match.group(2) or match.group(1))
    if "bi-weekly" in raw.lower() or "biweekly" in raw.lower():
        hours = hours / 2
    if hours <= 0 or hours > 168:
        raise RowError(f"invalid hours: {raw!r} is not between 0 and 168 a week")
    return hours


def parse_employment_type(raw: str) -> str:
    """Map "Casual employment; Part time", "FULL_TIME" and the like to a type."""
    text = (raw or "").lower().replace("_", " ")
    if "casual" in text:
        return Vacancy.EmploymentType.CASUAL
    if "term or contract" in text or "contract" in text:
        return Vacancy.EmploymentType.CONTRACT
    if "temporary" in text:
        return Vacancy.EmploymentType.TEMPORARY
    if "part time" in text:
        return Vacancy.EmploymentType.PART_TIME
    return Vacancy.EmploymentType.FULL_TIME


_DATE_FORMATS = ["%Y-%m-%d", "%B %d, %Y", "%b %d, %Y", "%d/%m/%Y"]


def parse_date(raw: str) -> datetime.datetime | None:
    """Parse "2023-05-02" or "July 05, 2022"; an empty value gives None."""
    value = (raw or "").strip()
    if not value:
        return None
    for date_format in _DATE_FORMATS:
        try:
            day = datetime.datetime.strptime(value, date_format)
        except ValueError:
            continue
        return timezone.make_aware(day)
    raise RowError(
        f"invalid date_posted: {value!r} is not a date such as 2023-05-02 "
        "or July 05, 2022"
    )


class PostingImporter:
    """Imports posting rows one by one; see the module docstring."""

    def __init__(self) -> None:
        load_taxonomy()
        self.mapper = TextMapper()
        self.occupations = OccupationFinder()
        self.report = ImportReport()

    def import_file(self, path: Path) -> ImportReport:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            missing = [
                name for name in COLUMNS if name not in (reader.fieldnames or [])
            ]
            if missing:
                raise RowError(
                    f"missing columns: {', '.join(missing)}; the first line must "
                    f"name the columns {', '.join(COLUMNS)}"
                )
            line = reader.line_num + 1
            for row in reader:
                self.import_row(row, line)
                line = reader.line_num + 1
        return self.report

    def import_row(self, row: dict, line: int) -> None:
        try:
            with transaction.atomic():
                created = self._save(row)
        except RowError as error:
            self._skip(line, str(error))
        except ValidationError as error:
            self._skip(line, "invalid: " + "; ".join(error.messages))
        else:
            if created:
                self.report.imported += 1
            else:
                self.report.updated += 1

    def _skip(self, line: int, reason: str) -> None:
        self.report.skipped += 1
        self.report.errors.append((line, reason))
        logger.warning("Posting on line %s skipped: %s", line, reason)

    def _save(self, row: dict) -> bool:
        values = {key: html.unescape((row.get(key) or "").strip()) for key in COLUMNS}
        for required in ("source", "source_id", "title", "employer"):
            if not values[required]:
                raise RowError(f"missing {required}: the column is empty")
        country = values["country"].upper()
        if country and not re.fullmatch(r"[A-Z]{2}", country):
            raise RowError(
                f"invalid country: {values['country']!r} is not a two-letter "
                "ISO code such as CA"
            )

        wage = parse_wage(values["salary"], country)
        mapped = self.mapper.map(values["text"])
        title_skills = self.mapper.map(values["title"]).skills
        skills = dict(mapped.skills)
        for skill_id in title_skills:
            skills[skill_id] = REQUIRED
        occupation = self.occupations.find(values["title"])
        few = len(skills) < MIN_SKILLS_FROM_TEXT or REQUIRED not in skills.values()
        if occupation is not None and few:
            for typical in occupation.skill_profile.all():
                if typical.importance >= OCCUPATION_SKILL_MIN_IMPORTANCE:
                    skills.setdefault(typical.skill_id, REQUIRED)
        if not skills:
            raise RowError(
                "no skills: neither the text nor the title names a skill of the "
                "MEX taxonomy; add an alias to matching/taxonomy_data.py"
            )

        employer = self._employer(values["employer"])
        vacancy = Vacancy.objects.filter(
            source=values["source"], source_id=values["source_id"]
        ).first()
        created = vacancy is None
        if created:
            vacancy = Vacancy(source=values["source"], source_id=values["source_id"])
        vacancy.employer = employer
        vacancy.title = values["title"][:1].upper() + values["title"][1:]
        vacancy.description = values["text"]
        vacancy.location = values["locality"]
        vacancy.region = values["region"]
        vacancy.country = country
        vacancy.employment_type = parse_employment_type(values["employment_type"])
        vacancy.hours_per_week = parse_hours(values["hours"])
        vacancy.wage_min = wage.minimum
        vacancy.wage_max = wage.maximum
        vacancy.wage_period = wage.period
        vacancy.wage_currency = wage.currency or vacancy.wage_currency
        if occupation is not None and len(occupation.noc_codes) == 1:
            vacancy.noc_code = occupation.noc_codes[0]
        vacancy.status = Vacancy.Status.OPEN
        vacancy.published_at = parse_date(values["date_posted"]) or timezone.now()
        vacancy.full_clean()
        vacancy.save()

        VacancySkill.objects.filter(vacancy=vacancy).exclude(
            skill_id__in=skills
        ).delete()
        for skill_id, importance in skills.items():
            VacancySkill.objects.update_or_create(
                vacancy=vacancy,
                skill_id=skill_id,
                defaults={
                    "importance": importance if importance == PREFERRED else REQUIRED,
                    "min_level": IMPORTED_MIN_LEVEL,
                },
            )
        vacancy.required_credentials.set(sorted(mapped.credentials))
        return created

    def _employer(self, name: str) -> Organization:
        slug = slugify(name)[:190] or "employer"
        organization = Organization.objects.filter(slug=slug).first()
        if organization is not None and organization.kind != Organization.Kind.EMPLOYER:
            slug = f"{slug}-employer"
            organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            organization = Organization(
                kind=Organization.Kind.EMPLOYER,
                name=name[:200],
                slug=slug,
                approval_status=Organization.Approval.APPROVED,
                approved_at=timezone.now(),
            )
            organization.full_clean()
            organization.save()
        return organization
