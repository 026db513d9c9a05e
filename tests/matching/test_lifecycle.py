"""Changes that re-score matches: vacancies, profiles, occupations, courses."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Organization
from applicants.services import (
    applicant_credential_add,
    applicant_skill_remove,
    applicant_skill_set,
    applicant_skills_from_course,
    profile_add_occupation_skills,
)
from colleges.models import Course, CourseSkill
from matching.models import Match, MatchingRun, Occupation
from matching.taxonomy import load_taxonomy
from tests.matching.factories import (
    ApplicantFactory,
    CollegeFactory,
    CredentialFactory,
    EmployerFactory,
    SkillFactory,
    VacancyFactory,
    hold,
    require,
)
from vacancies.models import Vacancy
from vacancies.services import (
    vacancy_add_occupation_skills,
    vacancy_close,
    vacancy_publish,
    vacancy_skill_set,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _weights(settings):
    settings.MATCHING_MIN_SCORE = 0.5


def test_publish_matches_on_commit(django_capture_on_commit_callbacks):
    # given
    skill = SkillFactory()
    vacancy = VacancyFactory(status=Vacancy.Status.DRAFT, published_at=None)
    require(vacancy, skill, 3)
    applicant = ApplicantFactory()
    hold(applicant, skill, 3)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        vacancy_publish(vacancy_id=vacancy.pk)

    # then
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.OPEN
    assert vacancy.published_at is not None
    assert Match.objects.filter(vacancy=vacancy, applicant=applicant).exists()
    assert MatchingRun.objects.get().scope == MatchingRun.Scope.VACANCY


def test_publish_enqueues_nothing_before_commit(django_capture_on_commit_callbacks):
    # given
    vacancy = VacancyFactory(status=Vacancy.Status.DRAFT)

    # when
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        vacancy_publish(vacancy_id=vacancy.pk)

    # then
    assert len(callbacks) == 1
    assert not MatchingRun.objects.exists()


def test_publish_filled_raises():
    vacancy = VacancyFactory(status=Vacancy.Status.FILLED)

    with pytest.raises(ValidationError, match="filled"):
        vacancy_publish(vacancy_id=vacancy.pk)


def test_publish_pending_employer_raises():
    employer = EmployerFactory(approval_status=Organization.Approval.PENDING)
    vacancy = VacancyFactory(employer=employer, status=Vacancy.Status.DRAFT)

    with pytest.raises(ValidationError, match="not approved"):
        vacancy_publish(vacancy_id=vacancy.pk)


def test_close_keeps_approved(django_capture_on_commit_callbacks):
    # given
    vacancy = VacancyFactory()
    approved = Match.objects.create(
        vacancy=vacancy,
        applicant=ApplicantFactory(),
        score=0.9,
        status=Match.Status.APPROVED,
    )
    proposed = Match.objects.create(
        vacancy=vacancy, applicant=ApplicantFactory(), score=0.8
    )

    # when
    vacancy_close(vacancy_id=vacancy.pk, filled=True)

    # then
    approved.refresh_from_db()
    proposed.refresh_from_db()
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.FILLED
    assert approved.status == Match.Status.APPROVED
    assert proposed.status == Match.Status.WITHDRAWN


def test_skill_change_rescores_applicant(django_capture_on_commit_callbacks):
    # given
    skill = SkillFactory()
    vacancy = VacancyFactory()
    require(vacancy, skill, 3)
    applicant = ApplicantFactory()

    # when
    with django_capture_on_commit_callbacks(execute=True):
        applicant_skill_set(profile_id=applicant.pk, skill_id=skill.pk, level=4)

    # then
    assert Match.objects.filter(vacancy=vacancy, applicant=applicant).exists()
    assert MatchingRun.objects.get().scope == MatchingRun.Scope.APPLICANT


def test_skill_removal_withdraws(django_capture_on_commit_callbacks):
    # given
    skill = SkillFactory()
    vacancy = VacancyFactory()
    require(vacancy, skill, 3)
    applicant = ApplicantFactory()
    with django_capture_on_commit_callbacks(execute=True):
        applicant_skill_set(profile_id=applicant.pk, skill_id=skill.pk, level=4)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        applicant_skill_remove(profile_id=applicant.pk, skill_id=skill.pk)

    # then
    assert Match.objects.get().status == Match.Status.WITHDRAWN


def test_skill_level_out_of_range_raises():
    applicant = ApplicantFactory()

    with pytest.raises(ValidationError, match="from 1 to 5"):
        applicant_skill_set(
            profile_id=applicant.pk, skill_id=SkillFactory().pk, level=9
        )


def test_credential_unlocks_match(django_capture_on_commit_callbacks):
    # given
    skill, check = SkillFactory(), CredentialFactory()
    vacancy = VacancyFactory()
    require(vacancy, skill, 3)
    vacancy.required_credentials.add(check)
    applicant = ApplicantFactory()
    hold(applicant, skill, 3)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        applicant_credential_add(profile_id=applicant.pk, credential_id=check.pk)

    # then
    assert Match.objects.filter(vacancy=vacancy, applicant=applicant).exists()


def test_completed_course_raises_levels(django_capture_on_commit_callbacks):
    # given
    care, dementia = SkillFactory(), SkillFactory()
    vacancy = VacancyFactory()
    require(vacancy, care, 3)
    require(vacancy, dementia, 3)
    applicant = ApplicantFactory()
    hold(applicant, care, 3)
    hold(applicant, dementia, 1)
    course = Course.objects.create(
        college=CollegeFactory(), title="Dementia", hours=10, status="published"
    )
    CourseSkill.objects.create(course=course, skill=dementia, level=3)
    CourseSkill.objects.create(course=course, skill=care, level=2)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        raised = applicant_skills_from_course(
            profile_id=applicant.pk, course_id=course.pk
        )

    # then
    match = Match.objects.get(vacancy=vacancy, applicant=applicant)
    assert raised == [dementia.pk]
    assert applicant.skill_levels.get(skill=care).level == 3
    assert match.score == 1.0


def test_vacancy_skill_change_rescores(django_capture_on_commit_callbacks):
    # given
    skill = SkillFactory()
    vacancy = VacancyFactory()
    applicant = ApplicantFactory()
    hold(applicant, skill, 3)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        vacancy_skill_set(
            vacancy_id=vacancy.pk, skill_id=skill.pk, min_level=3, importance="required"
        )

    # then
    assert Match.objects.filter(vacancy=vacancy, applicant=applicant).exists()


def test_vacancy_from_occupation():
    # given
    load_taxonomy()
    occupation = Occupation.objects.get(code="mex:personal-support-worker")
    vacancy = VacancyFactory(status=Vacancy.Status.DRAFT)

    # when
    added = vacancy_add_occupation_skills(
        vacancy_id=vacancy.pk, occupation_id=occupation.pk, min_importance=4
    )

    # then
    vacancy.refresh_from_db()
    requirements = {r.skill.code: r for r in vacancy.skill_requirements.all()}
    assert len(added) == len(requirements)
    assert requirements["mex:personal-care"].importance == "required"
    assert requirements["mex:personal-care"].min_level == 3
    assert vacancy.noc_code == "33102"


def test_profile_from_occupation_keeps_levels():
    # given
    load_taxonomy()
    occupation = Occupation.objects.get(code="mex:personal-support-worker")
    applicant = ApplicantFactory()
    care = occupation.skill_profile.get(skill__code="mex:personal-care").skill
    hold(applicant, care, 5)

    # when
    added = profile_add_occupation_skills(
        profile_id=applicant.pk, occupation_id=occupation.pk
    )

    # then
    assert care.pk not in added
    assert applicant.skill_levels.get(skill=care).level == 5
    assert applicant.skill_levels.count() == len(added) + 1
