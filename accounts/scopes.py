"""Tenancy scopes of the accounts app's models."""

from accounts.models import (
    AuditEvent,
    Invitation,
    Membership,
    Notification,
    Organization,
)
from accounts.tenancy import scope_for


@scope_for(Organization)
def organizations_of_tenant(queryset, tenant):
    return queryset.filter(memberships__user=tenant.user)


@scope_for(Membership)
def memberships_of_active_organization(queryset, tenant):
    if tenant.organization is None:
        return queryset.none()
    return queryset.filter(organization=tenant.organization)


@scope_for(Invitation)
def invitations_of_active_organization(queryset, tenant):
    if tenant.organization is None:
        return queryset.none()
    return queryset.filter(organization=tenant.organization)


@scope_for(AuditEvent)
def no_audit_events(queryset, tenant):
    # The audit log is read only by MEX administrators in the admin site.
    return queryset.none()


@scope_for(Notification)
def own_notifications(queryset, tenant):
    return queryset.filter(recipient=tenant.user)
