import pytest

# Browser fixtures (browser, page) for every test module.
pytest_plugins = ["tests.browser"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Keep files written by a test inside that test's temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
