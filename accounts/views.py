"""Pages for organizations, their members and invitations."""

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts import notifications, selectors, services
from accounts.forms import (
    InvitationForm,
    OrganizationForm,
    RoleForm,
    SwitchOrganizationForm,
)
from accounts.models import Invitation, Membership, Notification
from accounts.tenancy import (
    activate_organization,
    get_scoped_or_404,
    require_membership,
    scoped,
    tenant_for,
)

OWNER = (Membership.Role.OWNER,)


def _show_errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Send a signed-in user to where their work starts."""
    tenant = tenant_for(request)
    if tenant.membership is not None:
        return redirect("accounts:organization")
    if tenant.applicant is not None:
        if not tenant.applicant.headline:
            return redirect("applicants:profile_edit")
        return redirect("applicants:matches")
    return render(request, "accounts/dashboard.html")


@login_required
def organization_create(request: HttpRequest) -> HttpResponse:
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organization = services.organization_create(
            creator=request.user,
            kind=form.cleaned_data["kind"],
            name=form.cleaned_data["name"],
            website=form.cleaned_data["website"],
            description=form.cleaned_data["description"],
        )
        activate_organization(request, organization.pk)
        messages.success(request, _("%(name)s was created.") % {"name": organization})
        return redirect("accounts:organization")
    return render(request, "accounts/organization_form.html", {"form": form})


@login_required
def organization(request: HttpRequest) -> HttpResponse:
    """Show the active organization: approval status, members, invitations."""
    tenant = tenant_for(request)
    membership = require_membership(tenant)
    current = membership.organization
    is_owner = membership.role == Membership.Role.OWNER
    members = scoped(Membership, tenant).select_related("user").order_by("user__email")
    invitations = scoped(Invitation, tenant).filter(
        accepted_at__isnull=True, revoked_at__isnull=True
    )
    context = {
        "organization": current,
        "membership": membership,
        "is_owner": is_owner,
        "members": members,
        "invitations": invitations,
        "block_reason": selectors.organization_publish_block_reason(current),
        "invitation_form": InvitationForm(),
        "role_choices": Membership.Role.choices,
        "mfa_enabled": is_mfa_enabled(request.user),
    }
    return render(request, "accounts/organization.html", context)


@login_required
@require_POST
def organization_switch(request: HttpRequest) -> HttpResponse:
    form = SwitchOrganizationForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _(
                "Organization %(value)s is not one of yours: choose one of your "
                "organizations from the menu."
            )
            % {"value": request.POST.get("organization", "")},
        )
        return redirect("accounts:dashboard")
    chosen = activate_organization(request, form.cleaned_data["organization"])
    messages.info(
        request, _("You now act for %(name)s.") % {"name": chosen.organization}
    )
    return redirect("accounts:organization")


@login_required
@require_POST
def invitation_create(request: HttpRequest) -> HttpResponse:
    tenant = tenant_for(request)
    membership = require_membership(tenant, roles=OWNER)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("accounts:organization")
    try:
        sent = services.invitation_send(
            organization=membership.organization,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            invited_by=request.user,
        )
    except ValidationError as error:
        _show_errors(request, error)
    else:
        if sent.replaced:
            text = _(
                "A new invitation was sent to %(email)s; the earlier link no "
                "longer works."
            )
        else:
            text = _("Invitation sent to %(email)s.")
        messages.success(request, text % {"email": sent.invitation.email})
    return redirect("accounts:organization")


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    tenant = tenant_for(request)
    invitation = get_scoped_or_404(Invitation, tenant, pk=pk)
    require_membership(tenant, roles=OWNER)
    services.invitation_revoke(invitation=invitation, actor=request.user)
    messages.success(request, _("The invitation was withdrawn."))
    return redirect("accounts:organization")


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Show an invitation, and on POST make the signed-in user a member.

    Anyone holding the link may see which organization invites them, but only
    the invited address, once signed in, can accept.
    """
    try:
        invitation = services.invitation_check(token)
    except services.InvitationError as error:
        return render(
            request,
            "accounts/invitation_invalid.html",
            {"reason": error.messages[0], "code": error.code},
            status=410 if error.code in {"expired", "used", "revoked"} else 404,
        )
    if request.method == "POST" and request.user.is_authenticated:
        try:
            membership = services.invitation_accept(token=token, user=request.user)
        except services.InvitationError as error:
            return render(
                request,
                "accounts/invitation_invalid.html",
                {"reason": error.messages[0], "code": error.code},
                status=403 if error.code == "wrong_user" else 410,
            )
        activate_organization(request, membership.organization_id)
        messages.success(
            request,
            _("Welcome to %(name)s.") % {"name": membership.organization.name},
        )
        return redirect("accounts:organization")
    return render(
        request, "accounts/invitation_accept.html", {"invitation": invitation}
    )


@login_required
@require_POST
def membership_role(request: HttpRequest, pk: int) -> HttpResponse:
    tenant = tenant_for(request)
    target = get_scoped_or_404(Membership, tenant, pk=pk)
    require_membership(tenant, roles=OWNER)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["role"][0])
        return redirect("accounts:organization")
    try:
        services.membership_change_role(
            membership=target, role=form.cleaned_data["role"], actor=request.user
        )
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(
            request, _("%(email)s's role was changed.") % {"email": target.user.email}
        )
    return redirect("accounts:organization")


@login_required
@require_POST
def membership_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a member (owners), or leave the organization (anyone, own row)."""
    tenant = tenant_for(request)
    target = get_scoped_or_404(Membership, tenant, pk=pk)
    leaving = target.user_id == request.user.pk
    if not leaving:
        require_membership(tenant, roles=OWNER)
    try:
        services.membership_remove(membership=target, actor=request.user)
    except ValidationError as error:
        _show_errors(request, error)
        return redirect("accounts:organization")
    if leaving:
        messages.success(
            request, _("You left %(name)s.") % {"name": target.organization.name}
        )
        return redirect("accounts:dashboard")
    messages.success(
        request, _("%(email)s was removed.") % {"email": target.user.email}
    )
    return redirect("accounts:organization")


# --- Notifications ------------------------------------------------------------

NOTIFICATIONS_PAGE_SIZE = 25


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """List the user's notifications, newest first, unread ones marked."""
    tenant = tenant_for(request)
    page = Paginator(scoped(Notification, tenant), NOTIFICATIONS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/notifications.html", {"page": page})


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and go to the page it is about."""
    notification = get_scoped_or_404(Notification, tenant_for(request), pk=pk)
    notifications.notifications_mark_read(
        user=request.user, notification_ids=[notification.pk]
    )
    target = notification.url
    is_local = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if not target or not is_local:
        return redirect("accounts:notifications")
    return redirect(target)


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = notifications.notifications_mark_read(user=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)d notification marked read.",
            "%(count)d notifications marked read.",
            count,
        )
        % {"count": count},
    )
    return redirect("accounts:notifications")
