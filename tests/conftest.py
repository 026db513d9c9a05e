import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Keep files written by a test inside that test's temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _badge_key_dir(settings, tmp_path):
    """Give each test its own badge signing keys."""
    settings.MEX_BADGE_KEY_DIR = tmp_path / "badge-keys"
