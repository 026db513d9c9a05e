"""Tenancy scopes of vacancies: an employer's staff own its vacancies."""

from accounts.tenancy import scope_for
from vacancies.models import Vacancy, VacancySkill


@scope_for(Vacancy)
def vacancies_of_employer(queryset, tenant):
    if tenant.organization is None:
        return queryset.none()
    return queryset.filter(employer=tenant.organization)


@scope_for(VacancySkill)
def vacancy_skills_of_employer(queryset, tenant):
    if tenant.organization is None:
        return queryset.none()
    return queryset.filter(vacancy__employer=tenant.organization)
