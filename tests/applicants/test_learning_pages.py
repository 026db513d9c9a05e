"""Job seekers find courses for their gaps, enrol, and follow courses and badges."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organization
from badges.services import (
    badge_class_for_course,
    badge_issue,
    badge_revoke,
    pathway_create,
)
from colleges.models import Course, Enrolment
from tests.colleges.factories import (
    CollegeFactory,
    CompletedEnrolmentFactory,
    CourseFactory,
    EnrolmentFactory,
)
from tests.factories import (
    ApplicantSkillFactory,
    MatchFactory,
    SkillFactory,
    VacancyFactory,
    VacancySkillFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeker(client, applicant):
    client.force_login(applicant.user)
    return applicant


def _gap_match(applicant, skill, *, min_level=3):
    """Return a match on a vacancy that requires ``skill`` at ``min_level``."""
    vacancy = VacancyFactory()
    VacancySkillFactory(vacancy=vacancy, skill=skill, min_level=min_level)
    return MatchFactory(applicant=applicant, vacancy=vacancy)


def _teaching(skill, level=3, **fields):
    course = CourseFactory(**fields)
    course.skills_taught.create(skill=skill, level=level)
    return course


def test_matches_list_partly_met_skill(client, seeker):
    skill = SkillFactory(name="Dementia care")
    _gap_match(seeker, skill, min_level=4)
    ApplicantSkillFactory(profile=seeker, skill=skill, level=2)
    course = _teaching(skill, level=4)

    response = client.get(reverse("applicants:matches"))

    gap = response.context["matches"][0].learning.gaps[0]
    assert gap.status == "partial"
    assert gap.courses == [course]
    assert b"partly met" in response.content


def test_matches_list_courses_for_missing_skill(client, seeker):
    skill = SkillFactory(name="Dementia care")
    _gap_match(seeker, skill)
    course = _teaching(skill, title="Dementia Care Essentials")

    response = client.get(reverse("applicants:matches"))

    learning = response.context["matches"][0].learning
    assert [gap.name for gap in learning.gaps] == ["Dementia care"]
    assert learning.gaps[0].courses == [course]
    assert learning.closing_set == [course]
    assert b"Dementia Care Essentials" in response.content


def test_matches_hide_unfit_courses(client, seeker):
    # given: a course below the level asked, a draft, and one of a pending college
    skill = SkillFactory()
    _gap_match(seeker, skill, min_level=4)
    _teaching(skill, level=3, title="Too basic")
    _teaching(skill, level=4, title="Draft course", status=Course.Status.DRAFT)
    pending = CollegeFactory(approval_status=Organization.Approval.PENDING)
    _teaching(skill, level=4, title="Pending college", college=pending)

    # when
    response = client.get(reverse("applicants:matches"))

    # then
    assert response.context["matches"][0].learning.gaps[0].courses == []
    assert b"No course teaches it on MEX yet." in response.content


def test_matches_skip_met_skills(client, seeker):
    skill = SkillFactory()
    _gap_match(seeker, skill)
    ApplicantSkillFactory(profile=seeker, skill=skill, level=3)
    _teaching(skill)

    response = client.get(reverse("applicants:matches"))

    assert response.context["matches"][0].learning.gaps == []


def test_enrol_in_one_click(client, seeker):
    course = _teaching(SkillFactory())

    response = client.post(
        reverse("applicants:course_enrol", args=[course.pk]),
        {"next": reverse("applicants:matches")},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("applicants:matches")
    assert Enrolment.objects.get().applicant == seeker


def test_enrol_with_htmx_returns_fragment(client, seeker):
    course = _teaching(SkillFactory())

    response = client.post(
        reverse("applicants:course_enrol", args=[course.pk]), HTTP_HX_REQUEST="true"
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert "Enrolled" in body
    assert Enrolment.objects.filter(applicant=seeker, course=course).exists()


def test_enrol_full_course_explains(client, seeker):
    course = _teaching(SkillFactory(), capacity=1)
    EnrolmentFactory(course=course)

    response = client.post(
        reverse("applicants:course_enrol", args=[course.pk]), HTTP_HX_REQUEST="true"
    )

    assert "is full: its 1 place is taken" in response.content.decode()
    assert not Enrolment.objects.filter(applicant=seeker).exists()


def test_enrol_ignores_foreign_next(client, seeker):
    course = _teaching(SkillFactory())

    response = client.post(
        reverse("applicants:course_enrol", args=[course.pk]),
        {"next": "https://evil.example/"},
    )

    assert response["Location"] == reverse("applicants:courses")


def test_enrol_signed_out_returns_to_form_page(client):
    course = _teaching(SkillFactory())
    catalogue_page = reverse("catalogue:detail", args=[course.pk])

    response = client.post(
        reverse("applicants:course_enrol", args=[course.pk]), {"next": catalogue_page}
    )

    login = reverse("account_login")
    assert response.status_code == 302
    assert response["Location"] == f"{login}?next={quote(catalogue_page)}"
    assert not Enrolment.objects.exists()


def test_enrol_signed_out_defaults_to_course_page(client):
    course = _teaching(SkillFactory())

    response = client.post(
        reverse("applicants:course_enrol", args=[course.pk]),
        {"next": "https://evil.example/"},
    )

    expected = quote(reverse("catalogue:detail", args=[course.pk]))
    assert response["Location"] == f"{reverse('account_login')}?next={expected}"


def test_enrol_signed_out_htmx_loads_sign_in(client):
    course = _teaching(SkillFactory())
    matches_page = reverse("applicants:matches")

    response = client.post(
        reverse("applicants:course_enrol", args=[course.pk]),
        {"next": matches_page},
        HTTP_HX_REQUEST="true",
    )

    expected = f"{reverse('account_login')}?next={quote(matches_page)}"
    assert response["HX-Redirect"] == expected
    assert not Enrolment.objects.exists()


def test_enrol_in_draft_is_404(client, seeker):
    draft = _teaching(SkillFactory(), status=Course.Status.DRAFT)

    response = client.post(reverse("applicants:course_enrol", args=[draft.pk]))

    assert response.status_code == 404
    assert not Enrolment.objects.exists()


def test_enrol_needs_post(client, seeker):
    course = _teaching(SkillFactory())

    response = client.get(reverse("applicants:course_enrol", args=[course.pk]))

    assert response.status_code == 405


def test_my_courses_show_status_and_progress(client, seeker):
    EnrolmentFactory(applicant=seeker, course=CourseFactory(title="Safe lifts"))
    done = CompletedEnrolmentFactory(
        applicant=seeker, course=CourseFactory(title="Infection control")
    )
    badge_issue(enrolment_id=done.pk)

    response = client.get(reverse("applicants:courses"))

    progress = {e.course.title: e.progress for e in response.context["enrolments"]}
    assert progress == {"Safe lifts": 2, "Infection control": 4}
    assert b'<progress id="progress-' in response.content


def test_my_courses_hide_others(client, seeker):
    EnrolmentFactory(course=CourseFactory(title="Someone else's course"))

    response = client.get(reverse("applicants:courses"))

    assert list(response.context["enrolments"]) == []


def test_leave_course(client, seeker):
    enrolment = EnrolmentFactory(applicant=seeker)

    client.post(reverse("applicants:enrolment_withdraw", args=[enrolment.pk]))

    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.WITHDRAWN


def test_leave_others_course_is_404(client, seeker):
    enrolment = EnrolmentFactory()

    response = client.post(
        reverse("applicants:enrolment_withdraw", args=[enrolment.pk])
    )

    assert response.status_code == 404


def test_my_badges_link_verification_and_png(client, seeker):
    enrolment = CompletedEnrolmentFactory(applicant=seeker)
    assertion = badge_issue(enrolment_id=enrolment.pk)

    response = client.get(reverse("applicants:badges"))

    body = response.content.decode()
    assert reverse("badges:verify", args=[assertion.public_id]) in body
    assert reverse("badges:assertion_image", args=[assertion.public_id]) in body
    assert "download=" in body


def test_my_badges_hide_others(client, seeker):
    other = CompletedEnrolmentFactory()
    badge_issue(enrolment_id=other.pk)

    response = client.get(reverse("applicants:badges"))

    assert response.context["badges"] == []
    assert "No badges yet." in response.content.decode()


def test_my_badges_show_each_status(client, seeker):
    # given: a valid, an expired and a revoked badge
    valid, expired, revoked = (
        badge_issue(enrolment_id=CompletedEnrolmentFactory(applicant=seeker).pk)
        for _ in range(3)
    )
    expired.expires_on = timezone.now() - timedelta(days=1)
    expired.save(update_fields=["expires_on"])
    badge_revoke(assertion_id=revoked.pk, reason="Issued by mistake.")

    # when
    response = client.get(reverse("applicants:badges"))

    # then
    statuses = {
        assertion.pk: status for assertion, status in response.context["badges"]
    }
    assert statuses == {valid.pk: "valid", expired.pk: "expired", revoked.pk: "revoked"}
    body = response.content.decode()
    assert ">Valid</span>" in body
    assert ">Expired</span>" in body
    assert ">Revoked</span>" in body


def test_my_badges_show_pathway_progress(client, seeker):
    # given: a pathway of two course badges, one of them earned
    college = CollegeFactory()
    courses = CourseFactory.create_batch(2, college=college)
    components = [badge_class_for_course(course_id=c.pk).pk for c in courses]
    pathway_create(
        college_id=college.pk, name="PSW Foundations", component_ids=components
    )
    enrolment = CompletedEnrolmentFactory(applicant=seeker, course=courses[0])
    badge_issue(enrolment_id=enrolment.pk)

    # when
    response = client.get(reverse("applicants:badges"))

    # then
    body = response.content.decode()
    assert "PSW Foundations" in body
    assert "1 of 2 badges" in body
    assert 'aria-valuenow="50"' in body


def test_my_badges_switch_portfolio(client, seeker):
    # given
    badge_issue(enrolment_id=CompletedEnrolmentFactory(applicant=seeker).pk)

    # when
    client.post(reverse("badges:portfolio_visibility"), {"public": "1"})
    response = client.get(reverse("applicants:badges"))

    # then
    portfolio = response.context["portfolio"]
    assert portfolio.is_public
    url = reverse("badges:portfolio", args=[portfolio.public_id])
    assert url in response.content.decode()
    assert "Make private" in response.content.decode()


def test_my_badges_is_one_page(client, seeker):
    response = client.get(reverse("applicants:badges"))

    body = response.content.decode()
    assert "Public portfolio" in body
    assert 'href="/badges/mine/"' not in body
    assert body.count(f'href="{reverse("applicants:badges")}"') == 1


def test_learning_pages_need_applicant(client, college_member):
    client.force_login(college_member.user)

    for name in ("applicants:courses", "applicants:badges", "applicants:resume"):
        assert client.get(reverse(name)).status_code == 404, name
