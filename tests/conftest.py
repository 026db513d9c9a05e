pytest_plugins = ["tests.browser"]

import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Keep files written by a test inside that test's temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
