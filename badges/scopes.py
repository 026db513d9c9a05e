"""Tenancy scopes of badges.

A college owns its badge classes and the assertions it issued; an applicant
owns the assertions issued to them. Public verification pages look badges up
by their public id instead and show only what an assertion publishes.
"""

from django.db.models import Q

from accounts.tenancy import scope_for
from badges.models import Assertion, BadgeClass, LogEntry, Pathway, Portfolio


@scope_for(BadgeClass)
def badge_classes_of_college(queryset, tenant):
    if tenant.organization is None:
        return queryset.none()
    return queryset.filter(college=tenant.organization)


@scope_for(Assertion)
def assertions_of_tenant(queryset, tenant):
    owned = Q(pk__in=[])
    if tenant.applicant is not None:
        owned |= Q(recipient=tenant.applicant)
    if tenant.organization is not None:
        owned |= Q(badge_class__college=tenant.organization)
    return queryset.filter(owned)


@scope_for(LogEntry)
def log_entries_of_tenant(queryset, tenant):
    return queryset.filter(
        assertion__in=assertions_of_tenant(Assertion.objects, tenant)
    )


@scope_for(Pathway)
def pathways_of_college(queryset, tenant):
    if tenant.organization is None:
        return queryset.none()
    return queryset.filter(college=tenant.organization)


@scope_for(Portfolio)
def portfolio_of_applicant(queryset, tenant):
    if tenant.applicant is None:
        return queryset.none()
    return queryset.filter(applicant=tenant.applicant)
