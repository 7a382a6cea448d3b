"""`kyso workdays add|between|is|year|override`: the deadline calendar from the command line."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from kyso.core.cli import acting_as_cli, fail
from kyso.core.errors import KysoError
from kyso.workdays import calendar, services


class Command(BaseCommand):
    help = "Vietnamese working days: add, count, inspect a year, manage overrides."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("add", help="DATE N: the N-th working day after DATE")
        p.add_argument("date")
        p.add_argument("days", type=int)
        p = sub.add_parser("between", help="START END: working days in (START, END]")
        p.add_argument("start")
        p.add_argument("end")
        p = sub.add_parser("is", help="DATE: is it a working day?")
        p.add_argument("date")
        p = sub.add_parser("year", help="YEAR: weekdays off and working weekend days")
        p.add_argument("year", type=int)
        p = sub.add_parser("override", help="DATE KIND NAME: add or change an override (kind: working|holiday)")
        p.add_argument("date")
        p.add_argument("kind", choices=["working", "holiday"])
        p.add_argument("name")
        p.add_argument("--legal-basis", default="")

    def handle(self, *args, action=None, **o):
        try:
            if action == "add":
                self.stdout.write(f'{calendar.add_working_days(o["date"], o["days"]):%d/%m/%Y}')
            elif action == "between":
                self.stdout.write(str(calendar.working_days_between(o["start"], o["end"])))
            elif action == "is":
                day = calendar.as_date(o["date"])
                cal = calendar.Calendar(day, day)
                working = cal.is_working_day(day)
                reason = cal.reason(day)
                self.stdout.write(f"{day:%d/%m/%Y} {_('working day') if working else _('day off')}{': ' + reason if reason else ''}")
                if not working:
                    raise CommandError("", returncode=1)
            elif action == "year":
                for day, working, reason in calendar.days_off(o["year"]):
                    self.stdout.write(f"{day:%d/%m/%Y} {'+' if working else '-'} {reason}")
            elif action == "override":
                with acting_as_cli(), transaction.atomic():
                    ov = services.set_override(o["date"], o["kind"], o["name"], o["legal_basis"])
                self.stdout.write(str(ov))
        except KysoError as exc:
            fail(exc)
