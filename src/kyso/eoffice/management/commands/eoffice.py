"""`kyso eoffice books [--book out|in] [--unit CODE] [--year Y] [--json]` · `kyso eoffice show ID [--json]` ·
`kyso eoffice receive FILE --unit CODE --sender S --subject S [--number N] [--date dd/mm/yyyy] [--user LOGIN]` —
the same steps as the pages and the API. `receive` verifies the file on arrival and exits 1 when its
signatures do not pass. Actions run as the Kyso user named by `--user`/`--as` (or KYSO_CLI_USER), with his
permissions and scope; without one, as the server's operator."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kyso.core import dates, display
from kyso.core.cli import ActionCommand, add_user_argument, cell, run, user_from, write_record, write_rows
from kyso.core.errors import InvalidInput, NotFound
from kyso.eoffice import services
from kyso.eoffice.api.serializers import (IncomingItemSerializer, IncomingSerializer, OutgoingItemSerializer,
                                          OutgoingSerializer)
from kyso.eoffice.models import DocType, IncomingDocument, IncomingState, OutgoingDocument, OutgoingState, Urgency
from kyso.org.models import Unit


def _label(model, name: str):
    return model._meta.get_field(name).verbose_name


OUTGOING_SHOWN = [("id", _("Document ID")), ("number_symbol", _("Number and symbol")),
                  ("issued_on", _label(OutgoingDocument, "issued_on")), ("doc_type", _label(OutgoingDocument, "doc_type")),
                  ("subject", _label(OutgoingDocument, "subject")), ("urgency", _label(OutgoingDocument, "urgency")),
                  ("state", _label(OutgoingDocument, "state")), ("drafting_unit", _("Drafting unit")),
                  ("drafted_by", _("Drafted by")), ("signer", _("Signer")), ("signer_title", _("Signer's title")),
                  ("caption", _label(OutgoingDocument, "caption")), ("on_behalf_of", _label(OutgoingDocument, "on_behalf_of")),
                  ("recipients", _("Recipients in Kyso")), ("external_recipients", _("Recipients outside Kyso")),
                  ("attachments", _("Attachments"))]
INCOMING_SHOWN = [("id", _("Document ID")), ("unit", _("Receiving unit")), ("arrival_number", _("Arrival number")),
                  ("received_at", _("Received at")), ("sender", _("Sender")),
                  ("original_number", _label(IncomingDocument, "original_number")),
                  ("original_date", _("Date of the document")), ("doc_type", _label(IncomingDocument, "doc_type")),
                  ("subject", _label(IncomingDocument, "subject")), ("urgency", _label(IncomingDocument, "urgency")),
                  ("indication", _("Verification on arrival")), ("sub_indication", _("Reason")),
                  ("state", _label(IncomingDocument, "state")), ("assignee", _("Handled by")), ("due_date", _("Due")),
                  ("instructions", _("Instructions")), ("outcome", _("Outcome")), ("attachments", _("Attachments"))]


def _words(model) -> dict:
    return {"state": dict(model._meta.get_field("state").choices), "doc_type": dict(DocType.choices),
            "urgency": dict(Urgency.choices), "indication": display.INDICATIONS,
            "sub_indication": display.SUB_INDICATIONS}


def _show(pk: str) -> dict:
    try:
        doc = OutgoingDocument.objects.filter(pk=pk).first()
        if doc is not None:
            return OutgoingSerializer(doc).data
        inc = IncomingDocument.objects.filter(pk=pk).first()
        if inc is not None:
            return IncomingSerializer(inc).data
    except (ValidationError, ValueError):
        pass
    raise NotFound("eoffice.document.not_found", _("No document %(id)s."), id=pk[:40])


class Command(ActionCommand):
    help = "E-office: outgoing and incoming books, one document, registering an incoming file."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("books", help="the outgoing or incoming book")
        p.add_argument("--book", choices=["out", "in"], default="out")
        p.add_argument("--unit", default="")
        p.add_argument("--year", type=int, default=None)
        p.add_argument("--json", dest="as_json", action="store_true")
        p = sub.add_parser("show", help="one document (outgoing or incoming) with its history")
        p.add_argument("id")
        p.add_argument("--json", dest="as_json", action="store_true")
        p = sub.add_parser("receive", help="register an incoming file and verify its signatures")
        p.add_argument("file")
        p.add_argument("--unit", required=True)
        p.add_argument("--sender", required=True)
        p.add_argument("--subject", required=True)
        p.add_argument("--number", default="")
        p.add_argument("--date", default="", help="the document's date, dd/mm/yyyy")
        add_user_argument(p)

    def do_books(self, book="out", unit="", year=None, as_json=False, **o):
        filters = {**({"unit__code": unit} if unit else {}), **({"year": year} if year else {})}
        if book == "in":
            qs = IncomingDocument.objects.select_related("unit", "assignee").filter(**filters)
            rows = IncomingItemSerializer(qs.order_by("unit__path", "-year", "arrival_number"), many=True).data
            cols = ["unit", "arrival_number", "received_at", "sender", "original_number", "indication", "state",
                    "subject"]
            words = {"state": dict(IncomingState.choices)}
        else:
            qs = OutgoingDocument.objects.select_related("unit", "drafting_unit", "drafted_by", "signer").filter(
                **filters)
            rows = OutgoingItemSerializer(qs.order_by("unit__path", "-year", "number"), many=True).data
            cols = ["issuer", "number_symbol", "issued_on", "state", "signer", "subject"]
            words = {"state": dict(OutgoingState.choices)}
        write_rows(self.stdout, rows, cols, as_json=as_json, words=words)

    def do_show(self, id="", as_json=False, **o):
        data = _show(id)
        if as_json:
            self.stdout.write(json.dumps(data, default=str, ensure_ascii=False, indent=1))
            return
        outgoing = "number_symbol" in data
        shown = {**data, "recipients": ", ".join(r["unit"] for r in data.get("recipients", [])),
                 "attachments": ", ".join(a["name"] for a in data.get("attachments", []))}
        write_record(self.stdout, shown, OUTGOING_SHOWN if outgoing else INCOMING_SHOWN,
                     words=_words(OutgoingDocument if outgoing else IncomingDocument))
        self.stdout.write(f"{_('History')}:")
        for e in data.get("history", []):
            self.stdout.write(f"  {cell(e['at'])}  {e['step']}  {e['by'] or '-'}  {display.in_words(e['note'])}")

    def do_receive(self, file="", unit="", sender="", subject="", number="", date="", user=None, **o):
        actor = user_from(user)
        target = Unit.objects.filter(code=unit).first()
        if target is None:
            raise InvalidInput("eoffice.unit.unknown", _("No unit %(u)s."), u=unit)
        path = Path(file)
        if not path.is_file():
            raise InvalidInput("eoffice.file.missing", _("Cannot read the file %(f)s."), f=file)
        if path.stat().st_size > services.MAX_FILE_BYTES:
            raise InvalidInput("eoffice.file.too_large", _("The file is larger than the allowed %(mb)s MB."),
                               mb=services.MAX_FILE_BYTES // (1024 * 1024))
        day = dates.parse(date, field="date")
        doc = run(lambda: services.receive_external(actor, target, path.read_bytes(), filename=path.name,
                                                    sender=sender, subject=subject, original_number=number,
                                                    original_date=day), user=actor)
        self.stdout.write(f"{doc.pk}\t{doc.arrival_number}/{doc.year}\t{cell(doc.indication, display.INDICATIONS)}"
                          f"\t{cell(doc.sub_indication, display.SUB_INDICATIONS)}")
        if not doc.verified:
            raise SystemExit(1)
