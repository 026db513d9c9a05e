"""An applicant's own badges, pathway progress and public portfolio."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.tenancy import scoped, tenant_for
from badges import selectors
from badges.models import Assertion, Portfolio
from badges.services import portfolio_set_public
from badges.views import assertion_status


def _applicant_tenant(request: HttpRequest):
    tenant = tenant_for(request)
    if tenant.applicant is None:
        raise Http404("Only job seekers have a badge page.")
    return tenant


@login_required
@require_safe
def my_badges(request: HttpRequest) -> HttpResponse:
    tenant = _applicant_tenant(request)
    assertions = (
        scoped(Assertion, tenant)
        .filter(recipient=tenant.applicant)
        .select_related("badge_class__college")
        .order_by("-issued_on")
    )
    portfolio = scoped(Portfolio, tenant).first()
    context = {
        "badges": [
            (assertion, assertion_status(assertion)) for assertion in assertions
        ],
        "progress": selectors.pathway_progress(tenant.applicant.pk),
        "portfolio": portfolio,
    }
    return render(request, "badges/my_badges.html", context)


@login_required
@require_POST
def portfolio_visibility(request: HttpRequest) -> HttpResponse:
    tenant = _applicant_tenant(request)
    is_public = request.POST.get("public") == "1"
    portfolio_set_public(applicant_id=tenant.applicant.pk, is_public=is_public)
    if is_public:
        messages.success(request, _("Your badge portfolio is public."))
    else:
        messages.success(request, _("Your badge portfolio is private."))
    return redirect("badges:my_badges")


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
