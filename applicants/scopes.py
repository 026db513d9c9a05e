"""Tenancy scopes of applicants' data: each applicant owns their own rows."""

from django.db.models import Q

from accounts.tenancy import scope_for
from applicants.models import (
    ApplicantCredential,
    ApplicantProfile,
    ApplicantSkill,
    Experience,
    Qualification,
    Resume,
)
from matching.models import Match


@scope_for(ApplicantProfile)
def own_profile(queryset, tenant):
    if tenant.applicant is None:
        return queryset.none()
    return queryset.filter(pk=tenant.applicant.pk)


def _own_rows(queryset, tenant):
    if tenant.applicant is None:
        return queryset.none()
    return queryset.filter(profile=tenant.applicant)


for _model in (ApplicantSkill, ApplicantCredential, Experience, Qualification):
    scope_for(_model)(_own_rows)


@scope_for(Resume)
def resumes_of_tenant(queryset, tenant):
    """The applicant's own résumé, and for an employer those it may read.

    An employer may read the résumé of an applicant who consented to share
    their details and has a match on one of its vacancies that a MEX
    administrator approved.
    """
    owned = Q(pk__in=[])
    if tenant.applicant is not None:
        owned |= Q(profile=tenant.applicant)
    if tenant.organization is not None:
        shared = Match.objects.filter(
            vacancy__employer=tenant.organization, status=Match.Status.APPROVED
        ).values("applicant_id")
        owned |= Q(profile__consent_to_share=True, profile_id__in=shared)
    return queryset.filter(owned)
