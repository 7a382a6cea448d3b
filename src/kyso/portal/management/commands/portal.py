"""`kyso portal procedures` · `kyso portal status CODE` · `kyso portal submit --user USER --procedure 600 FILE…`
(an I-VAN provider's or an employer's signed e-dossier from the command line, through the same intake
checks and the same step runner as the portal and the API)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kyso.core import cli
from kyso.core.errors import KysoError
from kyso.portal import intake
from kyso.portal.lookup import public_status
from kyso.portal.models import Channel, Procedure, SubmitterKind


class Command(BaseCommand):
    help = "Public service portal: catalogue, status lookup, submission of signed e-dossiers."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("procedures", help="the published procedure catalogue")
        p = sub.add_parser("status", help="public status of a dossier by its code")
        p.add_argument("code")
        p = sub.add_parser("submit", help="submit a signed e-dossier")
        cli.add_user_argument(p, required=True)
        p.add_argument("--procedure", required=True)
        p.add_argument("--unit", default=None, help="receiving office code (I-VAN: required)")
        p.add_argument("--employer-tax-code", default="")
        p.add_argument("--employer-name", default="")
        p.add_argument("files", nargs="+")

    def handle(self, *args, **o):
        if o["action"] == "procedures":
            for proc in Procedure.objects.order_by("code"):
                self.stdout.write(f"{proc.code}\t{proc.name}")
            return
        if o["action"] == "status":
            try:
                status = public_status(o["code"])
            except KysoError as exc:
                cli.fail(exc)
            self.stdout.write(json.dumps(status, ensure_ascii=False, default=str, indent=2))
            return
        user = cli.user_from(o["user"])
        try:
            uploads = [intake.Upload(Path(f).name, Path(f).read_bytes()) for f in o["files"]]
        except OSError as exc:
            raise CommandError(f"[portal.cli.file] {exc}", returncode=2) from exc

        def submit():
            sub = intake.submitter_of(user)
            channel = Channel.IVAN if sub.kind == SubmitterKind.IVAN else Channel.PORTAL
            employer = {"tax_code": o["employer_tax_code"], "name": o["employer_name"]} \
                if channel == Channel.IVAN else None
            return intake.submit_signed(user, procedure_code=o["procedure"], files=uploads, channel=channel,
                                        employer=employer, unit_code=o["unit"])

        dossier = cli.run(submit, user=user)
        self.stdout.write(f"{dossier.code}\t{dossier.due_date:%d/%m/%Y}")
