"""The home page in a real browser: it renders, is saved, passes axe-core."""

import pytest

from tests.browser import axe_violations, describe_violations, save_screenshot

pytestmark = pytest.mark.browser

SMOKE_PATH = "/"


def test_page_renders(page, live_server):
    # when
    response = page.goto(live_server.url + SMOKE_PATH)

    # then
    assert response.status == 200
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.get_by_role("navigation", name="Main").is_visible()


def test_page_has_no_serious_violations(page, live_server):
    page.goto(live_server.url + SMOKE_PATH)

    violations = axe_violations(page)

    assert violations == [], describe_violations(violations)


def test_screenshot_saved(page, live_server):
    page.goto(live_server.url + SMOKE_PATH)

    path = save_screenshot(page, "smoke")

    assert path.stat().st_size > 0


def test_axe_reports_violations(page):
    # given: a page without a language or image text, under a strict policy
    # that blocks inline scripts, as the site's own pages are
    page.set_content(
        "<html><head><meta http-equiv='Content-Security-Policy' "
        "content=\"script-src 'self'\"></head>"
        "<body><img src='data:,'></body></html>"
    )

    # when
    violations = axe_violations(page)

    # then
    assert {v["id"] for v in violations} >= {"html-has-lang", "image-alt"}
