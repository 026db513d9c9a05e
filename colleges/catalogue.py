"""Reads of the public course catalogue: courses for skill gaps, skill demand.

Courses are public once published by an approved college; every other read
of a college's rows goes through ``accounts.tenancy``.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from accounts.models import Organization
from colleges.models import Course, CourseSkill, Enrolment
from matching.models import Match, Skill
from vacancies.models import Vacancy

UNMET = ("missing", "partial")


def public_courses() -> QuerySet[Course]:
    """Return the courses anyone may see and enrol in."""
    return Course.objects.filter(
        status=Course.Status.PUBLISHED,
        college__approval_status=Organization.Approval.APPROVED,
    ).select_related("college")


def courses_teaching(
    *, skill_levels: dict[int, int]
) -> dict[int, list[tuple[Course, int]]]:
    """Return, per skill id, the public courses teaching it and at which level.

    ``skill_levels`` maps a skill id to the lowest level a course must reach.
    Each list holds the fewest hours first, then the earliest start.
    """
    if not skill_levels:
        return {}
    taught = (
        CourseSkill.objects.filter(
            course__in=public_courses(), skill_id__in=list(skill_levels)
        )
        .select_related("course__college")
        .order_by("course__hours", "course__start_date", "course__title", "pk")
    )
    found: dict[int, list[tuple[Course, int]]] = {}
    for row in taught:
        if row.level >= skill_levels[row.skill_id]:
            found.setdefault(row.skill_id, []).append((row.course, row.level))
    return found


@dataclass
class SkillGap:
    """A skill a match lacks, with the public courses that teach it."""

    skill_id: int
    name: str
    status: str
    importance: str
    min_level: int
    level: int
    courses: list[Course] = field(default_factory=list)


def gaps_with_courses(matches) -> dict[int, list[SkillGap]]:
    """Return, per match id, its missing and partly met skills with courses.

    Reads the skills from each match's explanation. A course fits a gap when
    it is public and teaches the skill at the vacancy's minimum level or above.
    """
    wanted: dict[int, int] = {}
    entries: dict[int, list[dict]] = {}
    for match in matches:
        explanation = match.explanation if isinstance(match.explanation, dict) else {}
        unmet = [
            entry
            for entry in explanation.get("skills", [])
            if entry.get("status") in UNMET and entry.get("skill_id")
        ]
        entries[match.pk] = unmet
        for entry in unmet:
            level = entry.get("min_level") or 1
            skill_id = entry["skill_id"]
            wanted[skill_id] = min(wanted.get(skill_id, level), level)

    teaching = courses_teaching(skill_levels=wanted)
    gaps: dict[int, list[SkillGap]] = {}
    for match_id, unmet in entries.items():
        gaps[match_id] = [
            SkillGap(
                skill_id=entry["skill_id"],
                name=entry.get("name", ""),
                status=entry["status"],
                importance=entry.get("importance", ""),
                min_level=entry.get("min_level") or 1,
                level=entry.get("level") or 0,
                courses=[
                    course
                    for course, level in teaching.get(entry["skill_id"], [])
                    if level >= (entry.get("min_level") or 1)
                ],
            )
            for entry in unmet
        ]
    return gaps


@dataclass(frozen=True)
class SkillDemandRow:
    """How much open vacancies ask for one skill, and who lacks it."""

    skill_id: int
    name: str
    open_vacancies: int
    applicants_lacking: int
    college_courses: tuple[str, ...]

    @property
    def taught(self) -> bool:
        return bool(self.college_courses)


def skill_demand_for_college(
    *, college: Organization, limit: int = 20
) -> list[SkillDemandRow]:
    """Return the skills open vacancies ask for most, for a college's staff.

    For each skill: the number of open vacancies that list it, the number of
    distinct applicants with a proposed or approved match on such a vacancy
    whose explanation shows the skill missing or partly met, and the titles
    of the college's own published or draft courses that teach it. Sorted by
    open vacancies, then applicants lacking, then name; at most ``limit``.
    """
    skills = list(
        Skill.objects.annotate(
            open_vacancies=Count(
                "vacancies",
                filter=Q(vacancies__status=Vacancy.Status.OPEN),
                distinct=True,
            )
        )
        .filter(open_vacancies__gt=0)
        .order_by("-open_vacancies", "name")[: limit * 3]
    )
    skill_ids = {skill.pk for skill in skills}
    lacking = _applicants_lacking(skill_ids)
    taught: dict[int, list[str]] = {}
    own = (
        CourseSkill.objects.filter(course__college=college, skill_id__in=skill_ids)
        .exclude(course__status=Course.Status.ARCHIVED)
        .select_related("course")
        .order_by("course__title")
    )
    for row in own:
        taught.setdefault(row.skill_id, []).append(row.course.title)

    rows = [
        SkillDemandRow(
            skill_id=skill.pk,
            name=skill.name,
            open_vacancies=skill.open_vacancies,
            applicants_lacking=len(lacking.get(skill.pk, ())),
            college_courses=tuple(taught.get(skill.pk, ())),
        )
        for skill in skills
    ]
    rows.sort(key=lambda row: (-row.open_vacancies, -row.applicants_lacking, row.name))
    return rows[:limit]


def _applicants_lacking(skill_ids: set[int]) -> dict[int, set[int]]:
    """Return, per skill id, the applicants whose open matches miss it."""
    lacking: dict[int, set[int]] = {}
    if not skill_ids:
        return lacking
    matches = Match.objects.filter(
        status__in=(Match.Status.PROPOSED, Match.Status.APPROVED),
        vacancy__status=Vacancy.Status.OPEN,
    ).values_list("applicant_id", "explanation")
    for applicant_id, explanation in matches.iterator():
        if not isinstance(explanation, dict):
            continue
        for entry in explanation.get("skills", []):
            skill_id = entry.get("skill_id")
            if skill_id in skill_ids and entry.get("status") in UNMET:
                lacking.setdefault(skill_id, set()).add(applicant_id)
    return lacking


def course_seats_taken(course: Course) -> int:
    return course.enrolments.exclude(status=Enrolment.Status.WITHDRAWN).count()
