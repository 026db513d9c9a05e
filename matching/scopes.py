"""Tenancy scopes of matches.

An applicant sees their own matches. An employer sees matches on its own
vacancies only once a MEX administrator has approved them.
"""

from django.db.models import Q

from accounts.tenancy import scope_for
from matching.models import Match


@scope_for(Match)
def matches_of_tenant(queryset, tenant):
    owned = Q(pk__in=[])
    if tenant.applicant is not None:
        owned |= Q(applicant=tenant.applicant)
    if tenant.organization is not None:
        owned |= Q(vacancy__employer=tenant.organization, status=Match.Status.APPROVED)
    return queryset.filter(owned)
