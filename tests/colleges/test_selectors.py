import pytest

from colleges.models import Course, CourseSkill, Enrolment
from colleges.selectors import active_enrolment, courses_teaching, published_courses
from tests.colleges.factories import CollegeFactory, CourseFactory, EnrolmentFactory
from tests.factories import SkillFactory

pytestmark = pytest.mark.django_db


def test_published_hides_drafts_and_pending_colleges():
    shown = CourseFactory()
    CourseFactory(status=Course.Status.DRAFT)
    CourseFactory(college=CollegeFactory(approval_status="pending"))

    assert list(published_courses()) == [shown]


def test_courses_teaching_ranks_by_skills_matched():
    # given
    lifting, dementia, palliative = SkillFactory(), SkillFactory(), SkillFactory()
    broad = CourseFactory(title="Broad")
    narrow = CourseFactory(title="Narrow")
    unrelated = CourseFactory(title="Unrelated")
    for skill in (lifting, dementia):
        CourseSkill.objects.create(course=broad, skill=skill)
    CourseSkill.objects.create(course=narrow, skill=dementia)
    CourseSkill.objects.create(course=unrelated, skill=palliative)

    # when
    found = list(courses_teaching([lifting.pk, dementia.pk]))

    # then
    assert found == [broad, narrow]
    assert found[0].skills_matched == 2


def test_courses_teaching_respects_level():
    skill = SkillFactory()
    basic = CourseFactory()
    CourseSkill.objects.create(course=basic, skill=skill, level=2)

    assert list(courses_teaching([skill.pk], min_level=3)) == []


def test_active_enrolment_ignores_withdrawn():
    enrolment = EnrolmentFactory(status=Enrolment.Status.WITHDRAWN)

    found = active_enrolment(
        applicant_id=enrolment.applicant_id, course_id=enrolment.course_id
    )

    assert found is None
