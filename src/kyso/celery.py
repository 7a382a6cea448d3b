"""Celery application: background work on Redis at scale (inline when no broker is set)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyso.settings")
app = Celery("kyso")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
