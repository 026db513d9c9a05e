"""Demand for a skill."""

import pytest

from colleges.models import Course, CourseSkill
from matching.selectors import skill_demand, skills_in_demand
from tests.matching.factories import (
    ApplicantFactory,
    CollegeFactory,
    SkillFactory,
    VacancyFactory,
    hold,
    require,
)
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _weights(settings):
    settings.MATCHING_MIN_SCORE = 0.7


def test_demand_counts_vacancies_applicants_courses():
    # given two open vacancies and a closed one needing dementia care
    care, dementia = SkillFactory(), SkillFactory()
    for status in (Vacancy.Status.OPEN, Vacancy.Status.OPEN, Vacancy.Status.CLOSED):
        vacancy = VacancyFactory(status=status)
        require(vacancy, care, 3)
        require(vacancy, dementia, 3)
    near = ApplicantFactory()
    hold(near, care, 3)
    ready = ApplicantFactory()
    hold(ready, care, 3)
    hold(ready, dementia, 3)
    unrelated = ApplicantFactory()
    hold(unrelated, SkillFactory(), 5)
    course = Course.objects.create(
        college=CollegeFactory(), title="Dementia", hours=10, status="published"
    )
    CourseSkill.objects.create(course=course, skill=dementia, level=3)

    # when
    demand = skill_demand(skill_id=dementia.pk)

    # then
    assert demand.vacancies == 2
    assert demand.lacking == {near.pk: 2}
    assert demand.held_back == {near.pk: 2}
    assert demand.course_ids == [course.pk]


def test_partial_match_lacks_but_not_held_back(settings):
    # given
    settings.MATCHING_MIN_SCORE = 0.5
    care, dementia = SkillFactory(), SkillFactory()
    vacancy = VacancyFactory()
    require(vacancy, care, 3)
    require(vacancy, dementia, 3)
    applicant = ApplicantFactory()
    hold(applicant, care, 3)

    # when
    demand = skill_demand(skill_id=dementia.pk)

    # then
    assert demand.lacking == {applicant.pk: 1}
    assert demand.held_back == {}


def test_skills_in_demand_ranked():
    # given
    common, rare = SkillFactory(), SkillFactory()
    for _ in range(3):
        require(VacancyFactory(), common, 3)
    require(VacancyFactory(), rare, 3)

    # when
    ranking = skills_in_demand()

    # then
    assert ranking == [(common, 3), (rare, 1)]


def test_demand_applies_place_filter(settings):
    # given an applicant who would match only with the skill, in another region
    settings.MATCHING_MIN_SCORE = 0.7
    care, dementia = SkillFactory(), SkillFactory()
    vacancy = VacancyFactory(region="ON")
    require(vacancy, care, 3)
    require(vacancy, dementia, 3)
    away = ApplicantFactory(region="BC")
    hold(away, care, 3)

    # when
    demand = skill_demand(skill_id=dementia.pk)

    # then
    assert demand.lacking == {}
