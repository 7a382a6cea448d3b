"""A verdict's reasons are read by people: Vietnamese only. What the validating library says in English (its
error text, ISO dates) goes to the check's `detail` — in the JSON and the logs, for the IT Center — never into
the message a person reads on the page, in the PDF report or in the CLI's text."""

import re
import time

from django.db import transaction
from django.utils import translation

from kyso.core.context import acting_as
from kyso.pki.revocation import revoke
from kyso.signing.pdf import sign_pdf
from kyso.signing.verify import verify_bytes
from kyso.signing.xml import sign_xml

ENGLISH = re.compile(r"\b(certificate|revoked|error|invalid|the|was|on|at|reason|key|\d{4}-\d{2}-\d{2})\b", re.I)


def _no_english(data: dict) -> None:
    for sig in data["signatures"]:
        for check in sig["checks"]:
            assert not ENGLISH.search(check["message"]), check


def test_a_revoked_signers_reason_reads_in_vietnamese(signer, dossier_xml, one_page_pdf):
    issued, key = signer
    docs = [sign_xml(dossier_xml, key, issued.certificate), sign_pdf(one_page_pdf, key, issued.certificate,
                                                                       level="B-B")]
    with acting_as(label="test"), transaction.atomic():
        revoke(issued.serial, "keyCompromise")
    with translation.override("vi"):
        for doc in docs:
            report = verify_bytes(doc)
            checks = [c for s in report.signatures for c in s.checks if c.code == "certificate.revoked"]
            assert checks and str(checks[0].message).startswith("Chứng thư số của người ký đã bị thu hồi"), \
                report.to_dict()
            _no_english(report.to_dict())


def test_signed_after_revocation_the_librarys_reason_is_kept_apart(signer, dossier_xml, one_page_pdf):
    """Revoked, then signed with a time-stamp: the library's reason (English, with an ISO date) was put into the
    Vietnamese sentence; it now goes to `detail`."""
    issued, key = signer
    with acting_as(label="test"), transaction.atomic():
        revoke(issued.serial, "keyCompromise")
    time.sleep(1.1)     # one-second resolution of CRL dates and time-stamps: sign in a later second
    with translation.override("vi"):
        for doc in (sign_xml(dossier_xml, key, issued.certificate, level="B-T"),
                    sign_pdf(one_page_pdf, key, issued.certificate, level="B-T")):
            report = verify_bytes(doc)
            assert (report.indication, report.sub_indication) == ("TOTAL_FAILED", "REVOKED"), report.to_dict()
            data = report.to_dict()
            _no_english(data)
            revoked = [c for s in data["signatures"] for c in s["checks"] if c["code"] == "certificate.revoked"]
            assert revoked and revoked[0]["message"].startswith("Chứng thư số của người ký đã bị thu hồi lúc "), data
            assert re.search(r"lúc \d\d/\d\d/\d{4} \d\d:\d\d \(lý do: khóa bí mật bị lộ", revoked[0]["message"]), data
            assert "2026-" not in revoked[0]["message"] and revoked[0]["detail"], data
            assert all(c.get("detail", "") == "" or not c["detail"] in c["message"] for c in revoked)
