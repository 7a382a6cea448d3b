"""`kyso demo`: load the demo organisation, CA and users (idempotent)."""

from django.core.management.base import BaseCommand

from kyso.core.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo organisation, certification authority and users (safe to run again)."

    def handle(self, *args, **opts):
        summary = load_demo()
        for line in summary:
            self.stdout.write(line)
