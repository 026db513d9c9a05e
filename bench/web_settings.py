"""Settings of the gunicorn that bench/load_bench.py starts: local, no debug.

The URLconf adds one bare view beside the product's pages, so that each page's
rate can be compared with the floor of Django and gunicorn on this machine.
Never used outside the benchmark.
"""

from mex.settings.local import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "bench.web_urls"
# One log line per request would measure the terminal, not the pages.
LOGGING_CONFIG = None
