"""The one way views reach rows owned by an organization or an applicant.

A view never calls a model manager directly for owned data. It asks for the
request's tenant and then for a scoped queryset:

    tenant = tenant_for(request)
    vacancy = get_scoped_or_404(Vacancy, tenant, pk=pk)

Each owned model registers how it is filtered for a tenant with
``@scope_for(Model)``. A model with no registered scope raises
``UnscopedModelError`` instead of leaking rows, and a missing row and a row
owned by someone else both raise the same ``Http404``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest

from accounts.models import Membership, Organization

ScopeFunction = Callable[[models.QuerySet, "Tenant"], models.QuerySet]

ACTIVE_ORGANIZATION_SESSION_KEY = "mex_active_organization_id"

_scopes: dict[type[models.Model], ScopeFunction] = {}


class UnscopedModelError(LookupError):
    """Raised when a view requests a model that has no registered scope."""


@dataclass(frozen=True)
class Tenant:
    """The requester: a user, the organization they act for, their profile.

    ``memberships`` lists every organization of the user, oldest first, for
    the organization menu.
    """

    user: object | None
    membership: Membership | None
    applicant: object | None
    memberships: tuple[Membership, ...] = ()

    @property
    def organization(self) -> Organization | None:
        return self.membership.organization if self.membership else None

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None


ANONYMOUS = Tenant(user=None, membership=None, applicant=None)


def scope_for(model: type[models.Model]) -> Callable[[ScopeFunction], ScopeFunction]:
    """Register the function that narrows ``model``'s rows to a tenant's own."""

    def register(function: ScopeFunction) -> ScopeFunction:
        if model in _scopes:
            raise ValueError(f"{model.__name__} already has a tenancy scope.")
        _scopes[model] = function
        return function

    return register


def scoped_models() -> frozenset[type[models.Model]]:
    return frozenset(_scopes)


def tenant_for(request: HttpRequest) -> Tenant:
    """Return the tenant of a request, cached on the request."""
    cached = getattr(request, "_mex_tenant", None)
    if cached is not None:
        return cached

    user = request.user
    if not user.is_authenticated:
        tenant = ANONYMOUS
    else:
        memberships = tuple(
            Membership.objects.filter(user=user)
            .select_related("organization")
            .order_by("created_at", "pk")
        )
        tenant = Tenant(
            user=user,
            membership=_active_membership(request, memberships),
            applicant=getattr(user, "applicant", None),
            memberships=memberships,
        )
    request._mex_tenant = tenant
    return tenant


def forget_tenant(request: HttpRequest) -> None:
    """Drop the cached tenant, after a login, logout or organization switch."""
    request.__dict__.pop("_mex_tenant", None)


def user_memberships(tenant: Tenant) -> models.QuerySet[Membership]:
    """Return every membership of the tenant's user, for the organization menu."""
    if not tenant.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=tenant.user).select_related("organization")


def activate_organization(request: HttpRequest, organization_id: int) -> Membership:
    """Make one of the user's organizations the active one for this session.

    Raises the same 404 whether the organization is missing or the user is no
    member of it.
    """
    tenant = tenant_for(request)
    membership = user_memberships(tenant).filter(organization_id=organization_id)
    chosen = membership.first()
    if chosen is None:
        raise Http404("No such organization.")
    request.session[ACTIVE_ORGANIZATION_SESSION_KEY] = chosen.organization_id
    forget_tenant(request)
    return chosen


def require_membership(
    tenant: Tenant,
    *,
    kind: str | None = None,
    roles: tuple[str, ...] | None = None,
) -> Membership:
    """Return the tenant's active membership, or refuse the request.

    Without an active organization, or with one of another ``kind``, this
    raises 404 like any foreign row. A member whose role is not in ``roles``
    gets 403, because they already know the organization exists.
    """
    membership = tenant.membership
    if membership is None:
        raise Http404("No active organization.")
    if kind is not None and membership.organization.kind != kind:
        raise Http404("No active organization of this kind.")
    if roles is not None and membership.role not in roles:
        raise PermissionDenied("Your role in this organization does not allow this.")
    return membership


def _active_membership(
    request: HttpRequest, memberships: tuple[Membership, ...]
) -> Membership | None:
    """Return the membership chosen in this session, else the oldest one."""
    wanted = request.session.get(ACTIVE_ORGANIZATION_SESSION_KEY)
    for membership in memberships:
        if membership.organization_id == wanted:
            return membership
    return memberships[0] if memberships else None


def scoped[ModelT: models.Model](
    model_or_queryset: type[ModelT] | models.QuerySet[ModelT], tenant: Tenant
) -> models.QuerySet[ModelT]:
    """Return the rows of a model, or of a queryset, that ``tenant`` owns."""
    if isinstance(model_or_queryset, models.QuerySet):
        queryset = model_or_queryset
    else:
        queryset = model_or_queryset._default_manager.all()

    function = _scopes.get(queryset.model)
    if function is None:
        raise UnscopedModelError(
            f"{queryset.model.__name__} has no tenancy scope: register one with "
            "@scope_for in the app's scopes module."
        )
    if not tenant.is_authenticated:
        return queryset.none()
    return function(queryset, tenant)


def get_scoped_or_404[ModelT: models.Model](
    model_or_queryset: type[ModelT] | models.QuerySet[ModelT],
    tenant: Tenant,
    **lookup,
) -> ModelT:
    """Return one row the tenant owns; raise the same 404 if missing or foreign."""
    try:
        return scoped(model_or_queryset, tenant).get(**lookup)
    except (models.ObjectDoesNotExist, ValueError, TypeError):
        raise Http404("No such object.") from None
