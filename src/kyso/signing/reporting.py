"""The validation report as a PDF (for the file, the archive, or a citizen who asked) — the same
content as the JSON and the web page."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from kyso.core.documents import OfficialDocument, Paragraph, Table, render_pdf

from .report import DocumentReport

VN_TZ = dt.timezone(dt.timedelta(hours=7))
INDICATION_LABELS = {
    "TOTAL_PASSED": "Hợp lệ (TOTAL_PASSED)",
    "TOTAL_FAILED": "Không hợp lệ (TOTAL_FAILED)",
    "INDETERMINATE": "Chưa xác định được (INDETERMINATE)",
}


def _ts(value) -> str:
    return value.astimezone(VN_TZ).isoformat(timespec="seconds") if value else "—"


def report_pdf(report: DocumentReport) -> bytes:
    blocks = [
        Paragraph(f"{_('File')}: {report.filename or '—'} ({report.size} bytes)", align="left"),
        Paragraph(f"SHA-256: {report.sha256}", align="left", size=10),
        Paragraph(f"{_('Validated at')}: {_ts(report.validated_at)}", align="left"),
        Paragraph(f"{_('Result')}: {INDICATION_LABELS[report.indication]}"
                  + (f" — {report.sub_indication}" if report.sub_indication else ""), bold=True, align="left"),
        Paragraph(str(report.summary), align="left"),
    ]
    for check in report.document_checks:
        blocks.append(Paragraph(f"• {check.message}", align="left"))
    for i, sig in enumerate(report.signatures, 1):
        blocks.append(Paragraph(f"{_('Signature')} {i} ({sig.kind} {sig.level}): {sig.signer}", bold=True, align="left"))
        blocks.append(Table(header=[_("Item"), _("Value")], rows=[
            [_("Result"), INDICATION_LABELS[sig.indication] + (f" — {sig.sub_indication}" if sig.sub_indication else "")],
            [_("Title"), sig.title or "—"], [_("Organisation"), sig.organization or "—"],
            [_("Certificate serial"), sig.signer_serial], [_("Issuer"), sig.issuer],
            [_("Claimed signing time"), _ts(sig.signing_time)], [_("Timestamp"), _ts(sig.timestamp_time)],
        ], widths=[1, 3], size=10))
        blocks.append(Table(header=[_("Check"), _("Outcome")], rows=[
            [c.code, ("✔ " if c.ok else "✘ " if c.ok is False else "? ") + str(c.message)] for c in sig.checks
        ], widths=[1, 3], size=10))
    doc = OfficialDocument(title=_("SIGNATURE VALIDATION REPORT").upper(), governing_body="BẢO HIỂM XÃ HỘI VIỆT NAM",
                           issuer="HỆ THỐNG KÝ SỐ KYSO", place="Hà Nội",
                           date=(report.validated_at or dt.datetime.now(VN_TZ)).astimezone(VN_TZ).date(),
                           subtitle=_("ETSI TS 119 102-1 indications; Decree 23/2025/NĐ-CP"), blocks=blocks)
    return render_pdf(doc)
