"""Public pages of open vacancies."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.tenancy import scoped, tenant_for
from matching.models import Match
from mex.pagecache import cached_page, do_not_store
from vacancies.forms import VacancySearchForm
from vacancies.jsonld import job_posting
from vacancies.selectors import open_vacancies

PAGE_SIZE = 20


@cached_page(query_params=("page",))
def vacancy_list(request: HttpRequest) -> HttpResponse:
    form = VacancySearchForm(request.GET or None)
    vacancies = open_vacancies().select_related("employer")
    if form.is_bound:
        vacancies = form.filter(vacancies)
    page = Paginator(vacancies, PAGE_SIZE).get_page(request.GET.get("page"))
    if request.GET.getlist("page") not in ([], [str(page.number)]):
        # get_page shows some page for any value ("x", "0", "99999"), so only
        # the number of the page shown is stored.
        do_not_store(request)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "vacancies/list.html", context)


@cached_page
def vacancy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an open vacancy to anyone. Drafts and closed ones are 404."""
    vacancy = get_object_or_404(open_vacancies().select_related("employer"), pk=pk)
    requirements = vacancy.skill_requirements.select_related("skill").order_by(
        "importance", "skill__name"
    )
    tenant = tenant_for(request)
    own_match = None
    if tenant.applicant is not None:
        own_match = scoped(Match, tenant).filter(vacancy=vacancy).first()
    context = {
        "vacancy": vacancy,
        "job_posting": job_posting(
            vacancy, [requirement.skill.name for requirement in requirements]
        ),
        "requirements": requirements,
        "credentials": vacancy.required_credentials.all(),
        "match": own_match,
    }
    return render(request, "vacancies/detail.html", context)
