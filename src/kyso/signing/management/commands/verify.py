"""`kyso verify FILE [--trust PEM]… [--at dd/mm/yyyy] [--json] [--report-pdf OUT] [--etsi-report OUT.xml]` — exit
0 valid, 1 invalid, 2 indeterminate, 3 error. `--etsi-report` writes the ETSI TS 119 102-2 validation report (XML)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from kyso.core.cli import acting_as_cli
from kyso.core.errors import InvalidInput, KysoError
from kyso.signing.etsireport import etsi_report
from kyso.signing.reporting import INDICATION_LABELS, report_pdf
from kyso.signing.trust import default_trust
from kyso.signing.verify import verify_bytes


log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Verify the signatures of a PDF, an XML e-dossier or a CMS/PKCS#7 file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--trust", action="append", default=[], help="extra trusted root certificates and CRLs (PEM or DER), repeatable")
        parser.add_argument("--content", help="the signed content, for a detached CMS signature")
        parser.add_argument("--doc-type", default=None, help="check Art. 8 rules for: official, joint, attachment, "
                                                                "e-dossier, any")
        parser.add_argument("--expected-title", default="", help="the title the document is signed under (Art. 8.2)")
        parser.add_argument("--caption", default="", help="KT., TL. or TUQ. when signed on behalf (Art. 8.3)")
        parser.add_argument("--main-document", default="", help="number and symbol of the main document this file "
                                                                  "is an attachment of (Art. 8.7)")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument("--report-pdf", help="also write the report as a PDF")
        parser.add_argument("--etsi-report", help="also write the ETSI TS 119 102-2 validation report (XML)")
        parser.add_argument("--at", help="judge as on this day, dd/mm/yyyy (end of the day, Vietnam time): how a "
                                         "document stands once its certificates have expired")

    def handle(self, *args, **o):
        try:
            data = Path(o["file"]).read_bytes()
            content = Path(o["content"]).read_bytes() if o["content"] else None
            trust = default_trust(o["trust"])
            if o["at"]:
                trust.now = _day(o["at"])
            # no transaction: a verification writes nothing (a CRL of our CA rebuilt for the trust store takes
            # its own short one); one held for the whole verification kept SQLite's write lock (IMMEDIATE) and
            # every other `kyso verify` on the same data failed with "database is locked"
            with acting_as_cli():
                report = verify_bytes(data, filename=Path(o["file"]).name, trust=trust,
                                      content=content, doc_type=o["doc_type"], expected_title=o["expected_title"],
                                      caption=o["caption"], main_document=o["main_document"])
                pdf = report_pdf(report) if o["report_pdf"] else None
                etsi = etsi_report(report, data) if o["etsi_report"] else None
        except (KysoError, OSError, ValueError) as exc:
            code = getattr(exc, "code", "signing.cli.file")
            message = getattr(exc, "message", str(exc))
            if o["json"]:
                self.stdout.write(json.dumps({"error": {"code": code, "message": str(message)}}, ensure_ascii=False))
            sys.stderr.write(f"[{code}] {message}\n")
            sys.exit(3)
        except Exception:  # noqa: BLE001 - a relying party reads a message, not a stack (issue 14)
            log.debug("kyso verify stopped", exc_info=True)
            message = _("The file could not be verified; run with KYSO_LOG_LEVEL=DEBUG for details.")
            if o["json"]:
                self.stdout.write(json.dumps({"error": {"code": "signing.cli.internal", "message": str(message)}},
                                             ensure_ascii=False))
            sys.stderr.write(f"[signing.cli.internal] {message}\n")
            sys.exit(3)
        if pdf:
            Path(o["report_pdf"]).write_bytes(pdf)
        if etsi:
            Path(o["etsi_report"]).write_bytes(etsi)
        if o["json"]:
            self.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(f"{report.filename}: {INDICATION_LABELS[report.indication]}"
                              + (f" — {report.sub_indication}" if report.sub_indication else ""))
            for i, sig in enumerate(report.signatures, 1):
                self.stdout.write(f"  #{i} {sig.kind} {sig.level} {sig.signer} [{sig.indication}"
                                  + (f"/{sig.sub_indication}" if sig.sub_indication else "") + "]")
                for check in sig.checks:
                    mark = "✔" if check.ok else "✘" if check.ok is False else "?"
                    self.stdout.write(f"     {mark} {check.message}")
            for message in report.messages:
                self.stdout.write(f"  ! {message}")
        sys.exit(report.exit_code)


def _day(text: str) -> dt.datetime:
    """The end of a day written dd/mm/yyyy, Vietnam time (`TrustStore.now`)."""
    try:
        day = dt.datetime.strptime(text.strip(), "%d/%m/%Y")
    except ValueError as exc:
        raise InvalidInput("signing.cli.at", _("Write the day to judge at as dd/mm/yyyy, e.g. 07/12/2046.")) from exc
    return day.replace(hour=23, minute=59, second=59, tzinfo=dt.timezone(dt.timedelta(hours=7)))
