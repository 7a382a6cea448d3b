"""`kyso eoffice books [--book out|in] [--unit CODE] [--year Y] [--json]` · `kyso eoffice show ID [--json]` ·
`kyso eoffice receive FILE --unit CODE --sender S --subject S [--number N] [--as LOGIN]` — the same services as
the pages and the API. `receive` verifies the file on arrival and exits 1 when its signatures do not pass."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from django.core.management.base import BaseCommand

from kyso.core.cli import acting_as_cli, fail
from kyso.core.errors import InvalidInput, KysoError, NotFound


def _user(username: str):
    from kyso.accounts.models import User

    user = User.objects.select_related("person__unit").filter(username=username or "").first()
    if user is None:
        raise NotFound("eoffice.cli.user", "Không có tài khoản %(u)s (dùng --as hoặc KYSO_CLI_USER).", u=username)
    return user


class Command(BaseCommand):
    help = "E-office: outgoing and incoming books, one document, registering an incoming file."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("books", help="the outgoing or incoming book")
        p.add_argument("--book", choices=["out", "in"], default="out")
        p.add_argument("--unit", default="")
        p.add_argument("--year", type=int, default=None)
        p.add_argument("--json", action="store_true")
        p = sub.add_parser("show", help="one document (outgoing or incoming) with its history")
        p.add_argument("id")
        p.add_argument("--json", action="store_true")
        p = sub.add_parser("receive", help="register an incoming file and verify its signatures")
        p.add_argument("file")
        p.add_argument("--unit", required=True)
        p.add_argument("--sender", required=True)
        p.add_argument("--subject", required=True)
        p.add_argument("--number", default="")
        p.add_argument("--date", default="")
        p.add_argument("--as", dest="as_user", default=os.environ.get("KYSO_CLI_USER", ""))

    def handle(self, *args, **o):
        try:
            return self._run(o)
        except KysoError as exc:
            fail(exc)

    def _run(self, o):
        from kyso.eoffice.api.views import incoming_dict, outgoing_dict
        from kyso.eoffice.models import IncomingDocument, OutgoingDocument

        if o["action"] == "books":
            if o["book"] == "in":
                qs = IncomingDocument.objects.select_related("unit", "assignee").order_by("unit__path", "-year",
                                                                                         "arrival_number")
                rows = [incoming_dict(d) for d in qs.filter(**({"unit__code": o["unit"]} if o["unit"] else {}),
                                                             **({"year": o["year"]} if o["year"] else {}))]
                cols = ["unit", "arrival_number", "received_at", "sender", "original_number", "indication", "state",
                        "subject"]
            else:
                qs = OutgoingDocument.objects.select_related("unit", "drafting_unit", "drafted_by", "signer").order_by(
                    "unit__path", "-year", "number")
                rows = [outgoing_dict(d) for d in qs.filter(**({"unit__code": o["unit"]} if o["unit"] else {}),
                                                             **({"year": o["year"]} if o["year"] else {}))]
                cols = ["issuer", "number_symbol", "issued_on", "state", "signer", "subject"]
            if o["json"]:
                self.stdout.write(json.dumps(rows, default=str, ensure_ascii=False, indent=1))
            else:
                for r in rows:
                    self.stdout.write("\t".join(str(r[c] if r[c] is not None else "-") for c in cols))
            return
        if o["action"] == "show":
            from django.core.exceptions import ValidationError

            try:
                doc = OutgoingDocument.objects.filter(pk=o["id"]).first()
                data = outgoing_dict(doc, detail=True) if doc else None
                if data is None:
                    inc = IncomingDocument.objects.filter(pk=o["id"]).first()
                    data = incoming_dict(inc, detail=True) if inc else None
            except (ValidationError, ValueError):
                data = None
            if data is None:
                raise NotFound("eoffice.document.not_found", "Không tìm thấy văn bản %(id)s.", id=o["id"][:40])
            if o["json"]:
                self.stdout.write(json.dumps(data, default=str, ensure_ascii=False, indent=1))
            else:
                for k, v in data.items():
                    if k not in ("report", "history"):
                        self.stdout.write(f"{k}: {v}")
                for e in data.get("history", []):
                    self.stdout.write(f"  {e['at']:%d/%m/%Y %H:%M:%S}  {e['verb']}  {e['by'] or '-'}  {e['note']}")
            return
        # receive
        from kyso.eoffice import services
        from kyso.org.models import Unit

        user = _user(o["as_user"])
        unit = Unit.objects.filter(code=o["unit"]).first()
        if unit is None:
            raise InvalidInput("eoffice.unit.unknown", "Không có đơn vị %(u)s.", u=o["unit"])
        path = Path(o["file"])
        if not path.is_file():
            raise InvalidInput("eoffice.file.missing", "Không đọc được tệp %(f)s.", f=o["file"])
        if path.stat().st_size > services.MAX_FILE_BYTES:
            raise InvalidInput("eoffice.file.too_large", "Tệp lớn hơn %(mb)s MB cho phép.",
                               mb=services.MAX_FILE_BYTES // (1024 * 1024))
        try:
            day = dt.date.fromisoformat(o["date"]) if o["date"] else None
        except ValueError:
            raise InvalidInput("eoffice.date.invalid", "Ngày không hợp lệ (YYYY-MM-DD).") from None
        with acting_as_cli(user):
            doc = services.receive_external(user, unit, path.read_bytes(), filename=path.name, sender=o["sender"],
                                            subject=o["subject"], original_number=o["number"], original_date=day)
        self.stdout.write(f"{doc.pk}\t{doc.arrival_number}/{doc.year}\t{doc.indication}\t{doc.sub_indication or '-'}")
        if not doc.verified:
            raise SystemExit(1)
