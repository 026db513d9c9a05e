"""Reads of the public course catalogue: search, skill gaps, skill demand.

Courses are public once published by an approved college; every other read
of a college's rows goes through ``accounts.tenancy``. Gaps and demand come
from the matching app's selectors, so these pages count a skill as lacking
exactly as matching scores it.
"""

from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Greatest

from accounts.models import Organization
from colleges.models import Course, CourseSkill, Enrolment
from matching import selectors as matching_selectors
from matching.models import Skill


def public_courses() -> QuerySet[Course]:
    """Return the courses anyone may see and enrol in."""
    return Course.objects.filter(
        status=Course.Status.PUBLISHED,
        college__approval_status=Organization.Approval.APPROVED,
    ).select_related("college")


# Orders of the catalogue list. The title and then the id break ties, so
# pages never repeat or skip a course.
CATALOGUE_ORDERS = {
    "title": (F("title").asc(), F("pk").asc()),
    "hours": (F("hours").asc(), F("title").asc(), F("pk").asc()),
    # Courses without a price, which are free, come first.
    "price": (F("price").asc(nulls_first=True), F("title").asc(), F("pk").asc()),
    # Courses without a start date run on demand, so they come last.
    "start": (F("start_date").asc(nulls_last=True), F("title").asc(), F("pk").asc()),
}


@dataclass(frozen=True)
class CatalogueFilters:
    """A catalogue search. Empty or None fields filter nothing."""

    text: str = ""
    skill_id: int | None = None
    # The level a graduate reaches in the chosen skill, or in any skill the
    # course teaches when no skill is chosen.
    min_level: int | None = None
    college_id: int | None = None
    delivery: str = ""
    max_hours: int | None = None
    free_only: bool = False
    order: str = "title"


def catalogue_courses(filters: CatalogueFilters) -> QuerySet[Course]:
    """Return the public courses that pass every filter set in ``filters``.

    Each course comes with its college, its ``skills_taught`` (with their
    skills, highest level first), ``seats_taken`` (enrolments not withdrawn)
    and ``places_left`` (None when the course has no capacity limit). Listing
    any number of courses runs the same number of queries: one for the
    courses and one for all their skills.
    """
    if filters.order not in CATALOGUE_ORDERS:
        raise ValueError(
            f"Invalid catalogue order {filters.order!r}: "
            f"use one of {', '.join(CATALOGUE_ORDERS)}."
        )
    courses = public_courses()
    text = filters.text.strip()
    if text:
        skill_named = CourseSkill.objects.filter(
            course=OuterRef("pk"), skill__name__icontains=text
        )
        courses = courses.filter(
            Q(title__icontains=text)
            | Q(description__icontains=text)
            | Q(college__name__icontains=text)
            | Exists(skill_named)
        )
    if filters.skill_id is not None or filters.min_level is not None:
        taught = CourseSkill.objects.filter(course=OuterRef("pk"))
        if filters.skill_id is not None:
            taught = taught.filter(skill_id=filters.skill_id)
        if filters.min_level is not None:
            taught = taught.filter(level__gte=filters.min_level)
        courses = courses.filter(Exists(taught))
    if filters.college_id is not None:
        courses = courses.filter(college_id=filters.college_id)
    if filters.delivery:
        courses = courses.filter(delivery=filters.delivery)
    if filters.max_hours is not None:
        courses = courses.filter(hours__lte=filters.max_hours)
    if filters.free_only:
        courses = courses.filter(Q(price__isnull=True) | Q(price=0))

    skills = CourseSkill.objects.select_related("skill").order_by(
        "-level", "skill__name"
    )
    not_withdrawn = ~Q(enrolments__status=Enrolment.Status.WITHDRAWN)
    places_left = Case(
        When(capacity__isnull=True, then=None),
        default=Greatest(F("capacity") - F("seats_taken"), Value(0)),
        output_field=IntegerField(),
    )
    return (
        courses.annotate(seats_taken=Count("enrolments", filter=not_withdrawn))
        .annotate(places_left=places_left)
        .prefetch_related(Prefetch("skills_taught", queryset=skills))
        .order_by(*CATALOGUE_ORDERS[filters.order])
    )


def catalogue_course(pk: int) -> Course | None:
    """Return one public course as ``catalogue_courses`` lists it, or None."""
    return catalogue_courses(CatalogueFilters()).filter(pk=pk).first()


def catalogue_skills() -> QuerySet[Skill]:
    """Return the skills that at least one public course teaches, by name."""
    taught = CourseSkill.objects.filter(
        skill=OuterRef("pk"),
        course__status=Course.Status.PUBLISHED,
        course__college__approval_status=Organization.Approval.APPROVED,
    )
    return Skill.objects.filter(Exists(taught)).order_by("name", "pk")


def catalogue_colleges() -> QuerySet[Organization]:
    """Return the approved colleges with at least one published course."""
    published = Course.objects.filter(
        college=OuterRef("pk"), status=Course.Status.PUBLISHED
    )
    return Organization.objects.filter(
        Exists(published),
        kind=Organization.Kind.COLLEGE,
        approval_status=Organization.Approval.APPROVED,
    ).order_by("name", "pk")


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
