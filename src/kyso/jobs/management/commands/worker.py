"""`kyso worker`: run the background jobs and the periodic ones (beside `kyso serve`; several may run)."""

from django.core.management.base import BaseCommand

from kyso.jobs import worker


class Command(BaseCommand):
    help = "Run background jobs from the database (or, with KYSO_CELERY_BROKER, schedule them for Celery)."

    def add_arguments(self, parser):
        parser.add_argument("--poll", type=float, default=1.0, help="seconds between looks at the job table")
        parser.add_argument("--once", action="store_true", help="one round, then exit")
        parser.add_argument("--no-periodic", action="store_true", help="do not submit the periodic jobs")
        parser.add_argument("--drain", action="store_true", help="run the jobs waiting now, then exit")
        parser.add_argument("--parent", type=int, default=0, help="exit when this process (the server) is gone")

    def handle(self, *args, poll, once, no_periodic, drain, parent, **opts):
        if drain:
            self.stdout.write(f"{worker.drain()}")
            return
        worker.Worker(poll=poll, periodic=not no_periodic, parent=parent).serve(once=once)
