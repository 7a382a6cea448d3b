"""`kyso lifecycle remind | import | devices | device | steps`: the bulk and periodic work of the
certificate lifecycle, through the same domain functions as the pages and the API.

Actions run as the Kyso user named by `--user`/`--as` (or KYSO_CLI_USER), with his permissions and scope;
without one, as the server's operator (every unit)."""

import json
from pathlib import Path

from django.core.management.base import CommandError

from kyso.core import dates
from kyso.core.cli import ActionCommand, add_user_argument, run, user_from
from kyso.lifecycle import importing, reminders, services


class Command(ActionCommand):
    help = "Certificate lifecycle: reminders and digest, import of existing certificates, key devices, your queue."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("remind", help="Mark expired certificates, send expiry reminders and the overdue digest.")
        p.add_argument("--on", help="As of this date (dd/mm/yyyy); default today.")
        p.add_argument("--days", type=int, default=90, help="Remind certificates ending within this many days.")
        p = sub.add_parser("import", help="Import a register (CSV/XLSX) of certificates issued before Kyso.")
        p.add_argument("register")
        p.add_argument("files", nargs="*", help="Certificate files (PEM/DER/PKCS#7) or zip archives.")
        p.add_argument("--dry-run", action="store_true", help="Check every row, write nothing.")
        add_user_argument(p)
        p = sub.add_parser("devices", help="Search key devices by serial, holder or unit.")
        p.add_argument("--q", default="")
        p.add_argument("--unit", default="")
        add_user_argument(p)
        p = sub.add_parser("device", help="Change a key device's state (along the device workflow).")
        p.add_argument("serial")
        p.add_argument("state")
        p.add_argument("--note", default="")
        add_user_argument(p)
        p = sub.add_parser("steps", help="What waits for you in the lifecycle, with deadlines, overdue first.")
        add_user_argument(p, required=True)

    def do_remind(self, on=None, days=90, **o):
        def remind():
            day = dates.parse(on, field="on")
            return reminders.mark_expired(day), reminders.remind_expiring(day, within=days), reminders.digest(day)

        expired, reminded, digest = run(remind)
        self.stdout.write(f"Hết hạn: {expired}; nhắc gia hạn: {reminded}; thư tổng hợp việc quá hạn: {digest}.")

    def do_import(self, register, files, user=None, dry_run=False, **o):
        paths = [Path(register), *map(Path, files)]
        for path in paths:
            if not path.is_file():
                raise CommandError(f"[import.no_file] Không tìm thấy tệp {path}", returncode=2)
        uploads = [(p.name, p.read_bytes()) for p in paths[1:]]
        actor = user_from(user)
        name, data = paths[0].name, paths[0].read_bytes()
        if dry_run:
            rows, report = run(lambda: importing.check(actor, name, data, uploads), user=actor)
            self._rejected(report.rejected)
            if report.rejected:
                raise CommandError(f"{len(report.rejected)} dòng bị từ chối.", returncode=1)
            self.stdout.write(f"Hợp lệ: {len(rows)} chứng thư số.")
            return
        try:
            report = run(lambda: importing.import_register(actor, name, data, uploads), user=actor)
        except CommandError as exc:
            if isinstance(exc.__cause__, importing.Rejected):
                self._rejected(exc.__cause__.report.rejected)
            raise
        self.stdout.write(f"Đã nhập: {report.imported} chứng thư số.")

    def _rejected(self, rows):
        for n, code, msg in rows:
            self.stderr.write(f"dòng {n}: [{code}] {msg}")

    def do_devices(self, q="", unit="", user=None, **o):
        for d in services.search_devices(user_from(user), q=q, unit=unit)[:500]:
            holder = d.holder.name if d.holder_id else "-"
            self.stdout.write(json.dumps({"serial": d.serial, "state": d.state, "unit": d.unit.code, "holder": holder},
                                         ensure_ascii=False))

    def do_device(self, serial, state, note="", user=None, **o):
        actor = user_from(user)
        device = run(lambda: services.change_device(actor, services.device_by_serial(actor, serial), state, note=note),
                     user=actor)
        self.stdout.write(f"Thiết bị {device.serial}: {device.get_state_display()}.")

    def do_steps(self, user=None, **o):
        for row in services.waiting_rows(user_from(user)):
            due = f"{row['due']:%d/%m/%Y}" if row["due"] else "—"
            flag = "QUÁ HẠN" if row["overdue"] else ""
            self.stdout.write(f"{due}\t{row['title']}\t{row['record']}\t{row['url']}\t{flag}")
