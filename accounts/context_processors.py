from django.utils.functional import SimpleLazyObject

from accounts.notifications import unread_count
from accounts.tenancy import tenant_for


def tenancy(request):
    """Expose the tenant, the user's organizations and unread notifications."""
    tenant = SimpleLazyObject(lambda: tenant_for(request))
    return {
        "tenant": tenant,
        "user_memberships": SimpleLazyObject(
            lambda: list(tenant_for(request).memberships)
        ),
        "unread_notifications": SimpleLazyObject(lambda: unread_count(request.user)),
    }
