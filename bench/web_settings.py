"""Settings of the gunicorn that bench/load_bench.py starts: local, no debug.

The URLconf adds one bare view beside the product's pages, so that each page's
rate can be compared with the floor of Django and gunicorn on this machine.
Never used outside the benchmark.
"""

from mex.settings.env import env_int
from mex.settings.local import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "bench.web_urls"
# One log line per request would measure the terminal, not the pages.
LOGGING_CONFIG = None
# As deployed (Compose sets DATABASE_CONN_MAX_AGE=60): each gunicorn worker
# keeps its database connection instead of opening one per request.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
