"""Reads of the public course catalogue: courses for skill gaps, skill demand.

Courses are public once published by an approved college; every other read
of a college's rows goes through ``accounts.tenancy``. Gaps and demand come
from the matching app's selectors, so these pages count a skill as lacking
exactly as matching scores it.
"""

from dataclasses import dataclass, field

from django.db.models import QuerySet

from accounts.models import Organization
from colleges.models import Course, CourseSkill, Enrolment
from matching import selectors as matching_selectors


def public_courses() -> QuerySet[Course]:
    """Return the courses anyone may see and enrol in."""
    return Course.objects.filter(
        status=Course.Status.PUBLISHED,
        college__approval_status=Organization.Approval.APPROVED,
    ).select_related("college")


@dataclass
class SkillGap:
    """A skill a vacancy asks for that the applicant lacks, with courses."""

    skill_id: int
    name: str
    status: str
    importance: str
    min_level: int
    level: int
    courses: list[Course] = field(default_factory=list)


@dataclass
class MatchGaps:
    """One match's gaps and the fewest courses that close all of them."""

    gaps: list[SkillGap] = field(default_factory=list)
    # None when no set of public courses closes every gap.
    closing_set: list[Course] | None = None
    closing_hours: int | None = None


def gaps_for_match(match) -> MatchGaps:
    """Return a match's missing and partly met skills with the courses for each.

    Uses ``matching.selectors.gap_plan``: a course fits a gap when it is
    public and teaches the skill at the vacancy's minimum level or above.
    Courses for a gap are listed in the plan's order, most score gained per
    hour first.
    """
    plan = matching_selectors.gap_plan(
        profile_id=match.applicant_id, vacancy_id=match.vacancy_id
    )
    return _match_gaps(plan)


def gaps_for_matches(matches) -> list[MatchGaps]:
    """Return ``gaps_for_match`` of each of one applicant's matches, in order.

    Runs a fixed number of queries, however many matches there are.
    """
    matches = list(matches)
    if not matches:
        return []
    plans = matching_selectors.gap_plans(
        profile_id=matches[0].applicant_id,
        vacancy_ids=[match.vacancy_id for match in matches],
    )
    return [_match_gaps(plans[match.vacancy_id]) for match in matches]


def _match_gaps(plan) -> MatchGaps:
    found = MatchGaps()
    for gap in plan.gaps:
        found.gaps.append(
            SkillGap(
                skill_id=gap.skill_id,
                name=gap.name,
                status=gap.status,
                importance=gap.importance,
                min_level=gap.min_level,
                level=gap.level,
                courses=[
                    option.course
                    for option in plan.courses
                    if gap.skill_id in option.closes
                ],
            )
        )
    if plan.gaps and plan.closing_set is not None:
        found.closing_set = [option.course for option in plan.closing_set]
        found.closing_hours = plan.closing_hours
    return found


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

    For each of the ``limit`` skills most listed by open vacancies
    (``matching.selectors.skills_in_demand``): the number of those vacancies,
    the number of applicants who lack the skill but would match such a
    vacancy if they had it (``matching.selectors.skill_demand``), and the
    titles of the college's own courses teaching it, drafts included and
    archived ones left out. Most asked skills first.
    """
    ranked = matching_selectors.skills_in_demand(limit=limit)
    skill_ids = [skill.pk for skill, _count in ranked]
    taught: dict[int, list[str]] = {}
    own = (
        CourseSkill.objects.filter(course__college=college, skill_id__in=skill_ids)
        .exclude(course__status=Course.Status.ARCHIVED)
        .select_related("course")
        .order_by("course__title")
    )
    for row in own:
        taught.setdefault(row.skill_id, []).append(row.course.title)

    # NOTE: each skill_demand call loads and scores the vacancies needing the
    # skill twice: about 50 ms per skill on the demo data (11 skills, SQLite,
    # 2 cores). With a large market the page needs caching or a nightly job.
    rows = []
    for skill, open_vacancies in ranked:
        demand = matching_selectors.skill_demand(skill_id=skill.pk)
        rows.append(
            SkillDemandRow(
                skill_id=skill.pk,
                name=skill.name,
                open_vacancies=open_vacancies,
                applicants_lacking=demand.applicants_lacking,
                college_courses=tuple(taught.get(skill.pk, ())),
            )
        )
    return rows


def course_seats_taken(course: Course) -> int:
    return course.enrolments.exclude(status=Enrolment.Status.WITHDRAWN).count()
