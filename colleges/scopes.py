"""Tenancy scopes of courses and enrolments.

A college's staff own its courses and the enrolments in them; an applicant
owns their own enrolments.
"""

from django.db.models import Q

from accounts.tenancy import scope_for
from colleges.models import Course, CourseSkill, Enrolment, EnrolmentInvitation


@scope_for(Course)
def courses_of_college(queryset, tenant):
    if tenant.organization is None:
        return queryset.none()
    return queryset.filter(college=tenant.organization)


@scope_for(CourseSkill)
def course_skills_of_college(queryset, tenant):
    if tenant.organization is None:
        return queryset.none()
    return queryset.filter(course__college=tenant.organization)


@scope_for(Enrolment)
def enrolments_of_tenant(queryset, tenant):
    owned = Q(pk__in=[])
    if tenant.applicant is not None:
        owned |= Q(applicant=tenant.applicant)
    if tenant.organization is not None:
        owned |= Q(course__college=tenant.organization)
    return queryset.filter(owned)


@scope_for(EnrolmentInvitation)
def enrolment_invitations_of_college(queryset, tenant):
    if tenant.organization is None:
        return queryset.none()
    return queryset.filter(course__college=tenant.organization)
