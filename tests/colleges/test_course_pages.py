"""College staff publish and edit courses."""

import html
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Organization
from colleges.courses import MAX_COURSE_SKILLS, course_save
from colleges.models import Course
from tests.colleges.factories import CollegeFactory, CourseFactory, MembershipFactory
from tests.factories import SkillFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    return membership


def _course_data(skill, **overrides):
    data = {
        "title": "Palliative care basics",
        "description": "Comfort care at the end of life.",
        "hours": "20",
        "delivery": "online",
        "start_date": "2027-01-11",
        "capacity": "25",
        "price": "149.00",
        "url": "https://college.example.org/palliative",
        "skills-TOTAL_FORMS": "3",
        "skills-INITIAL_FORMS": "0",
        "skills-MIN_NUM_FORMS": "0",
        "skills-MAX_NUM_FORMS": "1000",
        "skills-0-skill": str(skill.pk),
        "skills-0-level": "3",
        # Empty rows as a browser sends them: no skill, the default level.
        "skills-1-skill": "",
        "skills-1-level": "3",
        "skills-2-skill": "",
        "skills-2-level": "3",
    }
    data.update(overrides)
    return data


def test_create_saves_draft_with_skills(client, staff):
    skill = SkillFactory(name="Palliative care")

    response = client.post(reverse("colleges:course_create"), _course_data(skill))

    course = Course.objects.get(college=staff.organization)
    assert response.status_code == 302
    assert course.status == Course.Status.DRAFT
    assert list(course.skills_taught.values_list("skill_id", "level")) == [
        (skill.pk, 3)
    ]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "This field is required."),
        ("title", "x" * 201, "at most 200 characters"),
        ("title", "\u2067Care", "U+2067 at position 1"),
        ("description", "Care\x1b[2J", "U+001B at position 5"),
        ("hours", "0", "greater than or equal to 1"),
        ("hours", "5000", "less than or equal to 2000"),
        ("hours", "ten", "Enter a whole number."),
        ("price", "-5", "greater than or equal to 0"),
        ("capacity", "0", "greater than or equal to 1"),
        ("url", "javascript:alert(1)", "Enter a valid URL."),
        (
            "url",
            "ftp://college.example.org/palliative",
            "ftp://college.example.org/palliative is not a web page address: "
            "enter one that starts with https://.",
        ),
        ("description", "x" * 5001, "at most 5000 characters"),
        ("start_date", "next week", "Enter a valid date."),
    ],
)
def test_create_rejects_bad_field(client, staff, field, value, message):
    skill = SkillFactory()

    response = client.post(
        reverse("colleges:course_create"), _course_data(skill, **{field: value})
    )

    assert response.status_code == 400
    assert message in response.context["form"].errors[field][0]
    assert not Course.objects.exists()


def test_create_needs_a_skill(client, staff):
    skill = SkillFactory()
    data = _course_data(skill)
    data["skills-0-skill"] = ""

    response = client.post(reverse("colleges:course_create"), data)

    assert response.status_code == 400
    assert b"Add at least one skill" in response.content
    assert not Course.objects.exists()


def test_create_rejects_repeated_skill(client, staff):
    skill = SkillFactory()
    data = _course_data(
        skill, **{"skills-1-skill": str(skill.pk), "skills-1-level": "4"}
    )

    response = client.post(reverse("colleges:course_create"), data)

    assert response.status_code == 400
    assert b"is listed twice" in response.content
    assert not Course.objects.exists()


def test_markup_in_title_is_escaped(client, staff):
    skill = SkillFactory()
    client.post(
        reverse("colleges:course_create"),
        _course_data(skill, title="<script>alert(1)</script>"),
    )

    response = client.get(reverse("colleges:courses"))

    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in response.content


def test_edit_replaces_skills(client, staff):
    # given
    course = CourseFactory(college=staff.organization)
    old = SkillFactory()
    course.skills_taught.create(skill=old, level=2)
    new = SkillFactory()
    data = _course_data(new)

    # when
    client.post(reverse("colleges:course_edit", args=[course.pk]), data)

    # then
    course.refresh_from_db()
    assert course.title == "Palliative care basics"
    assert list(course.skills_taught.values_list("skill_id", flat=True)) == [new.pk]


def test_publish_makes_course_public(client, staff):
    course = CourseFactory(college=staff.organization, status=Course.Status.DRAFT)
    course.skills_taught.create(skill=SkillFactory(), level=3)

    client.post(reverse("colleges:course_publish", args=[course.pk]))

    course.refresh_from_db()
    assert course.status == Course.Status.PUBLISHED


def test_pending_college_sees_why_it_cannot_publish(client):
    # given
    college = CollegeFactory(approval_status=Organization.Approval.PENDING)
    membership = MembershipFactory(organization=college)
    client.force_login(membership.user)
    course = CourseFactory(college=college, status=Course.Status.DRAFT)
    course.skills_taught.create(skill=SkillFactory(), level=3)

    # when
    listing = client.get(reverse("colleges:courses"))
    response = client.post(
        reverse("colleges:course_publish", args=[course.pk]), follow=True
    )

    # then
    course.refresh_from_db()
    assert b"waiting for a MEX administrator" in listing.content
    assert b"waiting for a MEX administrator" in response.content
    assert course.status == Course.Status.DRAFT


def test_publish_without_skill_is_refused(client, staff):
    course = CourseFactory(college=staff.organization, status=Course.Status.DRAFT)

    response = client.post(
        reverse("colleges:course_publish", args=[course.pk]), follow=True
    )

    course.refresh_from_db()
    assert b"teaches no skill yet" in response.content
    assert course.status == Course.Status.DRAFT


def test_other_colleges_course_is_404(client, staff):
    course = CourseFactory()

    response = client.get(reverse("colleges:course_edit", args=[course.pk]))

    assert response.status_code == 404


def test_employer_staff_get_404(client, employer_member):
    client.force_login(employer_member.user)

    response = client.get(reverse("colleges:courses"))

    assert response.status_code == 404


def test_archive_hides_course(client, staff):
    course = CourseFactory(college=staff.organization)

    client.post(reverse("colleges:course_archive", args=[course.pk]))

    course.refresh_from_db()
    assert course.status == Course.Status.ARCHIVED


@pytest.mark.parametrize("field", ["hours", "capacity"])
def test_negative_count_gets_one_error(client, staff, field):
    skill = SkillFactory()

    response = client.post(
        reverse("colleges:course_create"), _course_data(skill, **{field: "-3"})
    )

    errors = response.context["form"].errors[field]
    assert errors == ["Ensure this value is greater than or equal to 1."]


@pytest.mark.parametrize("field", ["hours", "capacity"])
def test_count_input_allows_only_positive(client, staff, field):
    response = client.get(reverse("colleges:course_create"))

    assert response.context["form"].fields[field].widget.attrs["min"] == 1


def test_create_rejects_too_many_skill_rows(client, staff):
    # given: a post that claims 5000 skill rows
    skill = SkillFactory()
    data = _course_data(skill, **{"skills-TOTAL_FORMS": "5000"})

    # when
    response = client.post(reverse("colleges:course_create"), data)

    # then
    rows = re.findall(r'name="skills-\d+-skill"', response.text)
    assert response.status_code == 400
    assert len(rows) == MAX_COURSE_SKILLS
    assert (
        f"The form sent 5000 skill rows; a course lists at most {MAX_COURSE_SKILLS}"
        in html.unescape(response.text)
    )
    assert not Course.objects.exists()


def test_create_accepts_the_maximum_of_skills(client, staff):
    # given
    skills = SkillFactory.create_batch(MAX_COURSE_SKILLS)
    data = _course_data(skills[0], **{"skills-TOTAL_FORMS": str(len(skills))})
    for row, skill in enumerate(skills):
        data[f"skills-{row}-skill"] = str(skill.pk)
        data[f"skills-{row}-level"] = "2"

    # when
    response = client.post(reverse("colleges:course_create"), data)

    # then
    course = Course.objects.get(college=staff.organization)
    assert response.status_code == 302
    assert course.skills_taught.count() == MAX_COURSE_SKILLS


def test_save_rejects_too_many_skills(staff):
    skills = SkillFactory.create_batch(MAX_COURSE_SKILLS + 1)
    values = {
        "title": "Palliative care basics",
        "description": "",
        "hours": 20,
        "delivery": "online",
        "start_date": None,
        "capacity": None,
        "price": None,
        "url": "",
    }

    with pytest.raises(ValidationError, match="at most"):
        course_save(
            college=staff.organization,
            by=staff.user,
            values=values,
            skills={skill.pk: 2 for skill in skills},
        )

    assert not Course.objects.exists()
