from unittest import mock

import pytest
from django.urls import reverse

from applicants.models import ApplicantCredential
from matching import tasks
from matching.models import Match
from tests.factories import SkillFactory
from tests.matching.factories import CredentialFactory, VacancyFactory, require

pytestmark = pytest.mark.django_db


def _profile_data(**extra) -> dict:
    data = {
        "headline": "PSW",
        "location": "Toronto, ON",
        "open_to_work": "on",
        "skills-TOTAL_FORMS": "0",
        "skills-INITIAL_FORMS": "0",
    }
    data.update(extra)
    return data


def test_profile_edit_records_credentials(client, applicant):
    # given
    certificate = CredentialFactory(name="Personal Support Worker certificate")
    client.force_login(applicant.user)

    # when
    response = client.post(
        reverse("applicants:profile_edit"), _profile_data(credentials=[certificate.pk])
    )

    # then
    assert response.status_code == 302
    assert ApplicantCredential.objects.filter(
        profile=applicant, credential=certificate
    ).exists()


def test_profile_edit_removes_unticked_credential(client, applicant):
    # given
    kept = CredentialFactory()
    dropped = CredentialFactory()
    applicant.credentials.add(kept, dropped)
    client.force_login(applicant.user)

    # when
    client.post(
        reverse("applicants:profile_edit"), _profile_data(credentials=[kept.pk])
    )

    # then
    held = set(applicant.credentials.values_list("pk", flat=True))
    assert held == {kept.pk}


def test_profile_edit_rejects_unknown_credential(client, applicant):
    CredentialFactory()
    client.force_login(applicant.user)

    response = client.post(
        reverse("applicants:profile_edit"), _profile_data(credentials=["99999"])
    )

    assert response.status_code == 200
    assert "99999 is not a known credential" in response.text
    assert not applicant.credentials.exists()


def test_recorded_credential_lets_applicant_match(
    client, applicant, django_capture_on_commit_callbacks
):
    # given a vacancy that requires a certificate and one skill
    certificate = CredentialFactory()
    care = SkillFactory(name="Personal care")
    vacancy = VacancyFactory()
    require(vacancy, care, min_level=3)
    vacancy.required_credentials.add(certificate)
    client.force_login(applicant.user)
    data = _profile_data(
        credentials=[certificate.pk],
        **{
            "skills-TOTAL_FORMS": "1",
            "skills-0-skill": care.pk,
            "skills-0-level": "3",
        },
    )

    # when
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("applicants:profile_edit"), data)

    # then
    assert Match.objects.filter(applicant=applicant, vacancy=vacancy).exists()


def test_profile_edit_names_duplicate_skill(client, applicant):
    # given
    care = SkillFactory(name="Personal care")
    client.force_login(applicant.user)
    data = _profile_data(
        **{
            "skills-TOTAL_FORMS": "2",
            "skills-0-skill": care.pk,
            "skills-0-level": "3",
            "skills-1-skill": care.pk,
            "skills-1-level": "4",
        }
    )

    # when
    response = client.post(reverse("applicants:profile_edit"), data)

    # then
    assert response.status_code == 200
    assert "Personal care is listed twice: keep one row per skill." in response.text


@pytest.mark.parametrize("credentials_change", [False, True])
def test_profile_save_enqueues_one_rescore(
    client, applicant, django_capture_on_commit_callbacks, credentials_change
):
    # given: a form that changes the place, a skill and maybe a credential
    care = SkillFactory(name="Personal care")
    extra = {"credentials": [CredentialFactory().pk]} if credentials_change else {}
    data = _profile_data(
        location="Hamilton, ON",
        **extra,
        **{
            "skills-TOTAL_FORMS": "1",
            "skills-0-skill": care.pk,
            "skills-0-level": "3",
        },
    )
    client.force_login(applicant.user)

    # when: the job seeker saves it once
    with (
        mock.patch.object(tasks.rescore_applicant, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("applicants:profile_edit"), data)

    # then: the worker is asked to re-score the applicant once
    assert response.status_code == 302
    assert delay.call_args_list == [mock.call(applicant.pk)]
