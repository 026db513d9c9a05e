"""List pages run as many queries for 1,000 rows as for 10.

Each test renders a page with a few rows, grows the list to 1,000 rows and
renders it again: a page that loads a related row per listed row (an N+1
query) runs more queries the second time.
"""

from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Notification
from badges.services import badge_issue
from colleges import catalogue_views
from matching.models import Match
from tests.colleges.factories import (
    CompletedEnrolmentFactory,
    CourseFactory,
    EnrolmentFactory,
)
from tests.factories import (
    ApplicantFactory,
    MatchFactory,
    MembershipFactory,
    OrganizationFactory,
    SkillFactory,
    VacancyFactory,
)

pytestmark = pytest.mark.django_db

FEW = 10
MANY = 1000


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@contextmanager
def _page_size(size: int):
    with mock.patch.object(catalogue_views, "PAGE_SIZE", size):
        yield


def _grows_flat(client, url: str, add_rows) -> tuple[int, int]:
    add_rows(FEW)
    few = _queries(client, url)
    add_rows(MANY - FEW)
    many = _queries(client, url)
    return few, many


def test_vacancy_list(client):
    employer = OrganizationFactory()

    few, many = _grows_flat(
        client,
        reverse("vacancies:list"),
        lambda count: VacancyFactory.create_batch(count, employer=employer),
    )

    assert many == few


def test_employer_dashboard(client):
    membership = MembershipFactory()
    employer = membership.organization
    client.force_login(membership.user)

    def add(count):
        for vacancy in VacancyFactory.create_batch(count, employer=employer):
            MatchFactory(vacancy=vacancy)

    few, many = _grows_flat(client, reverse("vacancies:employer_dashboard"), add)

    assert many == few


def test_applicant_matches(client):
    applicant = ApplicantFactory()
    employer = OrganizationFactory()
    client.force_login(applicant.user)

    def add(count):
        for vacancy in VacancyFactory.create_batch(count, employer=employer):
            MatchFactory(vacancy=vacancy, applicant=applicant)

    few, many = _grows_flat(client, reverse("applicants:matches"), add)

    assert many == few


def test_notifications(client):
    applicant = ApplicantFactory()
    client.force_login(applicant.user)
    added = []

    def add(count):
        start = len(added)
        rows = [
            Notification(
                recipient=applicant.user,
                kind=Notification.Kind.MATCH_APPROVED,
                event_key=f"match_approved:{start + index}",
                title="A match was approved",
                url="/me/matches/",
            )
            for index in range(count)
        ]
        added.extend(Notification.objects.bulk_create(rows))

    few, many = _grows_flat(client, reverse("accounts:notifications"), add)

    assert many == few


def _add_catalogue_courses(count, applicant=None):
    """Add ``count`` public courses, each teaching two skills, with enrolments."""
    skills = SkillFactory.create_batch(2)
    for course in CourseFactory.create_batch(count, capacity=30):
        for skill in skills:
            course.skills_taught.create(skill=skill, level=3)
        EnrolmentFactory(course=course)
        if applicant is not None:
            EnrolmentFactory(course=course, applicant=applicant)


def test_course_catalogue(client):
    # Every course fits on the page, so each row's skills and places are
    # rendered.
    url = reverse("catalogue:list") + "?sort=hours"

    with _page_size(MANY):
        few, many = _grows_flat(client, url, _add_catalogue_courses)

    assert many == few


def test_course_catalogue_as_applicant(client):
    applicant = ApplicantFactory()
    client.force_login(applicant.user)

    with _page_size(MANY):
        few, many = _grows_flat(
            client,
            reverse("catalogue:list"),
            lambda count: _add_catalogue_courses(count, applicant),
        )

    assert many == few


def _college_with_course(client):
    membership = MembershipFactory(organization=OrganizationFactory(kind="college"))
    client.force_login(membership.user)
    return CourseFactory(college=membership.organization)


def test_college_enrolments(client):
    course = _college_with_course(client)

    few, many = _grows_flat(
        client,
        reverse("colleges:course_enrolments", args=[course.pk]),
        lambda count: EnrolmentFactory.create_batch(count, course=course),
    )

    assert many == few


def test_college_badges(client, settings):
    course = _college_with_course(client)

    def add(count):
        for enrolment in CompletedEnrolmentFactory.create_batch(count, course=course):
            badge_issue(enrolment_id=enrolment.pk)

    # Baking 1,000 PNGs is slow and not what this measures; 100 rows show
    # an N+1 query as well.
    add(FEW)
    few = _queries(client, reverse("badges:college_badges"))
    add(100 - FEW)
    many = _queries(client, reverse("badges:college_badges"))

    assert many == few


def test_applicant_badges(client):
    applicant = ApplicantFactory()
    client.force_login(applicant.user)
    url = reverse("applicants:badges")

    def add(count):
        for enrolment in CompletedEnrolmentFactory.create_batch(
            count, applicant=applicant
        ):
            badge_issue(enrolment_id=enrolment.pk)

    # As for the college's badges, 100 baked badges show an N+1 query.
    add(FEW)
    few = _queries(client, url)
    add(100 - FEW)
    many = _queries(client, url)

    assert many == few


@pytest.mark.parametrize(
    "changelist", ["matching_match", "vacancies_vacancy", "badges_assertion"]
)
def test_admin_changelists(admin_client_with_mfa, changelist):
    client = admin_client_with_mfa
    employer = OrganizationFactory()
    url = reverse(f"admin:{changelist}_changelist")

    def add(count):
        vacancies = VacancyFactory.create_batch(count, employer=employer)
        for vacancy in vacancies:
            MatchFactory(vacancy=vacancy, status=Match.Status.PROPOSED)
        course = CourseFactory()
        for enrolment in CompletedEnrolmentFactory.create_batch(
            min(count, 20), course=course
        ):
            badge_issue(enrolment_id=enrolment.pk)

    few, many = _grows_flat(client, url, add)

    assert many == few
