"""Skill gaps between an applicant and a vacancy, and courses that close them.

A gap is a vacancy skill the applicant does not meet: missing, held below the
minimum level, or credited only through a related skill. A course closes a
gap when it is published by an approved college and teaches the skill at the
vacancy's minimum level or above.

Courses are ranked by the score they would add per hour of study, the score
being the matching score of docs/decisions/0002-matching-score.md. The
smallest set of courses that closes every gap is found exactly, by trying
sets of one course, then two, and so on. That search runs when at most
``EXACT_SET_COVER_MAX_COURSES`` courses are useful. Above that, the set is a
greedy choice.
"""

import itertools
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db.models import Prefetch

from accounts.models import Organization
from applicants.models import ApplicantCredential, ApplicantSkill
from colleges.models import Course, CourseSkill
from matching.loading import load_inputs
from matching.models import Credential, Skill
from matching.scoring import (
    CredentialRequirement,
    PairResult,
    Requirement,
    Scorer,
    Weights,
    explain_pair,
)
from vacancies.models import Vacancy, VacancySkill

# Trying every set of up to n useful courses costs at most 2**n checks of a
# bit mask: about a million for 20, well under a second.
EXACT_SET_COVER_MAX_COURSES = 20


@dataclass(frozen=True)
class Gap:
    skill_id: int
    name: str
    importance: str
    min_level: int
    level: int
    status: str
    # Score the applicant would gain by meeting this skill, from 0 to 1.
    gain: float


@dataclass(frozen=True)
class CourseOption:
    course: Course
    closes: tuple[int, ...]  # skill ids of the gaps the course closes
    gain: float
    gain_per_hour: float


@dataclass
class GapPlan:
    vacancy: Vacancy
    result: PairResult
    gaps: list[Gap]
    courses: list[CourseOption] = field(default_factory=list)
    # The fewest courses (then the fewest hours) that close every gap, or
    # None when some gap is taught by no course.
    closing_set: list[CourseOption] | None = None
    uncovered: list[Gap] = field(default_factory=list)

    @property
    def closing_hours(self) -> int | None:
        if self.closing_set is None:
            return None
        return sum(option.course.hours for option in self.closing_set)


def gaps_of(result: PairResult, weights: Weights) -> list[Gap]:
    """Return the unmet skills of a scored pair, the most valuable first."""
    entries = result.explanation["skills"]
    total = sum(
        weights.required if e["importance"] == "required" else weights.preferred
        for e in entries
    )
    gaps = []
    for entry in entries:
        if entry["status"] == "met":
            continue
        weight = (
            weights.required if entry["importance"] == "required" else weights.preferred
        )
        gaps.append(
            Gap(
                skill_id=entry["skill_id"],
                name=entry["name"],
                importance=entry["importance"],
                min_level=entry["min_level"],
                level=entry["level"],
                status=entry["status"],
                gain=round(weight * (1 - entry["credit"]) / total, 4),
            )
        )
    gaps.sort(key=lambda gap: (-gap.gain, gap.name))
    return gaps


def teaching_courses(skill_ids) -> list[Course]:
    """Return published courses of approved colleges teaching any of the skills."""
    return list(
        Course.objects.filter(
            status=Course.Status.PUBLISHED,
            college__approval_status=Organization.Approval.APPROVED,
            skills_taught__skill_id__in=list(skill_ids),
        )
        .distinct()
        .select_related("college")
        .prefetch_related("skills_taught")
        .order_by("pk")
    )


def teaching_levels(skill_ids) -> list[tuple[Course, dict[int, int]]]:
    """Return the public courses teaching any of the skills, by id.

    Each course comes with the level it teaches each of those skills at
    (skill id to level), read with the course and its college in one query.
    """
    rows = (
        CourseSkill.objects.filter(
            skill_id__in=list(skill_ids),
            course__status=Course.Status.PUBLISHED,
            course__college__approval_status=Organization.Approval.APPROVED,
        )
        .select_related("course__college")
        .order_by("course_id", "skill_id")
    )
    found: dict[int, tuple[Course, dict[int, int]]] = {}
    for row in rows:
        _course, levels = found.setdefault(row.course_id, (row.course, {}))
        levels[row.skill_id] = row.level
    return list(found.values())


def plan_courses(
    plan: GapPlan, courses: list[tuple[Course, dict[int, int]]]
) -> GapPlan:
    """Rank the courses that close some of the plan's gaps and find a closing set.

    ``courses`` pairs each course with the levels it teaches, as
    ``teaching_levels`` returns them.
    """
    by_skill = {gap.skill_id: gap for gap in plan.gaps}
    options = []
    for course, levels in courses:
        closes = tuple(
            sorted(
                skill_id
                for skill_id, level in levels.items()
                if skill_id in by_skill and level >= by_skill[skill_id].min_level
            )
        )
        if not closes:
            continue
        gain = round(sum(by_skill[skill_id].gain for skill_id in closes), 4)
        options.append(
            CourseOption(
                course=course,
                closes=closes,
                gain=gain,
                gain_per_hour=gain / course.hours,
            )
        )
    options.sort(
        key=lambda option: (
            -option.gain_per_hour,
            option.course.hours,
            option.course.title,
        )
    )
    plan.courses = options

    closable = {skill_id for option in options for skill_id in option.closes}
    plan.uncovered = [gap for gap in plan.gaps if gap.skill_id not in closable]
    if plan.gaps and not plan.uncovered:
        plan.closing_set = smallest_closing_set(
            [gap.skill_id for gap in plan.gaps], options
        )
    return plan


def smallest_closing_set(
    skill_ids: list[int], options: list[CourseOption]
) -> list[CourseOption] | None:
    """Return the fewest courses, then the fewest hours, closing every skill."""
    bit = {skill_id: 1 << index for index, skill_id in enumerate(skill_ids)}
    target = (1 << len(skill_ids)) - 1
    masks = [sum(bit[skill_id] for skill_id in option.closes) for option in options]
    useful = _drop_dominated(options, masks)

    if len(useful) > EXACT_SET_COVER_MAX_COURSES:
        return _greedy_closing_set(target, useful)

    for size in range(1, len(useful) + 1):
        best = None
        for chosen in itertools.combinations(useful, size):
            covered = 0
            for _, mask in chosen:
                covered |= mask
            if covered != target:
                continue
            hours = sum(option.course.hours for option, _ in chosen)
            if best is None or hours < best[0]:
                best = (hours, [option for option, _ in chosen])
        if best is not None:
            return best[1]
    return None


def _drop_dominated(options, masks) -> list[tuple[CourseOption, int]]:
    """Drop courses that close a subset of another's gaps in as many hours."""
    useful = []
    for index, (option, mask) in enumerate(zip(options, masks, strict=True)):
        dominated = False
        for other_index, (other, other_mask) in enumerate(
            zip(options, masks, strict=True)
        ):
            if other_index == index or mask | other_mask != other_mask:
                continue
            cheaper = other.course.hours < option.course.hours
            same = other.course.hours == option.course.hours
            if cheaper or (same and (other_mask != mask or other_index < index)):
                dominated = True
                break
        if not dominated:
            useful.append((option, mask))
    return useful


def _greedy_closing_set(target: int, useful) -> list[CourseOption] | None:
    # NOTE: with this many useful courses the set is the greedy choice (most
    # new gaps per hour first), which may hold more courses than the minimum.
    covered, chosen = 0, []
    while covered != target:
        best = max(
            useful,
            key=lambda item: bin(item[1] & ~covered).count("1") / item[0].course.hours,
        )
        if best[1] & ~covered == 0:
            return None
        chosen.append(best[0])
        covered |= best[1]
    return chosen


def gap_plan(*, profile_id: int, vacancy_id: int) -> GapPlan:
    """Return one applicant's gaps for one vacancy and the courses closing them."""
    plans = gap_plans(profile_id=profile_id, vacancy_ids=[vacancy_id])
    if vacancy_id not in plans:
        raise Vacancy.DoesNotExist(f"Vacancy {vacancy_id} does not exist.")

    return plans[vacancy_id]


def gap_plans(*, profile_id: int, vacancy_ids: list[int]) -> dict[int, GapPlan]:
    """Return one applicant's GapPlan for each of the vacancies, by vacancy id.

    Runs the same few queries whatever the number of vacancies, so that a page
    listing every match of an applicant does not query per match: the
    vacancies with their skills and credentials, the applicant's skills and
    credentials, related skills, and the courses teaching any gap. Vacancies
    that do not exist are left out.
    """
    weights = Weights.from_settings()
    vacancies = list(
        Vacancy.objects.filter(pk__in=list(vacancy_ids))
        .select_related("employer")
        .prefetch_related(
            Prefetch(
                "skill_requirements",
                queryset=VacancySkill.objects.select_related("skill").order_by(
                    "skill_id"
                ),
            ),
            Prefetch(
                "required_credentials",
                queryset=Credential.objects.order_by("pk"),
            ),
        )
    )
    levels = dict(
        ApplicantSkill.objects.filter(profile_id=profile_id).values_list(
            "skill_id", "level"
        )
    )
    held_credentials = set(
        ApplicantCredential.objects.filter(profile_id=profile_id).values_list(
            "credential_id", flat=True
        )
    )
    related, names = _related_of(
        sorted(
            {
                row.skill_id
                for vacancy in vacancies
                for row in vacancy.skill_requirements.all()
            }
        )
    )

    plans = {}
    for vacancy in vacancies:
        requirements = [
            Requirement(row.skill_id, row.skill.name, row.importance, row.min_level)
            for row in vacancy.skill_requirements.all()
        ]
        credentials = [
            CredentialRequirement(credential.pk, credential.name, credential.kind)
            for credential in vacancy.required_credentials.all()
        ]
        result = explain_pair(
            requirements=requirements,
            credentials=credentials,
            levels=levels,
            held_credentials=held_credentials,
            related=related,
            skill_names=names,
            weights=weights,
        )
        plans[vacancy.pk] = GapPlan(
            vacancy=vacancy, result=result, gaps=gaps_of(result, weights)
        )

    gap_skill_ids = {gap.skill_id for plan in plans.values() for gap in plan.gaps}
    courses = teaching_levels(gap_skill_ids) if gap_skill_ids else []
    for plan in plans.values():
        plan_courses(plan, courses)
    return plans


def _related_of(skill_ids: list[int]) -> tuple[dict[int, set[int]], dict[int, str]]:
    """Return the skills related to each of ``skill_ids``, and their names."""
    through = Skill.related.through
    related: dict[int, set[int]] = {}
    names: dict[int, str] = {}
    rows = through.objects.filter(from_skill_id__in=skill_ids).values_list(
        "from_skill_id", "to_skill_id", "to_skill__name"
    )
    for left, right, name in rows:
        related.setdefault(left, set()).add(right)
        names[right] = name
    return related, names


def gap_plans_for_applicant(
    *, profile_id: int, min_score: float | None = None, limit: int = 10
) -> list[GapPlan]:
    """Return the open vacancies an applicant is close to, with gaps and courses.

    Close means passing the vacancy's hard filters (credentials, place) with
    a score of at least ``min_score`` (default MATCHING_NEAR_MIN_SCORE) while
    missing at least one skill. Best scores first, at most ``limit``.
    """
    if min_score is None:
        min_score = settings.MATCHING_NEAR_MIN_SCORE
    weights = Weights.from_settings()
    inputs = load_inputs(profile_ids=[profile_id])
    if len(inputs.applicants.ids) == 0 or len(inputs.vacancies.ids) == 0:
        return []
    loose = Weights(
        **{
            **weights.__dict__,
            "min_score": min_score,
            "top_k": len(inputs.vacancies.ids),
            "strict": False,
        }
    )
    scorer = Scorer(inputs.skills, inputs.applicants, loose)
    candidates = scorer.score_block(
        inputs.vacancies, np.arange(len(inputs.vacancies.ids))
    )
    order = np.lexsort(
        (inputs.vacancies.ids[candidates.vacancy_rows], -candidates.scores)
    )
    ranked = [
        int(inputs.vacancies.ids[candidates.vacancy_rows[index]])
        for index in order.tolist()
    ]
    plans = []
    # Plans are built a batch of ``limit`` vacancies at a time, best first,
    # because vacancies without a gap are skipped and more may be needed.
    size = max(limit, 1)
    for start in range(0, len(ranked), size):
        batch = ranked[start : start + size]
        built = gap_plans(profile_id=profile_id, vacancy_ids=batch)
        for vacancy_id in batch:
            if vacancy_id in built and built[vacancy_id].gaps:
                plans.append(built[vacancy_id])
            if len(plans) >= limit:
                return plans
    return plans
