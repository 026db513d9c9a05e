import pytest
from django.core.exceptions import ValidationError

from badges.models import Assertion
from badges.selectors import pathway_progress
from badges.services import (
    badge_class_for_course,
    badge_issue,
    badge_revoke,
    pathway_award,
    pathway_create,
    portfolio_set_public,
)
from tests.colleges.factories import (
    ApplicantFactory,
    CollegeFactory,
    CompletedEnrolmentFactory,
    CourseFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pathway():
    college = CollegeFactory()
    courses = [
        CourseFactory(college=college, title=title)
        for title in ("Dementia Care", "Palliative Care", "Safe Lifting")
    ]
    component_ids = [badge_class_for_course(course_id=c.pk).pk for c in courses]
    return pathway_create(
        college_id=college.pk, name="PSW Foundations", component_ids=component_ids
    )


def _complete(applicant, badge_class, capture):
    enrolment = CompletedEnrolmentFactory(
        applicant=applicant, course=badge_class.course
    )
    with capture(execute=True):
        return badge_issue(enrolment_id=enrolment.pk)


def _pathway_badges(pathway, applicant):
    return Assertion.objects.filter(
        badge_class=pathway.badge_class, recipient=applicant
    )


def test_pathway_badge_after_last_component(
    pathway, django_capture_on_commit_callbacks
):
    # given
    applicant = ApplicantFactory()
    components = list(pathway.components.all())

    # when
    for badge_class in components:
        _complete(applicant, badge_class, django_capture_on_commit_callbacks)

    # then
    assertion = _pathway_badges(pathway, applicant).get()
    assert assertion.enrolment is None
    assert assertion.credential_jwt


def test_no_pathway_badge_while_missing(pathway, django_capture_on_commit_callbacks):
    applicant = ApplicantFactory()

    for badge_class in list(pathway.components.all())[:2]:
        _complete(applicant, badge_class, django_capture_on_commit_callbacks)

    assert not _pathway_badges(pathway, applicant).exists()


def test_revoked_component_does_not_count(pathway, django_capture_on_commit_callbacks):
    # given
    applicant = ApplicantFactory()
    first, *others = list(pathway.components.all())
    revoked = _complete(applicant, first, django_capture_on_commit_callbacks)
    badge_revoke(assertion_id=revoked.pk, reason="Issued in error.")

    # when
    for badge_class in others:
        _complete(applicant, badge_class, django_capture_on_commit_callbacks)

    # then
    assert not _pathway_badges(pathway, applicant).exists()


def test_pathway_award_is_idempotent(pathway, django_capture_on_commit_callbacks):
    applicant = ApplicantFactory()
    for badge_class in pathway.components.all():
        _complete(applicant, badge_class, django_capture_on_commit_callbacks)

    again = pathway_award(pathway_id=pathway.pk, applicant_id=applicant.pk)

    assert _pathway_badges(pathway, applicant).get() == again


def test_pathway_needs_two_components():
    college = CollegeFactory()
    only = badge_class_for_course(course_id=CourseFactory(college=college).pk)

    with pytest.raises(ValidationError, match="at least two"):
        pathway_create(college_id=college.pk, name="Solo", component_ids=[only.pk])


def test_pathway_rejects_other_college_badges():
    college = CollegeFactory()
    own = badge_class_for_course(course_id=CourseFactory(college=college).pk)
    other = badge_class_for_course(course_id=CourseFactory().pk)

    with pytest.raises(ValidationError, match="not course badges of college"):
        pathway_create(
            college_id=college.pk, name="Mixed", component_ids=[own.pk, other.pk]
        )


def test_progress_lists_missing(pathway, django_capture_on_commit_callbacks):
    applicant = ApplicantFactory()
    first, *_others = list(pathway.components.order_by("name"))
    _complete(applicant, first, django_capture_on_commit_callbacks)

    (progress,) = pathway_progress(applicant.pk)

    assert [badge.name for badge in progress.held] == [first.name]
    assert len(progress.missing) == 2
    assert progress.percent == 33


def test_pathway_badge_json_has_no_course(
    client, pathway, django_capture_on_commit_callbacks
):
    applicant = ApplicantFactory()
    for badge_class in pathway.components.all():
        _complete(applicant, badge_class, django_capture_on_commit_callbacks)

    document = client.get(f"/badges/classes/{pathway.badge_class.public_id}/").json()

    assert document["name"] == "PSW Foundations"
    assert "Dementia Care" in document["criteria"]["narrative"]


def test_portfolio_is_private_by_default(client):
    applicant = ApplicantFactory()
    portfolio = portfolio_set_public(applicant_id=applicant.pk, is_public=False)

    response = client.get(f"/badges/portfolios/{portfolio.public_id}/")

    assert response.status_code == 404
