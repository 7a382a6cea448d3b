from django.core.management.base import BaseCommand

from kyso.core.scheduler import run_forever


class Command(BaseCommand):
    help = "Run the periodic jobs (audit checkpoints, reminders, CRL refresh) without Celery."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run what is due once and exit.")

    def handle(self, *args, once=False, **opts):
        run_forever(once=once)
