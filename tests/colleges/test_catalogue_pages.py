"""Anyone browses the course catalogue; job seekers enrol from it."""

import html
import re
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.urls import reverse

from accounts.models import Organization
from colleges.models import Course, Enrolment
from tests.colleges.factories import (
    CollegeFactory,
    CompletedEnrolmentFactory,
    CourseFactory,
    EnrolmentFactory,
)
from tests.factories import PASSWORD, ApplicantFactory, SkillFactory

pytestmark = pytest.mark.django_db

CATALOGUE = "/courses/"
# Digits of other scripts, which Python's int() reads as numbers.
FULL_WIDTH_1 = "\uff11"
FULL_WIDTH_3 = "\uff13"
FULL_WIDTH_12 = "\uff11\uff12"
ARABIC_12 = "\u0661\u0662"
# More digits than Python's int() converts from text by default (4,300).
TOO_LONG = "9" * 5000


def _teaching(skill, level=3, **fields):
    course = CourseFactory(**fields)
    course.skills_taught.create(skill=skill, level=level)
    return course


def _titles(response) -> list[str]:
    return [course.title for course in response.context["page"]]


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_catalogue_url_is_public():
    assert reverse("catalogue:list") == CATALOGUE


def test_catalogue_lists_only_public_courses(client):
    # given: one public course, and courses no visitor may see
    skill = SkillFactory()
    _teaching(skill, title="Published")
    _teaching(skill, title="Draft", status=Course.Status.DRAFT)
    _teaching(skill, title="Archived", status=Course.Status.ARCHIVED)
    for approval in (Organization.Approval.PENDING, Organization.Approval.REJECTED):
        college = CollegeFactory(approval_status=approval, name=f"{approval} college")
        _teaching(skill, title=f"At a {approval} college", college=college)

    # when
    response = client.get(CATALOGUE)

    # then
    assert response.status_code == 200
    assert _titles(response) == ["Published"]
    body = _text(response)
    for hidden in ("Draft", "Archived", "pending college", "rejected college"):
        assert hidden not in body


def test_catalogue_shows_what_a_course_offers(client):
    # given
    dementia = SkillFactory(name="Dementia care")
    palliative = SkillFactory(name="Palliative care")
    college = CollegeFactory(name="Lakeshore College")
    course = _teaching(
        dementia,
        level=4,
        title="Dementia Care Essentials",
        college=college,
        hours=12,
        price=Decimal("150.00"),
        capacity=20,
        delivery=Course.Delivery.IN_PERSON,
    )
    course.skills_taught.create(skill=palliative, level=2)
    EnrolmentFactory.create_batch(3, course=course)

    # when
    body = _text(client.get(CATALOGUE))

    # then
    assert "Lakeshore College" in body
    assert "12 hours" in body
    assert "In person" in body
    assert "150.00 CAD" in body
    assert "17 places left" in body
    assert "Dementia care: Advanced" in body
    assert "Palliative care: Basic" in body
    assert reverse("catalogue:detail", args=[course.pk]) in body


def test_catalogue_says_free_full_and_singular(client):
    course = CourseFactory(title="Short course", hours=1, price=None, capacity=1)
    EnrolmentFactory(course=course)

    body = " ".join(_text(client.get(CATALOGUE)).split())

    assert "1 hour · Online · free · full" in body
    assert "1 course<" in body


def test_withdrawn_enrolments_free_places(client):
    course = CourseFactory(capacity=2)
    EnrolmentFactory(course=course, status=Enrolment.Status.WITHDRAWN)
    EnrolmentFactory(course=course)

    response = client.get(CATALOGUE)

    assert response.context["page"][0].places_left == 1
    assert "1 place left" in _text(response)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("dementia", ["Dementia Care Essentials"]),
        ("wound", ["Skin and wound basics"]),
        ("niagara", ["Skin and wound basics"]),
        ("palliative", ["End of life comfort"]),
        ("  DEMENTIA  ", ["Dementia Care Essentials"]),
    ],
)
def test_catalogue_text_search(client, query, expected):
    # given: the keywords may be in the title, description, college or skill
    _teaching(SkillFactory(name="Dementia care"), title="Dementia Care Essentials")
    _teaching(
        SkillFactory(name="Hygiene"),
        title="Skin and wound basics",
        description="Prevent pressure injuries.",
        college=CollegeFactory(name="Niagara College"),
    )
    _teaching(
        SkillFactory(name="Palliative care"),
        title="End of life comfort",
        description="Comfort measures.",
    )

    # when
    response = client.get(CATALOGUE, {"q": query})

    # then
    assert _titles(response) == expected


def test_catalogue_filters_by_skill_and_level(client):
    # given
    dementia = SkillFactory(name="Dementia care")
    _teaching(dementia, level=2, title="Dementia basics")
    _teaching(dementia, level=4, title="Dementia advanced")
    _teaching(SkillFactory(), level=5, title="Other skill, expert")

    # when
    by_skill = client.get(CATALOGUE, {"skill": dementia.pk})
    by_skill_and_level = client.get(CATALOGUE, {"skill": dementia.pk, "level": 3})
    by_level = client.get(CATALOGUE, {"level": 4})

    # then
    assert _titles(by_skill) == ["Dementia advanced", "Dementia basics"]
    assert _titles(by_skill_and_level) == ["Dementia advanced"]
    assert _titles(by_level) == ["Dementia advanced", "Other skill, expert"]


def test_catalogue_level_with_spaces_reads_like_skill(client):
    # given: a link whose level and skill carry spaces, as "level=+4" does
    dementia = SkillFactory(name="Dementia care")
    _teaching(dementia, level=2, title="Dementia basics")
    _teaching(dementia, level=4, title="Dementia advanced")

    # when
    response = client.get(CATALOGUE, {"skill": f" {dementia.pk} ", "level": " 4 "})

    # then: not "Level 4 does not exist", which contradicts the list of levels
    assert response.status_code == 200
    assert _titles(response) == ["Dementia advanced"]


def test_catalogue_filters_by_college_delivery_hours_price(client):
    # given
    skill = SkillFactory()
    lakeshore = CollegeFactory(name="Lakeshore College")
    _teaching(skill, title="A online", college=lakeshore, hours=10, price=None)
    _teaching(
        skill,
        title="B on the job",
        college=lakeshore,
        hours=40,
        price=Decimal("0"),
        delivery=Course.Delivery.ON_THE_JOB,
    )
    _teaching(skill, title="C elsewhere", hours=5, price=Decimal("90"))

    # when
    by_college = client.get(CATALOGUE, {"college": lakeshore.pk})
    by_delivery = client.get(CATALOGUE, {"delivery": "on_the_job"})
    by_hours = client.get(CATALOGUE, {"max_hours": "10"})
    free = client.get(CATALOGUE, {"free": "on"})

    # then
    assert _titles(by_college) == ["A online", "B on the job"]
    assert _titles(by_delivery) == ["B on the job"]
    assert _titles(by_hours) == ["A online", "C elsewhere"]
    assert _titles(free) == ["A online", "B on the job"]


def test_catalogue_free_off_lists_every_course(client):
    # given
    skill = SkillFactory()
    _teaching(skill, title="Free", price=Decimal("0"))
    _teaching(skill, title="Paid", price=Decimal("90"))

    # when
    switched_off = client.get(CATALOGUE, {"free": "0"})
    switched_on = client.get(CATALOGUE, {"free": "true"})

    # then
    assert _titles(switched_off) == ["Free", "Paid"]
    assert 'name="free"' in switched_off.content.decode()
    assert "checked" not in _free_checkbox(switched_off)
    assert _titles(switched_on) == ["Free"]
    assert "checked" in _free_checkbox(switched_on)


def _free_checkbox(response) -> str:
    return re.search(r'<input[^>]*name="free"[^>]*>', response.content.decode())[0]


def test_catalogue_sort_orders(client):
    # given
    skill = SkillFactory()
    _teaching(skill, title="Long", hours=40, price=Decimal("20"))
    _teaching(skill, title="Short", hours=2, price=Decimal("300"))
    _teaching(skill, title="Free", hours=8, price=None, start_date="2030-01-05")
    _teaching(
        skill, title="Soon", hours=9, price=Decimal("50"), start_date="2029-06-01"
    )

    # when
    orders = {
        sort: _titles(client.get(CATALOGUE, {"sort": sort}))
        for sort in ("title", "hours", "price", "start")
    }

    # then
    assert orders["title"] == ["Free", "Long", "Short", "Soon"]
    assert orders["hours"] == ["Short", "Free", "Soon", "Long"]
    assert orders["price"] == ["Free", "Long", "Soon", "Short"]
    assert orders["start"] == ["Soon", "Free", "Long", "Short"]


def test_catalogue_pages_keep_the_search(client):
    # given: 25 matching courses, 20 to a page
    skill = SkillFactory()
    for number in range(25):
        _teaching(skill, title=f"Course {number:02d}")
    _teaching(SkillFactory(), title="Not this skill")

    # when
    first = client.get(CATALOGUE, {"skill": skill.pk})
    second = client.get(CATALOGUE, {"skill": skill.pk, "page": 2})

    # then
    assert len(first.context["page"]) == 20
    assert _titles(second) == [f"Course {number}" for number in range(20, 25)]
    assert f"?skill={skill.pk}&amp;page=2" in first.content.decode()
    assert "25 courses" in _text(first)


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ({"skill": "abc"}, 400, "Skill abc is not a skill id"),
        ({"skill": "-3"}, 400, "Skill -3 is not a skill id"),
        ({"skill": "²"}, 400, "Skill ² is not a skill id"),
        ({"skill": "987654"}, 400, "teaches a skill with id 987654"),
        ({"skill": "9" * 30}, 400, f"Skill {'9' * 30} is not a skill id"),
        ({"level": "9"}, 400, "Level 9 does not exist"),
        ({"level": "high"}, 400, "Level high does not exist"),
        ({"college": "x1"}, 400, "College x1 is not a college id"),
        ({"college": "987654"}, 400, "No college with id 987654"),
        ({"delivery": "by-post"}, 400, "Delivery by-post does not exist"),
        ({"max_hours": "ten"}, 400, "Hours ten is not a whole number"),
        ({"max_hours": "0"}, 400, "Hours 0 is too few"),
        ({"max_hours": "5000"}, 400, "Hours 5000 is more than any course"),
        ({"max_hours": "-3"}, 400, "Hours -3 is too few"),
        ({"max_hours": FULL_WIDTH_12}, 400, f"Hours {FULL_WIDTH_12} is not written"),
        ({"max_hours": ARABIC_12}, 400, f"Hours {ARABIC_12} is not written"),
        ({"max_hours": "1_2"}, 400, "Hours 1_2 is not a whole number"),
        ({"max_hours": "12.0"}, 400, "Hours 12.0 is not a whole number"),
        ({"max_hours": "+12"}, 400, "Hours +12 is not a whole number"),
        ({"max_hours": "²"}, 400, "Hours ² is not a whole number"),
        ({"max_hours": TOO_LONG}, 400, f"Hours {TOO_LONG} is more than any course"),
        ({"max_hours": f"-{TOO_LONG}"}, 400, f"Hours -{TOO_LONG} is too few"),
        ({"skill": TOO_LONG}, 400, f"Skill {TOO_LONG} is not a skill id"),
        ({"level": FULL_WIDTH_3}, 400, f"Level {FULL_WIDTH_3} does not exist"),
        ({"college": FULL_WIDTH_1}, 400, f"College {FULL_WIDTH_1} is not a college id"),
        ({"sort": "random"}, 400, "Sort order random does not exist"),
        ({"free": "maybe"}, 400, "Free maybe is neither yes nor no"),
        ({"q": "x" * 101}, 400, "The keywords are 101 characters long"),
        ({"page": "two"}, 400, "Page two is not a number"),
        ({"page": "³"}, 400, "Page ³ is not a number"),
        ({"page": FULL_WIDTH_1}, 400, f"Page {FULL_WIDTH_1} is not a number"),
        ({"page": "0"}, 400, "Page 0 does not exist: pages are numbered from 1."),
        ({"page": "7"}, 404, "Page 7 does not exist: the courses found fit on 1 page."),
        ({"page": "9" * 30}, 404, f"Page {'9' * 30} does not exist"),
        ({"page": TOO_LONG}, 404, f"Page {TOO_LONG} does not exist"),
        ({"page": "0" * 5000}, 400, "does not exist: pages are numbered from 1."),
    ],
)
def test_catalogue_bad_query_names_value(client, query, status, message):
    CourseFactory().skills_taught.create(skill=SkillFactory())

    response = client.get(CATALOGUE, query)

    assert response.status_code == status
    alert = _text(response).split('role="alert">', 1)[1].split("</div>", 1)[0]
    assert message in alert
    assert response.context["page"] is None


def test_catalogue_spells_out_full_width_hours(client):
    response = client.get(CATALOGUE, {"max_hours": FULL_WIDTH_12})

    assert response.status_code == 400
    message = f"Hours {FULL_WIDTH_12} is not written with the digits 0 to 9: enter 12."
    assert message in _text(response)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"sort": "ti\x00tle"}, "Sort order 'ti\\x00tle' does not exist"),
        ({"q": "care\x00"}, "The keywords 'care\\x00' contain a NUL character"),
        ({"max_hours": "1\n2"}, "Hours '1\\n2' is not a whole number"),
        ({"level": "\x1b3"}, "Level '\\x1b3' does not exist"),
        ({"skill": "5\x00"}, "Skill '5\\x00' is not a skill id"),
        ({"delivery": "online\u202e"}, "Delivery 'online\\u202e' does not exist"),
        ({"free": "yes\x7f"}, "Free 'yes\\x7f' is neither yes nor no"),
        ({"page": "1\x00"}, "Page '1\\x00' is not a number"),
    ],
)
def test_catalogue_shows_control_characters_escaped(client, query, message):
    CourseFactory().skills_taught.create(skill=SkillFactory())

    response = client.get(CATALOGUE, query)

    assert response.status_code == 400
    alert = _text(response).split('role="alert">', 1)[1].split("</div>", 1)[0]
    line = next(line for line in alert.splitlines() if message in line)
    assert line.isprintable()


def test_catalogue_rejects_skill_of_hidden_course(client):
    # given: a skill that only a draft course teaches
    skill = SkillFactory()
    _teaching(skill, status=Course.Status.DRAFT)

    # when
    response = client.get(CATALOGUE, {"skill": skill.pk})

    # then
    assert response.status_code == 400
    assert f"teaches a skill with id {skill.pk}" in _text(response)


def test_catalogue_rejects_unapproved_college(client):
    pending = CollegeFactory(approval_status=Organization.Approval.PENDING)
    CourseFactory(college=pending)

    response = client.get(CATALOGUE, {"college": pending.pk})

    assert response.status_code == 400
    assert f"No college with id {pending.pk}" in _text(response)


def test_catalogue_lists_only_offered_choices(client):
    # given
    taught = SkillFactory(name="Taught skill")
    SkillFactory(name="Untaught skill")
    _teaching(taught, college=CollegeFactory(name="Open College"))
    CollegeFactory(name="Empty College")

    # when
    form = client.get(CATALOGUE).context["form"]

    # then
    assert list(form.fields["skill"].queryset) == [taught]
    assert [c.name for c in form.fields["college"].queryset] == ["Open College"]


def test_visitor_signs_in_to_enrol_and_comes_back(client):
    # given
    course = _teaching(SkillFactory(), title="Dementia Care Essentials")
    applicant = ApplicantFactory()
    search = f"{CATALOGUE}?q=dementia"

    # when: the visitor follows the sign-in link of the course
    body = client.get(search).content.decode()
    sign_in = f"{reverse('account_login')}?next={quote(search, safe='/')}"
    response = client.post(
        sign_in, {"login": applicant.user.email, "password": PASSWORD}
    )

    # then: the sign-in page sends them back to the same search
    assert html.escape(sign_in) in body
    assert response.status_code == 302
    assert response["Location"] == search
    page = client.get(search)
    assert reverse("applicants:course_enrol", args=[course.pk]) in page.content.decode()


def test_applicant_enrols_from_catalogue(client, applicant):
    # given
    course = _teaching(SkillFactory(), title="Dementia Care Essentials")
    client.force_login(applicant.user)
    search = f"{CATALOGUE}?q=dementia"

    # when: the form of the course posts back to the same search
    page = client.get(search).content.decode()
    response = client.post(
        reverse("applicants:course_enrol", args=[course.pk]), {"next": search}
    )

    # then
    assert 'name="next" value="/courses/?q=dementia"' in page
    assert response.status_code == 302
    assert response["Location"] == search
    assert Enrolment.objects.get().applicant == applicant
    after = client.get(search)
    assert after.context["page"][0].own_status == Enrolment.Status.ENROLLED
    assert "Enrolled" in _text(after)


@pytest.mark.parametrize("page", [f"{CATALOGUE}?q=dementia", "course page"])
def test_failed_htmx_enrol_returns_to_form_page(client, applicant, page):
    # given: a full course, seen on the catalogue or on its own page
    course = _teaching(SkillFactory(), title="Dementia Care Essentials", capacity=1)
    EnrolmentFactory(course=course)
    if page == "course page":
        page = reverse("catalogue:detail", args=[course.pk])
    client.force_login(applicant.user)

    # when: htmx posts the enrol form of that page
    response = client.post(
        reverse("applicants:course_enrol", args=[course.pk]),
        {"next": page},
        HTTP_HX_REQUEST="true",
    )

    # then: the button that replaces it still returns to that page
    body = response.content.decode()
    assert "is full" in _text(response)
    assert f'name="next" value="{html.escape(page)}"' in body


@pytest.mark.parametrize(
    "next_page", ["https://evil.example/courses/", "", "enrol address"]
)
def test_failed_htmx_enrol_defaults_to_course_page(client, applicant, next_page):
    # given
    course = _teaching(SkillFactory(), capacity=1)
    EnrolmentFactory(course=course)
    enrol = reverse("applicants:course_enrol", args=[course.pk])
    if next_page == "enrol address":
        next_page = enrol
    client.force_login(applicant.user)

    # when
    response = client.post(enrol, {"next": next_page}, HTTP_HX_REQUEST="true")

    # then: the button returns to the course page instead
    course_page = reverse("catalogue:detail", args=[course.pk])
    body = response.content.decode()
    assert f'name="next" value="{course_page}"' in body
    assert f'value="{enrol}"' not in body


def test_catalogue_shows_applicants_own_state(client, applicant):
    # given
    client.force_login(applicant.user)
    skill = SkillFactory()
    completed = _teaching(skill, title="Completed one")
    CompletedEnrolmentFactory(course=completed, applicant=applicant)
    withdrawn = _teaching(skill, title="Left one")
    EnrolmentFactory(
        course=withdrawn, applicant=applicant, status=Enrolment.Status.WITHDRAWN
    )
    full = _teaching(skill, title="Full one", capacity=1)
    EnrolmentFactory(course=full)
    other = ApplicantFactory()
    others = _teaching(skill, title="Someone else's")
    EnrolmentFactory(course=others, applicant=other)

    # when
    response = client.get(CATALOGUE)

    # then
    statuses = {course.title: course.own_status for course in response.context["page"]}
    assert statuses == {
        "Completed one": "completed",
        "Full one": "",
        "Left one": "",
        "Someone else's": "",
    }
    body = _text(response)
    assert "You completed this course" in body
    assert "Full: no place left" in body
    assert reverse("applicants:course_enrol", args=[withdrawn.pk]) in body
    assert reverse("applicants:course_enrol", args=[full.pk]) not in body


def test_staff_see_courses_without_enrol_button(client, employer_member):
    course = CourseFactory()
    client.force_login(employer_member.user)

    response = client.get(CATALOGUE)

    assert response.status_code == 200
    assert "sign in with a job seeker account to enrol" in _text(response)
    assert reverse("applicants:course_enrol", args=[course.pk]) not in _text(response)


def test_course_page_shows_the_course(client):
    # given
    skill = SkillFactory(name="Dementia care")
    course = _teaching(
        skill,
        level=4,
        title="Dementia Care Essentials",
        description="Person-centred care.\n\nAssessed by a practical exam.",
    )

    # when
    response = client.get(reverse("catalogue:detail", args=[course.pk]))

    # then
    body = _text(response)
    assert response.status_code == 200
    assert '<h1 class="h3">Dementia Care Essentials</h1>' in body
    assert "Assessed by a practical exam." in body
    assert "Advanced (4 of 5)" in body
    assert f'href="{course.url}"' in body
    assert f"{CATALOGUE}?skill={skill.pk}" in body
    assert "Sign in to enrol" in body


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": Course.Status.DRAFT},
        {"status": Course.Status.ARCHIVED},
        {"college__approval_status": Organization.Approval.PENDING},
        {"college__approval_status": Organization.Approval.REJECTED},
    ],
    ids=["draft", "archived", "pending college", "rejected college"],
)
def test_course_page_hides_unpublished(client, college_member, hidden):
    course = CourseFactory(**hidden)
    client.force_login(college_member.user)

    response = client.get(reverse("catalogue:detail", args=[course.pk]))

    assert response.status_code == 404


def test_course_page_of_missing_course_is_404(client):
    response = client.get(reverse("catalogue:detail", args=[987654]))

    assert response.status_code == 404


def test_navigation_links_catalogue(client, college_member):
    anonymous = client.get(reverse("home")).content.decode()
    client.force_login(college_member.user)
    staff = _text(client.get(reverse("home")))

    assert f'href="{CATALOGUE}">Courses</a>' in anonymous
    assert f'href="{reverse("colleges:courses")}">Our courses</a>' in staff
    assert "Sign out" in staff


def test_empty_matches_link_catalogue(client, applicant):
    client.force_login(applicant.user)

    response = client.get(reverse("applicants:matches"))

    assert response.context["matches"] == []
    assert f'href="{CATALOGUE}">Browse courses</a>' in response.content.decode()
