"""Tenancy scopes of applicants' data: each applicant owns their own rows."""

from accounts.tenancy import scope_for
from applicants.models import (
    ApplicantCredential,
    ApplicantProfile,
    ApplicantSkill,
    Experience,
    Qualification,
)


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
