"""`kyso audit verify | checkpoint | key-legacy | tail`: administrator's view of the audit trail."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from kyso.audit import chain, display
from kyso.audit.models import AuditRecord


class Command(BaseCommand):
    help = "Verify the audit hash chain, sign a checkpoint, or show the newest records."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="Walk the chain; exit 1 and name the first altered, removed or inserted record.")
        sub.add_parser("checkpoint", help="Sign the current chain head.")
        legacy = sub.add_parser("key-legacy", help="Key the records written before the chain was keyed, up to a sequence.")
        legacy.add_argument("--up-to", type=int, required=True)
        tail = sub.add_parser("tail", help="Show the newest records.")
        tail.add_argument("-n", type=int, default=20)

    def handle(self, *args, action=None, **opts):
        if action == "verify":
            report = chain.verify()
            if report.ok:
                self.stdout.write(
                    f"OK: {report.checked} bản ghi, chuỗi băm nguyên vẹn đến #{report.last_seq}; "
                    f"{report.checkpoints_checked} điểm kiểm tra có chữ ký hợp lệ."
                )
                return
            first = report.first
            self.stderr.write(f"LỖI: chuỗi nhật ký bị can thiệp — {first.kind} tại bản ghi #{first.seq}: {first.detail}")
            for f in report.findings:
                if f is not first:
                    self.stderr.write(f"  cũng: {f}")
            raise CommandError(f"audit chain broken at #{first.seq} ({first.kind})", returncode=1)
        if action == "checkpoint":
            cp = chain.create_checkpoint()
            if cp is None:
                self.stdout.write("Nhật ký trống: chưa có gì để ký.")
            else:
                self.stdout.write(f"Đã ký điểm kiểm tra tại #{cp.seq} ({cp.head_hash[:16]}…).")
            return
        if action == "key-legacy":
            try:
                with transaction.atomic():
                    n = chain.key_legacy(opts["up_to"])
            except ValueError as exc:
                raise CommandError(f"Không khóa được: {exc}", returncode=1) from exc
            self.stdout.write(f"Đã gắn mã xác thực khóa cho {n} bản ghi cũ (đến #{opts['up_to']}).")
            return
        if action == "tail":
            for rec in AuditRecord.objects.order_by("-seq")[: opts["n"]]:
                self.stdout.write(f"#{rec.seq}\t{timezone.localtime(rec.at):%d/%m/%Y %H:%M:%S}\t"
                                  f"{display.actor_label(rec.actor)}\t{display.action_label(rec.action, rec.object_type)}\t"
                                  f"{display.object_label(rec)}")
