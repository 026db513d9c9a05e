"""Counted phrases agree with their number, and shared words keep their meaning.

Each phrase is rendered for a count of one and a count of several, in
English and in French, because the two languages put the boundary between
singular and plural in different places: French treats 0 as singular.
"""

import html

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts import notifications
from accounts.models import Organization
from badges.services import badge_class_for_course, pathway_create
from colleges.invitations import EnrolmentRowsError, RowError
from matching.models import Match
from tests.colleges.factories import CollegeFactory, CourseFactory, EnrolmentFactory
from tests.factories import MatchFactory, MembershipFactory, VacancyFactory

NBSP = "\u00a0"


def _render(template: str, language: str, **context) -> str:
    with translation.override(language):
        text = render_to_string(template, context)
    return _plain(text)


def _plain(text: str) -> str:
    """Return page text with entities decoded and runs of spaces made one."""
    return " ".join(html.unescape(text).replace(NBSP, " ").split())


def _page(client, url: str, language: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, url
    return _plain(response.text)


def _explanation(met: int, total: int, stars: int = 3) -> Match:
    return Match(
        score=0.5,
        stars=stars,
        required_met=met,
        required_total=total,
        explanation={"skills": [], "credentials": []},
    )


@pytest.mark.parametrize(
    ("language", "met", "total", "expected"),
    [
        ("en", 0, 1, "0 of 1 required skill"),
        ("en", 1, 1, "1 of 1 required skill"),
        ("en", 1, 2, "1 of 2 required skills"),
        ("en", 3, 4, "3 of 4 required skills"),
        ("fr", 0, 1, "0 sur 1 compétence exigée"),
        ("fr", 1, 1, "1 sur 1 compétence exigée"),
        ("fr", 1, 2, "1 sur 2 compétences exigées"),
        ("fr", 3, 4, "3 sur 4 compétences exigées"),
    ],
)
def test_match_partial_counts_skills(language, met, total, expected):
    match = _explanation(met, total)

    text = _render("matching/_explanation.html", language, match=match)

    assert expected in text
    assert f"{expected}s" not in text


def test_french_partial_never_pluralizes_one():
    text = _render("matching/_explanation.html", "fr", match=_explanation(1, 2))

    assert "1 compétences" not in text


@pytest.mark.parametrize("kind", ["candidate_approved", "match_approved"])
@pytest.mark.parametrize("extension", ["html", "txt"])
@pytest.mark.parametrize(
    ("language", "stars", "expected"),
    [
        ("en", 1, "Fit: 1 of 5 stars, 1 of 1 required skill."),
        ("en", 4, "Fit: 4 of 5 stars, 1 of 1 required skill."),
        ("fr", 1, "Adéquation : 1 étoile sur 5, 1 sur 1 compétence exigée."),
        ("fr", 4, "Adéquation : 4 étoiles sur 5, 1 sur 1 compétence exigée."),
    ],
)
def test_approval_email_counts_stars_and_skills(
    kind, extension, language, stars, expected
):
    context = {
        "stars": stars,
        "required_met": 1,
        "required_total": 1,
        "vacancy_title": "Night PSW",
        "employer_name": "Maple Care",
        "url": "http://testserver/",
        "recipient_name": "Ada",
    }

    text = _render(f"emails/{kind}/body.{extension}", language, **context)

    assert expected in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "hours", "places"),
    [
        ("en", "1 hour ·", "1 of 1 place taken"),
        ("fr", "1 heure ·", "1 sur 1 place prise"),
    ],
)
def test_course_pages_count_hours(client, applicant, language, hours, places):
    # given: a one-hour course the applicant and a college both see
    course = CourseFactory(hours=1, capacity=1)
    EnrolmentFactory(course=course, applicant=applicant)
    member = MembershipFactory(organization=course.college)

    # when
    client.force_login(applicant.user)
    own = _page(client, reverse("applicants:courses"), language)
    client.force_login(member.user)
    url = reverse("colleges:course_enrolments", args=[course.pk])
    staff = _page(client, url, language)

    # then
    assert hours in own
    assert hours in staff
    assert places in staff


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "1 enrolled, no limit"), ("fr", "1 inscrit, sans limite")],
)
def test_course_page_counts_unlimited_enrolments(
    client, college_member, language, expected
):
    course = CourseFactory(college=college_member.organization, capacity=None)
    EnrolmentFactory(course=course)
    client.force_login(college_member.user)

    url = reverse("colleges:course_enrolments", args=[course.pk])

    assert expected in _page(client, url, language)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Safe Lifting is full: its 1 place is taken."),
        ("fr", "Safe Lifting est complet : 1 place sur 1 est prise."),
    ],
)
def test_full_course_message_counts_places(client, applicant, language, expected):
    # given: a course whose one place is taken
    course = CourseFactory(title="Safe Lifting", capacity=1)
    EnrolmentFactory(course=course)
    client.force_login(applicant.user)

    # when
    response = client.post(
        reverse("applicants:course_enrol", args=[course.pk]),
        follow=True,
        HTTP_ACCEPT_LANGUAGE=language,
    )

    # then
    messages = [_plain(str(message)) for message in response.context["messages"]]
    assert messages == [expected]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "1 row cannot be enrolled; nobody was enrolled."),
        ("fr", "1 ligne ne peut pas être inscrite; personne n'a été inscrit."),
    ],
)
def test_rejected_rows_message_counts_rows(language, expected):
    with translation.override(language):
        error = EnrolmentRowsError([RowError(2, "Bad address.")])

    assert error.messages == [expected]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "A pathway needs at least two component badges; 1 given."),
        ("fr", "Un parcours exige au moins deux badges composants; 1 fourni."),
    ],
)
def test_short_pathway_message_counts_badges(language, expected):
    college = CollegeFactory()
    only = badge_class_for_course(course_id=CourseFactory(college=college).pk)

    with translation.override(language), pytest.raises(ValidationError) as raised:
        pathway_create(college_id=college.pk, name="Solo", component_ids=[only.pk])

    assert raised.value.messages == [expected]


def test_french_approval_agrees_with_its_noun():
    # An organisation is feminine in French and a match (jumelage) masculine.
    with translation.override("fr"):
        organization = str(Organization.Approval.APPROVED.label)
        organization_rejected = str(Organization.Approval.REJECTED.label)
        match = str(Match.Status.APPROVED.label)
        match_rejected = str(Match.Status.REJECTED.label)

    assert organization == "Approuvée"
    assert organization_rejected == "Refusée"
    assert match == "Approuvé"
    assert match_rejected == "Refusé"


@pytest.mark.django_db
def test_french_dashboard_counts_candidates(client, employer_member):
    VacancyFactory(employer=employer_member.organization)
    client.force_login(employer_member.user)

    text = _page(client, reverse("vacancies:employer_dashboard"), "fr")

    assert "Proposés" in text
    assert "Approuvés" in text
    assert "Embauchés" in text


@pytest.mark.django_db
def test_french_notification_button_is_a_verb(client, applicant):
    match = MatchFactory(applicant=applicant, status=Match.Status.APPROVED)
    notifications.notify_match_approved(match_id=match.pk)
    client.force_login(applicant.user)

    text = _page(client, reverse("accounts:notifications"), "fr")

    assert "Ouvrir" in text
    assert "Ouverte" not in text
