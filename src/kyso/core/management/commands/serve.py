"""`kyso serve [--port N]`: the web UI and API under gunicorn (several worker processes).

Worker processes rather than threads: the PKCS#11 library may only be used by one thread
at a time per process. Without a Celery broker the periodic jobs (audit checkpoints,
reminders, CRL refresh) run in a small scheduler process started alongside.
"""

import os
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Kyso on http://HOST:PORT with gunicorn."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("KYSO_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("KYSO_PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("KYSO_WORKERS", "3")))
        parser.add_argument("--no-scheduler", action="store_true", help="Do not start the periodic-job scheduler.")

    def handle(self, *args, host, port, workers, no_scheduler, **opts):
        from gunicorn.app.base import BaseApplication

        from kyso.wsgi import application

        scheduler = None
        if not no_scheduler and not settings.CELERY_BROKER_URL:
            scheduler = subprocess.Popen([sys.executable, "-m", "kyso.cli", "scheduler"], env=os.environ.copy())

        class Server(BaseApplication):
            def load_config(self):
                self.cfg.set("bind", f"{host}:{port}")
                self.cfg.set("workers", workers)
                self.cfg.set("timeout", 120)
                self.cfg.set("accesslog", "-")
                self.cfg.set("proc_name", "kyso")

            def load(self):
                return application

        self.stdout.write(f"Kyso {settings.KYSO_VERSION} — http://{host}:{port}/ (dữ liệu: {settings.DATA_DIR})")
        try:
            Server().run()
        finally:
            if scheduler is not None:
                scheduler.terminate()
