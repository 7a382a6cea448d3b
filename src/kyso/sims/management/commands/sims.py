"""`kyso sims list [--unit CODE] [--state S] [--json]` · `kyso sims import FILE [--dry-run] [--as LOGIN]` ·
`kyso sims report --month YYYY-MM [--unit CODE] [--output text|json|xlsx|pdf] [--out FILE]` ·
`kyso sims close --month YYYY-MM [--as LOGIN]` — the same services as
the pages and the API. `import` exits 1 when a row is refused (nothing is written then)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from kyso.core.cli import acting_as_cli, fail
from kyso.core.errors import InvalidInput, KysoError, NotFound


def _user(username):
    from kyso.accounts.models import User

    user = User.objects.filter(username=username or "").first()
    if user is None:
        raise NotFound("sims.cli.user", "Không có tài khoản %(u)s (dùng --as hoặc KYSO_CLI_USER).", u=username)
    return user


class Command(BaseCommand):
    help = "SIM PKI registry: list the lines, import a list, the monthly payment report."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("list", help="the registered SIM PKI lines")
        p.add_argument("--unit", default="")
        p.add_argument("--state", default="")
        p.add_argument("--json", action="store_true")
        p = sub.add_parser("import", help="import lines from CSV/XLSX (all rows or none)")
        p.add_argument("file")
        p.add_argument("--dry-run", action="store_true")
        p.add_argument("--as", dest="as_user", default=os.environ.get("KYSO_CLI_USER", ""))
        p = sub.add_parser("report", help="the monthly payment report by unit and carrier")
        p.add_argument("--month", required=True, help="YYYY-MM")
        p.add_argument("--unit", default="")
        p.add_argument("--output", choices=["text", "json", "xlsx", "pdf"], default="text")
        p.add_argument("--out", default="", help="file to write (xlsx and pdf)")
        p = sub.add_parser("close", help="close a month's payment (archived; nothing may be dated in it after)")
        p.add_argument("--month", required=True, help="YYYY-MM")
        p.add_argument("--as", dest="as_user", default=os.environ.get("KYSO_CLI_USER", ""))

    def handle(self, *args, **o):
        try:
            return self._run(o)
        except KysoError as exc:
            fail(exc)

    def _run(self, o):
        from kyso.sims import importing, report
        from kyso.sims.api.views import subscription_dict
        from kyso.sims.models import SimSubscription
        from kyso.sims.services import unit_by_code

        if o["action"] == "list":
            qs = SimSubscription.objects.select_related("person", "unit", "plan", "certificate")
            unit = unit_by_code(o["unit"])
            if unit is not None:
                qs = qs.filter(unit__path__startswith=unit.path)
            if o["state"]:
                qs = qs.filter(state=o["state"])
            rows = [subscription_dict(s) for s in qs]
            if o["json"]:
                self.stdout.write(json.dumps(rows, default=str, ensure_ascii=False, indent=1))
            else:
                for r in rows:
                    self.stdout.write("\t".join(str(r[c] if r[c] is not None else "-") for c in (
                        "unit", "msisdn", "carrier", "iccid", "holder_name", "plan", "in_service_on", "state")))
            return
        if o["action"] == "import":
            user = _user(o["as_user"])
            path = Path(o["file"])
            if not path.is_file():
                raise InvalidInput("import.missing", "Không đọc được tệp %(f)s.", f=o["file"])
            with acting_as_cli(user):
                rep = importing.import_subscriptions(path.name, path.read_bytes(), actor=user, dry_run=o["dry_run"])
            for r in rep.rejected:
                sys.stderr.write(f"dòng {r.row}\t{r.column}\t[{r.code}] {r.message}\n")
            self.stdout.write(f"{rep.total} dòng; {'đã nhập ' + str(rep.created) if rep.applied else 'không nhập'}")
            if rep.rejected:
                raise SystemExit(1)
            return
        if o["action"] == "close":
            from kyso.sims import services

            user = _user(o["as_user"])
            with acting_as_cli(user):
                closed = services.close_month(user, report.parse_month(o["month"]))
            self.stdout.write(f"{closed.month:%Y-%m}\tđã chốt\t{closed.lines} thuê bao\t{closed.total_vnd} đồng")
            return
        rep = report.payment_report(None, report.parse_month(o["month"]), unit_by_code(o["unit"]))
        if o["output"] in ("xlsx", "pdf"):
            data = report.to_xlsx(rep) if o["output"] == "xlsx" else report.to_pdf(rep)
            if not o["out"]:
                raise InvalidInput("sims.cli.out", "Cần --out TỆP cho định dạng %(f)s.", f=o["output"])
            Path(o["out"]).write_bytes(data)
            self.stdout.write(f"{o['out']}\t{rep.line_count} thuê bao\t{rep.total_vnd} đồng")
        elif o["output"] == "json":
            self.stdout.write(json.dumps(rep.as_dict(), default=str, ensure_ascii=False, indent=1))
        else:
            for g in rep.groups:
                self.stdout.write(f"{g.unit.code}\t{g.carrier}\t{len(g.lines)}\t{g.total_vnd}")
            self.stdout.write(f"TỔNG\t\t{rep.line_count}\t{rep.total_vnd}")
