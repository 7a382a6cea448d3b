"""`kyso sims list [--unit CODE] [--state S] [--json]` · `kyso sims import FILE [--dry-run] [--user LOGIN]` ·
`kyso sims report --month YYYY-MM [--unit CODE] [--output text|json|xlsx|pdf] [--out FILE]` ·
`kyso sims close --month YYYY-MM [--user LOGIN]` — the same steps as the pages and the API. Actions run as the
Kyso user named by `--user`/`--as` (or KYSO_CLI_USER), with his permissions and scope; without one, as the
server's operator. `import` exits 1 when a row is refused (nothing is written then)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kyso.core.cli import ActionCommand, acting_as_cli, add_user_argument, run, user_from, write_rows
from kyso.core.errors import InvalidInput
from kyso.sims import importing, privacy, report, services
from kyso.sims.api.serializers import PaymentReportSerializer, SubscriptionItemSerializer
from kyso.sims.models import SimSubscription, SubState


class Command(ActionCommand):
    help = "SIM PKI registry: list the lines, import a list, the monthly payment report."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("list", help="the registered SIM PKI lines")
        p.add_argument("--unit", default="")
        p.add_argument("--state", default="")
        p.add_argument("--json", dest="as_json", action="store_true")
        p = sub.add_parser("import", help="import lines from CSV/XLSX (all rows or none)")
        p.add_argument("file")
        p.add_argument("--dry-run", action="store_true")
        add_user_argument(p)
        p = sub.add_parser("report", help="the monthly payment report by unit and carrier")
        p.add_argument("--month", required=True, help="MM/YYYY")
        p.add_argument("--unit", default="")
        p.add_argument("--output", choices=["text", "json", "xlsx", "pdf"], default="text")
        p.add_argument("--out", default="", help="file to write (xlsx and pdf)")
        p = sub.add_parser("close", help="close a month's payment (archived; nothing may be dated in it after)")
        p.add_argument("--month", required=True, help="MM/YYYY")
        add_user_argument(p)

    def do_list(self, unit="", state="", as_json=False, **o):
        qs = SimSubscription.objects.select_related("person", "unit", "plan", "certificate")
        where = services.unit_by_code(unit)
        if where is not None:
            qs = qs.filter(unit__path__startswith=where.path)
        if state:
            qs = qs.filter(state=state)
        subs = list(qs)
        with acting_as_cli(), transaction.atomic():   # each number printed is in the audit trail
            full = privacy.shown(None, subs, "sims.cli")
        rows = SubscriptionItemSerializer(subs, many=True, context={"full": full}).data
        write_rows(self.stdout, rows, ("unit", "msisdn", "carrier", "iccid", "holder_name", "plan", "in_service_on",
                                       "state"), as_json=as_json, words={"state": dict(SubState.choices)})

    def do_import(self, file="", dry_run=False, user=None, **o):
        actor = user_from(user)
        path = Path(file)
        if not path.is_file():
            raise InvalidInput("import.missing", _("Cannot read the file %(f)s."), f=file)
        rep = run(lambda: importing.import_subscriptions(path.name, path.read_bytes(), actor=actor, dry_run=dry_run),
                  user=actor)
        for r in rep.rejected:
            sys.stderr.write(f"dòng {r.row}\t{r.column}\t[{r.code}] {r.message}\n")
        self.stdout.write(f"{rep.total} dòng; {'đã nhập ' + str(rep.created) if rep.applied else 'không nhập'}")
        if rep.rejected:
            raise SystemExit(1)

    def do_close(self, month="", user=None, **o):
        actor = user_from(user)
        closed = run(lambda: services.close_month(actor, report.parse_month(month)), user=actor)
        self.stdout.write(f"{closed.month:%m/%Y}\tđã chốt\t{closed.lines} thuê bao\t{closed.total_vnd} đồng")

    def do_report(self, month="", unit="", output="text", out="", **o):
        with acting_as_cli(), transaction.atomic():   # each number printed is in the audit trail
            rep = report.payment_report(None, report.parse_month(month), services.unit_by_code(unit), via="sims.cli")
        if output in ("xlsx", "pdf"):
            if not out:
                raise InvalidInput("sims.cli.out", _("Give --out FILE for the %(f)s output."), f=output)
            data = report.to_xlsx(rep) if output == "xlsx" else report.to_pdf(rep)
            Path(out).write_bytes(data)
            self.stdout.write(f"{out}\t{rep.line_count} thuê bao\t{rep.total_vnd} đồng")
        elif output == "json":
            self.stdout.write(json.dumps(PaymentReportSerializer(rep).data, default=str, ensure_ascii=False, indent=1))
        else:
            for g in rep.groups:
                self.stdout.write(f"{g.unit.code}\t{g.carrier}\t{len(g.lines)}\t{g.total_vnd}")
            self.stdout.write(f"TỔNG\t\t{rep.line_count}\t{rep.total_vnd}")
