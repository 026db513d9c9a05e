"""Require a second factor from MEX administrators before they use the admin."""

import functools
import logging

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import get_urlconf, reverse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


@functools.lru_cache(maxsize=8)
def _admin_prefix(urlconf: str) -> str:
    return reverse("admin:index", urlconf=urlconf)


class AdministratorMFAMiddleware:
    """Send staff users without an authenticator app to set one up.

    Applies to every admin URL. The admin login itself already goes through
    allauth (see mex/urls.py), which asks for the second factor once it is set.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The path comes first, so that other pages do not load the user.
        user = getattr(request, "user", None)
        urlconf = get_urlconf() or settings.ROOT_URLCONF
        needs_mfa = (
            user is not None
            and request.path.startswith(_admin_prefix(urlconf))
            and user.is_authenticated
            and user.is_staff
            and not is_mfa_enabled(user)
        )
        if needs_mfa:
            logger.info("Staff user %s sent to set up two-factor sign-in", user.pk)
            messages.warning(
                request,
                _(
                    "Administrators must sign in with two factors. Set up an "
                    "authenticator app to continue to the admin site."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
