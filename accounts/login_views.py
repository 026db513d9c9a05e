"""allauth's sign-in page, with its blank form served from the page cache."""

from allauth.account.adapter import get_adapter
from allauth.account.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator

from mex.pagecache import cached_page


class CachedLoginView(LoginView):
    """Serve the blank sign-in form from ``mex.pagecache``.

    allauth's dispatch still runs first: signed-in users are redirected, a
    pending sign-in stage resumes and the no-cache headers are set. Requests
    that ask for JSON get allauth's own answer, and form posts are not cached.
    """

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if get_adapter(request).is_ajax(request):
            return super().get(request, *args, **kwargs)
        return self._blank_form(request, *args, **kwargs)

    @method_decorator(cached_page)
    def _blank_form(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return super().get(request, *args, **kwargs)


login = CachedLoginView.as_view()
