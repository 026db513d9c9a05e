"""allauth's sign-in page, kept in process memory for visitors without a session.

allauth's login view redirects a signed-in user, resumes a sign-in left
half done (a pending stage, such as the second factor) and returns JSON to
scripts. The first two live in the session, so a request without a session
cookie, asking for HTML, always gets the blank form. That form reads no
data, so each process keeps it in memory (``mex.pagecache.data_free_page``)
and serves it without running allauth's view. Every other request goes to
allauth's view as it is.
"""

from allauth.account.adapter import get_adapter
from allauth.account.views import LoginView
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache

from mex.pagecache import data_free_page

_allauth_login = LoginView.as_view()


@never_cache
@data_free_page(headers_added_outside=("Cache-Control", "Expires"))
def _blank_login_form(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    return _allauth_login(request, *args, **kwargs)


@login_not_required
def login(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """Serve the sign-in page, from memory when it is the blank form."""
    blank_form = (
        request.method in ("GET", "HEAD")
        and request.session.session_key is None
        and not get_adapter(request).is_ajax(request)
    )
    if blank_form:
        return _blank_login_form(request, *args, **kwargs)
    return _allauth_login(request, *args, **kwargs)
