"""Read-side queries for vacancies."""

from django.db.models import QuerySet

from vacancies.models import Vacancy


def open_vacancies() -> QuerySet[Vacancy]:
    """Return the vacancies anyone may see: those that are open."""
    return Vacancy.objects.filter(status=Vacancy.Status.OPEN)
