"""`kyso serve [--port N]`: the web UI and API under gunicorn (several worker processes).

Worker processes rather than threads: the PKCS#11 library may only be used by one thread
at a time per process. A job worker (`kyso worker`: background jobs and the periodic ones; with a
Celery broker, their schedule) is started alongside and stops with the server — also when the server
is killed, since the worker watches its parent.
"""

import os
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand
from gunicorn.app.base import BaseApplication
from gunicorn.util import import_app

# Named, not imported: the WSGI module sits above every app (it wires the OCSP lane of pki in front of Django).
APPLICATION = "kyso.wsgi:application"
WORKER_CLASS = "kyso.pki.fastpath.OcspLaneWorker"


class Command(BaseCommand):
    help = "Serve Kyso on http://HOST:PORT with gunicorn."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("KYSO_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("KYSO_PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("KYSO_WORKERS", "3")))
        parser.add_argument("--no-worker", action="store_true",
                            help="Do not start a job worker (run `kyso worker` elsewhere).")

    def handle(self, *args, host, port, workers, no_worker, **opts):
        worker = None
        if not no_worker:
            worker = subprocess.Popen([sys.executable, "-m", "kyso.cli", "worker", "--parent", str(os.getpid())],
                                      env=os.environ.copy())

        class Server(BaseApplication):
            def load_config(self):
                self.cfg.set("bind", f"{host}:{port}")
                self.cfg.set("workers", workers)
                self.cfg.set("worker_class", WORKER_CLASS)
                self.cfg.set("timeout", 120)
                self.cfg.set("accesslog", "-")
                self.cfg.set("proc_name", "kyso")

            def load(self):
                return import_app(APPLICATION)

        self.stdout.write(f"Kyso {settings.KYSO_VERSION} — http://{host}:{port}/ (dữ liệu: {settings.DATA_DIR})")
        try:
            Server().run()
        finally:
            if worker is not None:
                worker.terminate()
                try:
                    worker.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    worker.kill()
