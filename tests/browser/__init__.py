"""Pytest fixtures that drive Debian's Chromium through Playwright.

Use them in a test module with ``pytestmark = pytest.mark.browser``::

    def test_home(page, live_server):
        page.goto(live_server.url)
        assert axe_violations(page) == []

Chromium comes from the system (MEX_CHROMIUM, default /usr/bin/chromium), not
from Playwright's own download. Without it the browser tests are skipped,
unless MEX_REQUIRE_SERVICES=1, where they fail. Each test's page is saved as a
screenshot in test-artifacts/ when the test ends.
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from tests.services import _skip_or_fail

# Flags for a headless Chromium on a machine without a display, GPU or
# network: --no-sandbox because the tests may run as root, and no background
# connections to Google's services, which a closed network refuses.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
ARTIFACTS_DIR = Path(settings.BASE_DIR) / "test-artifacts"
AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
# axe-core impact levels that fail a test; "minor" and "moderate" are reported
# by axe but left to review.
BLOCKING_IMPACTS = ("serious", "critical")
# Milliseconds Playwright waits for a page or an element before failing.
DEFAULT_TIMEOUT_MS = 15_000


def chromium_path() -> str:
    path = os.environ.get("MEX_CHROMIUM", "/usr/bin/chromium")
    if not os.access(path, os.X_OK):
        _skip_or_fail(
            f"Chromium not found at MEX_CHROMIUM={path!r}; install Debian's "
            "chromium package or set MEX_CHROMIUM"
        )
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """Return a headless Chromium shared by the browser tests of one module.

    Playwright's sync API keeps an asyncio event loop running in this thread
    while it is open, and Django then refuses database queries from the thread
    (SynchronousOnlyOperation), including the test database's own set-up.
    DJANGO_ALLOW_ASYNC_UNSAFE lifts that check for the module's duration only,
    which is safe because no query runs inside the loop itself.
    """
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=executable, headless=True, args=list(CHROMIUM_FLAGS)
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, request) -> Iterator:
    """Return a fresh page (own cookies and storage), screenshot saved at the end."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    browser_page = context.new_page()
    yield browser_page
    save_screenshot(browser_page, request.node.name)
    context.close()


def save_screenshot(browser_page, name: str) -> Path:
    """Save a full-page PNG of the page under test-artifacts/ and return its path."""
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    path = ARTIFACTS_DIR / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"
    browser_page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(browser_page, impacts=BLOCKING_IMPACTS) -> list[dict]:
    """Run axe-core on the page and return its violations of the given impacts.

    Each violation is axe's own dict (id, impact, help, nodes, ...). axe-core
    comes from npm (package.json); without it the check is skipped, unless
    MEX_REQUIRE_SERVICES=1.
    """
    if not AXE_SCRIPT.is_file():
        _skip_or_fail(f"axe-core not found at {AXE_SCRIPT}; run `npm ci`")
    # evaluate() runs through the DevTools protocol, which the page's Content
    # Security Policy does not apply to; a <script> tag would be blocked.
    if browser_page.evaluate("typeof window.axe") == "undefined":
        browser_page.evaluate(AXE_SCRIPT.read_text())
    results = browser_page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )

    return [v for v in results["violations"] if v["impact"] in impacts]


def describe_violations(violations: list[dict]) -> str:
    """Render axe violations for an assertion message: rule, help, elements."""
    lines = []
    for violation in violations:
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        lines.append(
            f"{violation['impact']} {violation['id']}: {violation['help']} ({targets})"
        )
    return "\n".join(lines)
