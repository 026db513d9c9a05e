import pytest
from django.urls import reverse

from applicants.models import ApplicantSkill
from matching.models import Match
from tests.factories import ApplicantFactory, MatchFactory, SkillFactory

pytestmark = pytest.mark.django_db


def test_matches_page_explains_each_match(client, applicant):
    MatchFactory(applicant=applicant, vacancy__title="Night PSW")
    client.force_login(applicant.user)

    response = client.get(reverse("applicants:matches"))

    assert "Night PSW" in response.text
    assert "Dementia care" in response.text
    assert "1 of 2 required skills" in response.text


def test_matches_page_hides_other_applicants_matches(client, applicant):
    MatchFactory(applicant=ApplicantFactory(), vacancy__title="Someone else's")
    client.force_login(applicant.user)

    response = client.get(reverse("applicants:matches"))

    assert "Someone else's" not in response.text


def test_matches_page_hides_withdrawn_matches(client, applicant):
    MatchFactory(
        applicant=applicant, vacancy__title="Gone", status=Match.Status.WITHDRAWN
    )
    client.force_login(applicant.user)

    response = client.get(reverse("applicants:matches"))

    assert "Gone" not in response.text


def test_matches_page_is_404_for_non_applicants(client, employer_member):
    client.force_login(employer_member.user)

    response = client.get(reverse("applicants:matches"))

    assert response.status_code == 404


def test_profile_edit_saves_fields_and_skills(client, applicant):
    # given
    care = SkillFactory(name="Personal care")
    client.force_login(applicant.user)
    data = {
        "headline": "PSW with 3 years in long-term care",
        "location": "Hamilton, ON",
        "open_to_work": "on",
        "consent_to_share": "on",
        "skills-TOTAL_FORMS": "1",
        "skills-INITIAL_FORMS": "0",
        "skills-0-skill": care.pk,
        "skills-0-level": "4",
    }

    # when
    response = client.post(reverse("applicants:profile_edit"), data)

    # then
    applicant.refresh_from_db()
    assert response.status_code == 302
    assert applicant.headline == "PSW with 3 years in long-term care"
    assert applicant.consent_given_at is not None
    assert ApplicantSkill.objects.get(profile=applicant).level == 4


def test_profile_edit_removes_deleted_skill(client, applicant):
    record = ApplicantSkill.objects.create(
        profile=applicant, skill=SkillFactory(), level=2
    )
    client.force_login(applicant.user)
    data = {
        "headline": "PSW",
        "location": "Hamilton",
        "skills-TOTAL_FORMS": "1",
        "skills-INITIAL_FORMS": "1",
        "skills-0-id": record.pk,
        "skills-0-skill": record.skill_id,
        "skills-0-level": "2",
        "skills-0-DELETE": "on",
    }

    client.post(reverse("applicants:profile_edit"), data)

    assert not ApplicantSkill.objects.filter(profile=applicant).exists()


def test_withdrawing_consent_clears_its_time(client, applicant):
    applicant.consent_to_share = True
    applicant.save()
    client.force_login(applicant.user)
    data = {
        "headline": "PSW",
        "location": "Hamilton",
        "skills-TOTAL_FORMS": "0",
        "skills-INITIAL_FORMS": "0",
    }

    client.post(reverse("applicants:profile_edit"), data)

    applicant.refresh_from_db()
    assert applicant.consent_to_share is False
    assert applicant.consent_given_at is None
