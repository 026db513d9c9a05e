"""Editing a profile's skills re-scores the applicant against open vacancies."""

import pytest

from applicants import onboarding
from matching.models import Match
from tests.factories import (
    ApplicantFactory,
    SkillFactory,
    VacancyFactory,
    VacancySkillFactory,
)

pytestmark = pytest.mark.django_db


def test_skills_set_proposes_match(django_capture_on_commit_callbacks):
    # given
    skill = SkillFactory(name="Personal care")
    vacancy = VacancyFactory()
    VacancySkillFactory(vacancy=vacancy, skill=skill, min_level=3)
    profile = ApplicantFactory()

    # when
    with django_capture_on_commit_callbacks(execute=True):
        onboarding.profile_skills_set(profile=profile, levels={skill: 3})

    # then
    assert Match.objects.filter(vacancy=vacancy, applicant=profile).exists()
