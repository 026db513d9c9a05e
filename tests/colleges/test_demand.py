"""The demand page counts open vacancies and applicants lacking each skill."""

import pytest
from django.urls import reverse

from colleges.catalogue import skill_demand_for_college
from colleges.charts import demand_chart
from matching.models import Match
from tests.colleges.factories import CourseFactory, MembershipFactory
from tests.factories import (
    ApplicantFactory,
    MatchFactory,
    SkillFactory,
    VacancyFactory,
    VacancySkillFactory,
)
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db


def _vacancy(status, *skills):
    vacancy = VacancyFactory(status=status)
    for skill in skills:
        VacancySkillFactory(vacancy=vacancy, skill=skill)
    return vacancy


def _match(vacancy, applicant, statuses, status=Match.Status.PROPOSED):
    return MatchFactory(
        vacancy=vacancy,
        applicant=applicant,
        status=status,
        explanation={
            "skills": [
                {"skill_id": skill.pk, "name": skill.name, "status": state}
                for skill, state in statuses.items()
            ],
            "credentials": [],
        },
    )


@pytest.fixture
def known_market():
    """Two open vacancies, one closed, one draft, and four applicants."""
    care = SkillFactory(name="Personal care")
    dementia = SkillFactory(name="Dementia care")
    wound = SkillFactory(name="Wound care")
    first = _vacancy(Vacancy.Status.OPEN, care, dementia)
    second = _vacancy(Vacancy.Status.OPEN, care)
    _vacancy(Vacancy.Status.CLOSED, wound)
    _vacancy(Vacancy.Status.DRAFT, dementia)

    sam, kim, lee, ola = (ApplicantFactory() for _ in range(4))
    _match(first, sam, {care: "missing", dementia: "met"})
    _match(first, kim, {care: "partial", dementia: "missing"})
    _match(second, kim, {care: "missing"}, status=Match.Status.APPROVED)
    _match(second, lee, {care: "missing"}, status=Match.Status.WITHDRAWN)
    _match(second, ola, {care: "met"})
    return {"care": care, "dementia": dementia, "wound": wound}


def test_demand_counts_on_known_data(known_market):
    membership = MembershipFactory()
    CourseFactory(
        college=membership.organization, title="Care basics"
    ).skills_taught.create(skill=known_market["care"], level=3)
    CourseFactory(title="Elsewhere").skills_taught.create(
        skill=known_market["dementia"], level=3
    )

    rows = skill_demand_for_college(college=membership.organization)

    table = [
        (row.name, row.open_vacancies, row.applicants_lacking, row.college_courses)
        for row in rows
    ]
    assert table == [
        ("Personal care", 2, 2, ("Care basics",)),
        ("Dementia care", 1, 1, ()),
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
    assert [row.vacancies_width for row in chart.rows] == [420, 210]
    assert [row.lacking_width for row in chart.rows] == [420, 210]


def test_chart_of_no_rows_is_empty():
    chart = demand_chart([])

    assert chart.rows == []
    assert chart.scale_max == 0
