"""An applicant's public badge portfolio and the switch that publishes it.

The applicant's own badge page is ``applicants:badges``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.tenancy import tenant_for
from badges import selectors
from badges.services import portfolio_set_public


def _applicant_tenant(request: HttpRequest):
    tenant = tenant_for(request)
    if tenant.applicant is None:
        raise Http404("Only job seekers have a badge page.")
    return tenant


@login_required
@require_POST
def portfolio_visibility(request: HttpRequest) -> HttpResponse:
    tenant = _applicant_tenant(request)
    value = request.POST.get("public", "")
    if value not in ("1", "0"):
        messages.error(
            request,
            _(
                "Visibility %(value)r is neither 1 nor 0: use the Make public or "
                "Make private button."
            )
            % {"value": value},
        )
        return redirect("applicants:badges")
    is_public = value == "1"
    portfolio_set_public(applicant_id=tenant.applicant.pk, is_public=is_public)
    if is_public:
        messages.success(request, _("Your badge portfolio is public."))
    else:
        messages.success(request, _("Your badge portfolio is private."))
    return redirect("applicants:badges")


@require_safe
def portfolio(request: HttpRequest, public_id) -> HttpResponse:
    found = selectors.public_portfolio(public_id)
    if found is None:
        raise Http404("No such portfolio.")
    context = {
        "portfolio": found,
        "name": found.applicant.user.display_name,
        "badges": selectors.portfolio_badges(found.applicant_id),
    }
    return render(request, "badges/portfolio.html", context)
