"""WSGI entry point (gunicorn, `kyso serve`).

OCSP requests (`/pki/ocsp…`) are answered by `kyso.pki.fastpath` before Django's request cycle:
they need neither session, middleware nor templates, and they come by the thousand per second.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyso.settings")
django_application = get_wsgi_application()

from kyso.pki.fastpath import dispatcher  # noqa: E402 - needs the apps loaded by get_wsgi_application

application = dispatcher(django_application)
