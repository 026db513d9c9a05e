"""Counted phrases agree with their number, and shared words keep their meaning.

Each phrase is rendered for a count of one and a count of several, because
French and English put the boundary between singular and plural in
different places.
"""

import html

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from badges.services import badge_class_for_course, pathway_create
from colleges.invitations import EnrolmentRowsError, RowError
from matching.models import Match
from tests.colleges.factories import CollegeFactory, CourseFactory, EnrolmentFactory
from tests.factories import MembershipFactory


def _render(template: str, language: str, **context) -> str:
    with translation.override(language):
        text = render_to_string(template, context)
    return " ".join(html.unescape(text).split())


def _explanation(met: int, total: int, stars: int = 3) -> Match:
    return Match(
        score=0.5,
        stars=stars,
        required_met=met,
        required_total=total,
        explanation={"skills": [], "credentials": []},
    )


@pytest.mark.parametrize(
    ("met", "total", "english"),
    [
        (0, 1, "0 of 1 required skill"),
        (1, 1, "1 of 1 required skill"),
        (1, 2, "1 of 2 required skills"),
        (3, 4, "3 of 4 required skills"),
    ],
)
def test_match_partial_counts_skills(met, total, english):
    text = _render("matching/_explanation.html", "en", match=_explanation(met, total))

    assert english in text
    assert f"{english}s" not in text


@pytest.mark.parametrize("kind", ["candidate_approved", "match_approved"])
@pytest.mark.parametrize("extension", ["html", "txt"])
def test_approval_email_counts_stars_and_skills(kind, extension):
    context = {
        "stars": 1,
        "required_met": 1,
        "required_total": 1,
        "vacancy_title": "Night PSW",
        "employer_name": "Maple Care",
        "url": "http://testserver/",
        "recipient_name": "Ada",
    }

    text = _render(f"emails/{kind}/body.{extension}", "en", **context)

    assert "Fit: 1 of 5 stars, 1 of 1 required skill." in text


@pytest.mark.django_db
def test_course_pages_count_hours(client, applicant):
    # given: a one-hour course the applicant and a college both see
    course = CourseFactory(hours=1, capacity=1)
    EnrolmentFactory(course=course, applicant=applicant)
    member = MembershipFactory(organization=course.college)

    # when
    client.force_login(applicant.user)
    own = " ".join(html.unescape(client.get("/me/courses/").text).split())
    client.force_login(member.user)
    url = reverse("colleges:course_enrolments", args=[course.pk])
    staff = " ".join(html.unescape(client.get(url).text).split())

    # then
    assert "1 hour ·" in own
    assert "1 hour ·" in staff
    assert "1 of 1 place taken" in staff


@pytest.mark.django_db
def test_course_page_counts_unlimited_enrolments(client, college_member):
    course = CourseFactory(college=college_member.organization, capacity=None)
    EnrolmentFactory(course=course)
    client.force_login(college_member.user)

    response = client.get(reverse("colleges:course_enrolments", args=[course.pk]))

    assert "1 enrolled, no limit" in " ".join(html.unescape(response.text).split())


@pytest.mark.django_db
def test_full_course_message_counts_places(client, applicant):
    # given: a course whose one place is taken
    course = CourseFactory(title="Safe Lifting", capacity=1)
    EnrolmentFactory(course=course)
    client.force_login(applicant.user)

    # when
    response = client.post(
        reverse("applicants:course_enrol", args=[course.pk]), follow=True
    )

    # then
    messages = [str(message) for message in response.context["messages"]]
    assert messages == ["Safe Lifting is full: its 1 place is taken."]


def test_rejected_rows_message_counts_rows():
    error = EnrolmentRowsError([RowError(2, "Bad address.")])

    assert error.messages == ["1 row cannot be enrolled; nobody was enrolled."]


@pytest.mark.django_db
def test_short_pathway_message_counts_badges():
    college = CollegeFactory()
    only = badge_class_for_course(course_id=CourseFactory(college=college).pk)

    with pytest.raises(ValidationError) as raised:
        pathway_create(college_id=college.pk, name="Solo", component_ids=[only.pk])

    assert raised.value.messages == [
        "A pathway needs at least two component badges; 1 given."
    ]
