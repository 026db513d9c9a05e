"""Sign a browser page in as a user and pick its language, without the forms."""

from django.conf import settings
from django.test import Client


def sign_in(page, live_server, user) -> None:
    """Give the page's browser context a session cookie of ``user``.

    Signing in through the form is tested elsewhere; pages that only need a
    signed-in user start from Django's own test login to stay fast.
    """
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def choose_language(page, live_server, language: str) -> None:
    """Set the language cookie that Django's set_language view would set."""
    page.context.add_cookies(
        [
            {
                "name": settings.LANGUAGE_COOKIE_NAME,
                "value": language,
                "url": live_server.url,
            }
        ]
    )
