"""Tenancy scopes of vacancies: an employer's staff own its vacancies."""

from django.db.models import Q

from accounts.tenancy import scope_for
from vacancies.models import CandidateStage, Vacancy, VacancySkill


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


@scope_for(CandidateStage)
def candidate_stages_of_tenant(queryset, tenant):
    """Employers reach their vacancies' pipeline, and applicants their own stages."""
    owned = Q(pk__in=[])
    if tenant.organization is not None:
        owned |= Q(vacancy__employer=tenant.organization)
    if tenant.applicant is not None:
        owned |= Q(match__applicant=tenant.applicant)
    return queryset.filter(owned)
