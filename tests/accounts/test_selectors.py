import pytest
from django.core.exceptions import ValidationError

from accounts import selectors
from accounts.models import Organization
from matching.models import Match
from tests.factories import (
    ApplicantFactory,
    CollegeFactory,
    MatchFactory,
    OrganizationFactory,
    VacancyFactory,
)

pytestmark = pytest.mark.django_db


def test_pending_college_cannot_publish():
    college = CollegeFactory(approval_status=Organization.Approval.PENDING)

    assert selectors.organization_can_publish(college) is False
    assert "waiting for a MEX administrator" in (
        selectors.organization_publish_block_reason(college)
    )


def test_approved_college_can_publish():
    college = CollegeFactory()

    assert selectors.organization_can_publish(college) is True
    assert selectors.organization_publish_block_reason(college) == ""


def test_rejected_organization_cannot_publish():
    college = CollegeFactory(approval_status=Organization.Approval.REJECTED)

    assert selectors.organization_can_publish(college) is False
    assert "declined" in selectors.organization_publish_block_reason(college)


def test_ensure_can_publish_rejects_pending_college():
    college = CollegeFactory(approval_status=Organization.Approval.PENDING)

    with pytest.raises(ValidationError) as error:
        selectors.ensure_organization_can_publish(college)

    assert error.value.code == "not_approved"


def test_ensure_can_publish_accepts_approved_college():
    selectors.ensure_organization_can_publish(CollegeFactory())


@pytest.fixture
def employer():
    return OrganizationFactory()


def _seen(applicant, employer):
    return selectors.applicant_for_employer(applicant=applicant, organization=employer)


def test_contact_hidden_without_a_match(employer):
    applicant = ApplicantFactory(consent_to_share=True, phone="905-555-0101")

    seen = _seen(applicant, employer)

    assert seen.contact_visible is False
    assert seen.email == ""
    assert seen.phone == ""


def test_contact_hidden_while_match_is_proposed(employer):
    applicant = ApplicantFactory(consent_to_share=True)
    MatchFactory(applicant=applicant, vacancy=VacancyFactory(employer=employer))

    assert _seen(applicant, employer).contact_visible is False


def test_contact_hidden_without_consent(employer):
    applicant = ApplicantFactory(consent_to_share=False)
    MatchFactory(
        applicant=applicant,
        vacancy=VacancyFactory(employer=employer),
        status=Match.Status.APPROVED,
    )

    assert _seen(applicant, employer).name == ""


def test_contact_shown_after_approval_and_consent(employer):
    applicant = ApplicantFactory(consent_to_share=True, phone="905-555-0101")
    MatchFactory(
        applicant=applicant,
        vacancy=VacancyFactory(employer=employer),
        status=Match.Status.APPROVED,
    )

    seen = _seen(applicant, employer)

    assert seen.contact_visible is True
    assert seen.email == applicant.user.email
    assert seen.phone == "905-555-0101"


def test_approval_for_another_employer_does_not_count(employer):
    applicant = ApplicantFactory(consent_to_share=True)
    MatchFactory(applicant=applicant, status=Match.Status.APPROVED)

    assert _seen(applicant, employer).contact_visible is False


def test_pending_employer_reason_names_vacancies():
    employer = OrganizationFactory(
        approval_status=Organization.Approval.PENDING, approved_at=None
    )

    reason = selectors.organization_publish_block_reason(employer)

    assert "cannot publish vacancies" in reason
    assert "college" not in reason
