"""Skill gaps and the courses that close them."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Organization
from colleges.models import Course, CourseSkill
from matching.gaps import CourseOption, smallest_closing_set
from matching.selectors import gap_plan, gap_plans_for_applicant
from tests.matching.factories import (
    ApplicantFactory,
    CollegeFactory,
    SkillFactory,
    VacancyFactory,
    hold,
    require,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _weights(settings):
    settings.MATCHING_MIN_SCORE = 0.5
    settings.MATCHING_NEAR_MIN_SCORE = 0.2


def _course(college, title, hours, taught, status=Course.Status.PUBLISHED):
    course = Course.objects.create(
        college=college, title=title, hours=hours, status=status
    )
    for skill, level in taught:
        CourseSkill.objects.create(course=course, skill=skill, level=level)
    return course


@pytest.fixture
def scene():
    care, dementia, lifts = SkillFactory(), SkillFactory(), SkillFactory()
    vacancy = VacancyFactory()
    require(vacancy, care, 3)
    require(vacancy, dementia, 3)
    require(vacancy, lifts, 3, "preferred")
    applicant = ApplicantFactory()
    hold(applicant, care, 3)
    hold(applicant, dementia, 1)
    return SimpleNamespace(
        vacancy=vacancy, applicant=applicant, care=care, dementia=dementia, lifts=lifts
    )


def test_gaps_listed_by_gain(scene):
    # given

    # when
    plan = gap_plan(profile_id=scene.applicant.pk, vacancy_id=scene.vacancy.pk)

    # then
    assert [gap.skill_id for gap in plan.gaps] == [scene.dementia.pk, scene.lifts.pk]
    assert plan.gaps[0].status == "partial"
    assert plan.gaps[1].status == "missing"
    assert plan.gaps[1].gain == 0.2


def test_courses_ranked_per_hour(scene):
    # given
    college = CollegeFactory()
    slow = _course(college, "Dementia in depth", 40, [(scene.dementia, 4)])
    quick = _course(college, "Dementia basics", 10, [(scene.dementia, 3)])

    # when
    plan = gap_plan(profile_id=scene.applicant.pk, vacancy_id=scene.vacancy.pk)

    # then
    assert [option.course for option in plan.courses] == [quick, slow]


def test_course_below_level_ignored(scene):
    # given
    _course(CollegeFactory(), "Dementia awareness", 2, [(scene.dementia, 2)])

    # when
    plan = gap_plan(profile_id=scene.applicant.pk, vacancy_id=scene.vacancy.pk)

    # then
    assert plan.courses == []


def test_unapproved_college_hidden(scene):
    # given
    pending = CollegeFactory(approval_status=Organization.Approval.PENDING)
    _course(pending, "Dementia basics", 10, [(scene.dementia, 3)])

    # when
    plan = gap_plan(profile_id=scene.applicant.pk, vacancy_id=scene.vacancy.pk)

    # then
    assert plan.courses == []


def test_draft_course_hidden(scene):
    # given
    _course(
        CollegeFactory(),
        "Dementia",
        10,
        [(scene.dementia, 3)],
        status=Course.Status.DRAFT,
    )

    # when
    plan = gap_plan(profile_id=scene.applicant.pk, vacancy_id=scene.vacancy.pk)

    # then
    assert plan.courses == []


def test_closing_set_is_smallest(scene):
    # given
    college = CollegeFactory()
    _course(college, "Dementia basics", 10, [(scene.dementia, 3)])
    _course(college, "Safe lifts", 8, [(scene.lifts, 3)])
    both = _course(
        college, "Complete care", 30, [(scene.dementia, 3), (scene.lifts, 3)]
    )

    # when
    plan = gap_plan(profile_id=scene.applicant.pk, vacancy_id=scene.vacancy.pk)

    # then
    assert [option.course for option in plan.closing_set] == [both]
    assert plan.closing_hours == 30


def test_no_closing_set_when_gap_untaught(scene):
    # given
    _course(CollegeFactory(), "Dementia basics", 10, [(scene.dementia, 3)])

    # when
    plan = gap_plan(profile_id=scene.applicant.pk, vacancy_id=scene.vacancy.pk)

    # then
    assert plan.closing_set is None
    assert [gap.skill_id for gap in plan.uncovered] == [scene.lifts.pk]


class _Course:
    def __init__(self, hours):
        self.hours = hours


def _option(hours, closes):
    return CourseOption(
        course=_Course(hours), closes=tuple(closes), gain=0, gain_per_hour=0
    )


def test_smallest_set_exact_against_greedy():
    # given a case where taking the biggest course first needs three courses
    options = [
        _option(10, [1, 2, 3, 4]),
        _option(10, [1, 2, 5]),
        _option(10, [3, 4, 6]),
        _option(10, [5]),
        _option(10, [6]),
    ]

    # when
    chosen = smallest_closing_set([1, 2, 3, 4, 5, 6], options)

    # then
    assert chosen == [options[1], options[2]]


def test_smallest_set_prefers_fewer_hours():
    # given
    options = [
        _option(30, [1, 2]),
        _option(5, [1]),
        _option(5, [2]),
        _option(20, [1, 2]),
    ]

    # when
    chosen = smallest_closing_set([1, 2], options)

    # then
    assert chosen == [options[3]]


def test_plans_for_applicant_lists_near_vacancies(scene):
    # given
    far = VacancyFactory()
    require(far, SkillFactory(), 3)

    # when
    plans = gap_plans_for_applicant(profile_id=scene.applicant.pk)

    # then
    assert [plan.vacancy for plan in plans] == [scene.vacancy]


def _queries_for_near_vacancies(scene, count: int) -> int:
    for _ in range(count):
        vacancy = VacancyFactory()
        require(vacancy, scene.care, 3)
        require(vacancy, scene.dementia, 3)
    with CaptureQueriesContext(connection) as queries:
        plans = gap_plans_for_applicant(profile_id=scene.applicant.pk, limit=50)
    assert plans
    return len(queries)


def test_plans_for_applicant_query_per_batch(scene):
    # given: a course for the gap, so that course queries run too
    _course(CollegeFactory(), "Dementia care", 10, [(scene.dementia, 3)])

    # when
    few = _queries_for_near_vacancies(scene, 2)
    many = _queries_for_near_vacancies(scene, 30)

    # then: one batch of at most 50 vacancies both times
    assert many == few
