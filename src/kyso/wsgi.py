"""WSGI entry point (gunicorn, `kyso serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyso.settings")
application = get_wsgi_application()
