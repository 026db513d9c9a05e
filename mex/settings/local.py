"""Settings for a developer machine: debug on, email printed to the console."""

from mex.settings.base import *  # noqa: F403
from mex.settings.env import env_bool, env_str

DEBUG = env_bool("DJANGO_DEBUG", True)
# Local sign-ups are confirmed from the console email; set this to "none" to
# skip confirmation while trying MEX out.
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "optional")
