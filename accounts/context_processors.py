from django.utils.functional import SimpleLazyObject

from accounts.notifications import unread_count
from accounts.tenancy import tenant_for, user_memberships


def tenancy(request):
    """Expose the tenant, the user's organizations and unread notifications."""
    tenant = SimpleLazyObject(lambda: tenant_for(request))
    return {
        "tenant": tenant,
        "user_memberships": SimpleLazyObject(
            lambda: list(user_memberships(tenant_for(request)))
        ),
        "unread_notifications": SimpleLazyObject(lambda: unread_count(request.user)),
    }
