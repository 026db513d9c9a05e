"""Celery application for MEX.

Workers start with ``celery -A mex worker``. Configuration comes from the
Django settings under the ``CELERY_`` prefix, so one set of environment
variables drives the web process and the worker alike.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mex.settings.local")

app = Celery("mex")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
