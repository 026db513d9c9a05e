"""Settings of the Celery worker that worker tests start as a subprocess.

The test settings, with the media folder of the test that started the worker
and tasks sent to the broker rather than run in-process.
"""

import os
from pathlib import Path

from mex.settings.test import *  # noqa: F403

MEDIA_ROOT = Path(os.environ["MEX_TEST_MEDIA_ROOT"])
CELERY_TASK_ALWAYS_EAGER = False
