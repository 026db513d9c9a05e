from django.utils.functional import SimpleLazyObject

from accounts.tenancy import tenant_for, user_memberships


def tenancy(request):
    """Expose the request's tenant and the user's organizations to templates."""
    tenant = SimpleLazyObject(lambda: tenant_for(request))
    return {
        "tenant": tenant,
        "user_memberships": SimpleLazyObject(
            lambda: list(user_memberships(tenant_for(request)))
        ),
    }
