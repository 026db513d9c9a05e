import pytest
from django.urls import reverse

from tests.factories import MatchFactory, VacancyFactory
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db


def test_list_shows_open_vacancies_only(client):
    # given
    VacancyFactory(title="Open PSW role")
    VacancyFactory(title="Draft PSW role", status=Vacancy.Status.DRAFT)

    # when
    response = client.get(reverse("vacancies:list"))

    # then
    assert "Open PSW role" in response.text
    assert "Draft PSW role" not in response.text


def test_list_filters_by_location_and_text(client):
    VacancyFactory(title="Night PSW", location="Hamilton, ON")
    VacancyFactory(title="Day PSW", location="Ottawa, ON")
    VacancyFactory(title="Cook", location="Hamilton, ON")

    response = client.get(reverse("vacancies:list"), {"q": "psw", "location": "hamil"})

    assert "Night PSW" in response.text
    assert "Day PSW" not in response.text
    assert "Cook" not in response.text


def test_list_paginates(client):
    VacancyFactory.create_batch(25)

    first = client.get(reverse("vacancies:list"))
    second = client.get(reverse("vacancies:list"), {"page": 2})

    assert len(first.context["page"]) == 20
    assert len(second.context["page"]) == 5


def test_detail_of_open_vacancy_is_public(client):
    vacancy = VacancyFactory(title="Open PSW role")

    response = client.get(reverse("vacancies:detail", args=[vacancy.pk]))

    assert response.status_code == 200
    assert "Open PSW role" in response.text


@pytest.mark.parametrize(
    "status", [Vacancy.Status.DRAFT, Vacancy.Status.CLOSED, Vacancy.Status.FILLED]
)
def test_detail_of_unpublished_vacancy_is_404(client, status):
    vacancy = VacancyFactory(status=status)

    response = client.get(reverse("vacancies:detail", args=[vacancy.pk]))

    assert response.status_code == 404


def test_detail_shows_own_match_explanation(client, applicant):
    match = MatchFactory(applicant=applicant)
    client.force_login(applicant.user)

    response = client.get(reverse("vacancies:detail", args=[match.vacancy.pk]))

    assert "Dementia care" in response.text
