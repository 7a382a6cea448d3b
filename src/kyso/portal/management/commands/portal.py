"""`kyso portal procedures` · `kyso portal status CODE` · `kyso portal submit --as USER --procedure 600 FILE…`
(an I-VAN provider's or an employer's signed e-dossier from the command line, through the same intake
checks as the portal and the API)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kyso.core.cli import acting_as_cli, fail
from kyso.core.errors import KysoError


class Command(BaseCommand):
    help = "Public service portal: catalogue, status lookup, submission of signed e-dossiers."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("procedures", help="the published procedure catalogue")
        p = sub.add_parser("status", help="public status of a dossier by its code")
        p.add_argument("code")
        p = sub.add_parser("submit", help="submit a signed e-dossier")
        p.add_argument("--as", dest="username", required=True, help="the submitter's Kyso login")
        p.add_argument("--procedure", required=True)
        p.add_argument("--unit", default=None, help="receiving office code (I-VAN: required)")
        p.add_argument("--employer-tax-code", default="")
        p.add_argument("--employer-name", default="")
        p.add_argument("files", nargs="+")

    def handle(self, *args, **o):
        from kyso.portal import intake
        from kyso.portal.lookup import public_status
        from kyso.portal.models import Channel, Procedure, SubmitterKind

        try:
            if o["action"] == "procedures":
                for proc in Procedure.objects.order_by("code"):
                    self.stdout.write(f"{proc.code}\t{proc.name}")
            elif o["action"] == "status":
                self.stdout.write(json.dumps(public_status(o["code"]), ensure_ascii=False, default=str, indent=2))
            else:
                from kyso.accounts.models import User

                user = User.objects.filter(username=o["username"]).first()
                if user is None:
                    raise CommandError(f"[portal.cli.user] no login {o['username']}", returncode=2)
                uploads = [intake.Upload(Path(f).name, Path(f).read_bytes()) for f in o["files"]]
                with acting_as_cli(user), transaction.atomic():
                    sub = intake.submitter_of(user)
                    channel = Channel.IVAN if sub.kind == SubmitterKind.IVAN else Channel.PORTAL
                    employer = {"tax_code": o["employer_tax_code"], "name": o["employer_name"]} \
                        if channel == Channel.IVAN else None
                    dossier = intake.submit_signed(user, procedure_code=o["procedure"], files=uploads, channel=channel,
                                                   employer=employer, unit_code=o["unit"])
                self.stdout.write(f"{dossier.code}\t{dossier.due_date:%d/%m/%Y}")
        except KysoError as exc:
            fail(exc)
        except OSError as exc:
            raise CommandError(f"[portal.cli.file] {exc}", returncode=2) from exc
