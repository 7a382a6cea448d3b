"""`kyso lifecycle remind | import | devices | device | steps`: the bulk and periodic work of the
certificate lifecycle, through the same domain functions as the pages and the API.

Scoped actions run as the Kyso user named by `--user` (or KYSO_CLI_USER); without one, as the first
system administrator (the operator at the server's shell)."""

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kyso.core.cli import acting_as_cli, fail
from kyso.core.errors import KysoError


def _user(username):
    from django.contrib.auth import get_user_model
    import os

    username = username or os.environ.get("KYSO_CLI_USER", "")
    users = get_user_model().objects.filter(is_active=True)
    user = users.filter(username=username).first() if username else users.filter(is_superuser=True).order_by("pk").first()
    if user is None:
        raise CommandError(f"[cli.user] Không có tài khoản {username or 'quản trị'}: nêu --user TÊN (hoặc KYSO_CLI_USER).",
                           returncode=2)
    return user


class Command(BaseCommand):
    help = "Certificate lifecycle: reminders and digest, import of existing certificates, key devices."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("remind", help="Mark expired certificates, send expiry reminders and the overdue digest.")
        p.add_argument("--on", help="As of this date (YYYY-MM-DD); default today.")
        p.add_argument("--days", type=int, default=90, help="Remind certificates ending within this many days.")
        p = sub.add_parser("import", help="Import a register (CSV/XLSX) of certificates issued before Kyso.")
        p.add_argument("register")
        p.add_argument("files", nargs="*", help="Certificate files (PEM/DER/PKCS#7) or zip archives.")
        p.add_argument("--user")
        p.add_argument("--dry-run", action="store_true", help="Check every row, write nothing.")
        p = sub.add_parser("devices", help="Search key devices by serial, holder or unit.")
        p.add_argument("--q", default="")
        p.add_argument("--unit", default="")
        p.add_argument("--user")
        p = sub.add_parser("device", help="Change a key device's state (the table in transitions.py).")
        p.add_argument("serial")
        p.add_argument("state")
        p.add_argument("--note", default="")
        p.add_argument("--user")
        p = sub.add_parser("steps", help="Open deadline steps in your scope, overdue first.")
        p.add_argument("--user")

    def handle(self, *args, action, **o):
        try:
            getattr(self, "do_" + action)(**o)
        except KysoError as exc:
            fail(exc)

    def do_remind(self, on=None, days=90, **o):
        from kyso.lifecycle import reminders

        day = dt.date.fromisoformat(on) if on else None
        with acting_as_cli(), transaction.atomic():
            expired = reminders.mark_expired(day)
            reminded = reminders.remind_expiring(day, within=days)
            digest = reminders.digest(day)
        self.stdout.write(f"Hết hạn: {expired}; nhắc gia hạn: {reminded}; thư tổng hợp bước quá hạn: {digest}.")

    def do_import(self, register, files, user=None, dry_run=False, **o):
        from kyso.lifecycle import importing

        path = Path(register)
        if not path.is_file():
            raise CommandError(f"[import.no_file] Không tìm thấy tệp {register}", returncode=2)
        uploads = []
        for f in files:
            if not Path(f).is_file():
                raise CommandError(f"[import.no_file] Không tìm thấy tệp {f}", returncode=2)
            uploads.append((Path(f).name, Path(f).read_bytes()))
        actor = _user(user)
        try:
            with acting_as_cli(actor), transaction.atomic():
                if dry_run:
                    rows, report = importing.check(actor, path.name, path.read_bytes(), uploads)
                    report.imported = 0 if report.rejected else len(rows)
                else:
                    report = importing.import_register(actor, path.name, path.read_bytes(), uploads)
        except importing.Rejected as exc:
            for n, code, msg in exc.report.rejected:
                self.stderr.write(f"dòng {n}: [{code}] {msg}")
            raise CommandError(f"[{exc.code}] {exc.message}", returncode=1) from exc
        if dry_run and report.rejected:
            for n, code, msg in report.rejected:
                self.stderr.write(f"dòng {n}: [{code}] {msg}")
            raise CommandError(f"{len(report.rejected)} dòng bị từ chối.", returncode=1)
        verb = "Hợp lệ" if dry_run else "Đã nhập"
        self.stdout.write(f"{verb}: {report.imported} chứng thư số.")

    def do_devices(self, q="", unit="", user=None, **o):
        from kyso.lifecycle import services

        actor = _user(user)
        for d in services.search_devices(actor, q=q, unit=unit)[:500]:
            holder = d.holder.name if d.holder_id else "-"
            self.stdout.write(json.dumps({"serial": d.serial, "state": d.state, "unit": d.unit.code, "holder": holder},
                                         ensure_ascii=False))

    def do_device(self, serial, state, note="", user=None, **o):
        from kyso.lifecycle import services

        actor = _user(user)
        with acting_as_cli(actor), transaction.atomic():
            device = services.device_by_serial(actor, serial)
            services.change_device(actor, device, state, note=note)
        self.stdout.write(f"Thiết bị {device.serial}: {device.get_state_display()}.")

    def do_steps(self, user=None, **o):
        from kyso.lifecycle import services
        from kyso.workdays.calendar import today

        actor = _user(user)
        for s in services.my_steps(actor).order_by("due_on", "id")[:500]:
            flag = "QUÁ HẠN" if s.due_on < today() else ""
            self.stdout.write(f"{s.due_on:%d/%m/%Y}\t{s.unit.code}\t{s.label}\t{s.subject_type} #{s.subject_id}\t{flag}")
