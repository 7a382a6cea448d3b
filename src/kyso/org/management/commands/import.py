"""`kyso import units|staff FILE [--dry-run]`: the same import as the web page and the API."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kyso.core.cli import acting_as_cli, fail
from kyso.core.errors import KysoError
from kyso.org import importing


class Command(BaseCommand):
    help = "Import the unit tree or staff from CSV/XLSX; all rows or none, with a report of rejected rows."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["units", "staff"])
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Check every row, write nothing.")

    def handle(self, *args, kind, file, dry_run, **opts):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"[import.no_file] Không tìm thấy tệp {file}", returncode=2)
        func = importing.import_units if kind == "units" else importing.import_staff
        try:
            with acting_as_cli():
                report = func(path.name, path.read_bytes(), dry_run=dry_run)
        except KysoError as exc:
            fail(exc)
        for r in report.rejected:
            self.stderr.write(f"dòng {r.row}, cột {r.column}: [{r.code}] {r.message}")
        if report.rejected:
            raise CommandError(f"{len({r.row for r in report.rejected})} dòng bị từ chối; không nhập dòng nào.", returncode=1)
        for r in report.kept:
            self.stdout.write(f"dòng {r.row}, cột {r.column}: [{r.code}] {r.message}")
        verb = "Hợp lệ" if dry_run else "Đã nhập"
        self.stdout.write(f"{verb}: {report.total} dòng ({report.created} mới, {report.updated} cập nhật).")
