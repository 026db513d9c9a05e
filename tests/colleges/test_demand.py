"""The demand page counts open vacancies and applicants lacking each skill."""

import pytest
from django.urls import reverse

from colleges.catalogue import skill_demand_for_college
from colleges.charts import demand_chart
from tests.colleges.factories import CourseFactory, MembershipFactory
from tests.factories import (
    ApplicantFactory,
    ApplicantSkillFactory,
    SkillFactory,
    VacancyFactory,
    VacancySkillFactory,
)
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _threshold(settings):
    settings.MATCHING_MIN_SCORE = 0.7


def _vacancy(status, *skills):
    vacancy = VacancyFactory(status=status)
    for skill in skills:
        VacancySkillFactory(vacancy=vacancy, skill=skill, min_level=3)
    return vacancy


def _applicant(*skills):
    applicant = ApplicantFactory()
    for skill in skills:
        ApplicantSkillFactory(profile=applicant, skill=skill, level=3)
    return applicant


@pytest.fixture
def known_market():
    """Two open vacancies needing two skills, a closed one, four applicants."""
    care = SkillFactory(name="Personal care")
    dementia = SkillFactory(name="Dementia care")
    wound = SkillFactory(name="Wound care")
    _vacancy(Vacancy.Status.OPEN, care, dementia)
    _vacancy(Vacancy.Status.OPEN, care, dementia)
    _vacancy(Vacancy.Status.CLOSED, wound)
    _applicant(care)
    _applicant(care)
    _applicant(dementia)
    _applicant(care, dementia)
    return {"care": care, "dementia": dementia, "wound": wound}


def test_demand_counts_on_known_data(known_market):
    # given: the college teaches personal care, another college dementia care
    membership = MembershipFactory()
    own = CourseFactory(college=membership.organization, title="Care basics")
    own.skills_taught.create(skill=known_market["care"], level=3)
    elsewhere = CourseFactory(title="Elsewhere")
    elsewhere.skills_taught.create(skill=known_market["dementia"], level=3)

    # when
    rows = skill_demand_for_college(college=membership.organization)

    # then
    table = [
        (row.name, row.open_vacancies, row.applicants_lacking, row.college_courses)
        for row in rows
    ]
    assert table == [
        ("Dementia care", 2, 2, ()),
        ("Personal care", 2, 1, ("Care basics",)),
    ]


def test_demand_page_renders_chart_and_table(client, known_market):
    membership = MembershipFactory()
    client.force_login(membership.user)

    response = client.get(reverse("colleges:demand"))

    body = response.content.decode()
    assert response.status_code == 200
    assert '<svg class="mex-chart" role="img"' in body
    assert "<caption>" in body
    assert f'data-skill="{known_market["care"].pk}"' in body
    assert "<script" not in body.split("<footer")[0].split("</nav>", 1)[1]


def test_demand_page_needs_college(client, employer_member):
    client.force_login(employer_member.user)

    response = client.get(reverse("colleges:demand"))

    assert response.status_code == 404


def test_chart_scales_bars_to_largest_value(known_market):
    membership = MembershipFactory()
    rows = skill_demand_for_college(college=membership.organization)

    chart = demand_chart(rows)

    assert chart.scale_max == 2
    assert [row.vacancies_width for row in chart.rows] == [420, 420]
    assert [row.lacking_width for row in chart.rows] == [420, 210]


def test_chart_of_no_rows_is_empty():
    chart = demand_chart([])

    assert chart.rows == []
    assert chart.scale_max == 0
