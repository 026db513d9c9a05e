"""Matching on the real postings of the shared data folder (MEX_DATA_DIR)."""

import pytest

from applicants.models import ApplicantCredential, ApplicantSkill
from matching.importing import PostingImporter
from matching.selectors import rank_vacancies_for_applicant
from tests.matching.factories import ApplicantFactory
from tests.services import data_dir
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db


@pytest.fixture
def postings():
    report = PostingImporter().import_file(data_dir() / "healthcare_postings.csv")
    assert report.skipped == 0, report.errors
    return list(
        Vacancy.objects.prefetch_related("skill_requirements", "required_credentials")
    )


def test_every_posting_has_required_skill(postings):
    for posting in postings:
        importances = {r.importance for r in posting.skill_requirements.all()}
        assert "required" in importances, posting.source_id


def test_own_posting_ranks_first(postings, settings):
    # given the place is unknown, so that every posting is in reach
    settings.MATCHING_MIN_SCORE = 0.01
    occupation_of = {posting.pk: posting.noc_code for posting in postings}

    for posting in postings:
        # given a profile built from the posting's own requirements
        applicant = ApplicantFactory(country="", region="")
        ApplicantSkill.objects.bulk_create(
            ApplicantSkill(profile=applicant, skill_id=r.skill_id, level=r.min_level)
            for r in posting.skill_requirements.all()
        )
        ApplicantCredential.objects.bulk_create(
            ApplicantCredential(profile=applicant, credential=credential)
            for credential in posting.required_credentials.all()
        )

        # when
        ranked = rank_vacancies_for_applicant(profile_id=applicant.pk, limit=500)

        # then it comes before every posting of another occupation
        competing = [
            entry
            for entry in ranked
            if entry.vacancy_id == posting.pk
            or occupation_of[entry.vacancy_id] != posting.noc_code
        ]
        assert competing[0].vacancy_id == posting.pk, posting.source_id
        assert competing[0].score == 1.0, posting.source_id
        applicant.delete()
