"""Completing a course raises the skills it teaches on the applicant's profile."""

import pytest

from applicants.models import ApplicantSkill
from colleges.services import enrolment_complete
from tests.colleges.factories import CourseFactory, EnrolmentFactory
from tests.factories import SkillFactory

pytestmark = pytest.mark.django_db


def test_completion_raises_taught_skill():
    # given
    skill = SkillFactory(name="Dementia care")
    course = CourseFactory()
    course.skills_taught.create(skill=skill, level=3)
    enrolment = EnrolmentFactory(course=course)

    # when
    enrolment_complete(enrolment_id=enrolment.pk, enqueue_badge=False)

    # then
    held = ApplicantSkill.objects.get(profile=enrolment.applicant, skill=skill)
    assert held.level == 3


def test_completion_keeps_higher_level():
    # given
    skill = SkillFactory(name="Dementia care")
    course = CourseFactory()
    course.skills_taught.create(skill=skill, level=2)
    enrolment = EnrolmentFactory(course=course)
    ApplicantSkill.objects.create(profile=enrolment.applicant, skill=skill, level=4)

    # when
    enrolment_complete(enrolment_id=enrolment.pk, enqueue_badge=False)

    # then
    held = ApplicantSkill.objects.get(profile=enrolment.applicant, skill=skill)
    assert held.level == 4
