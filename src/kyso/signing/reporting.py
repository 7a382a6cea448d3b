"""The validation report as a PDF (for the file, the archive, or a citizen who asked) — the same
content as the JSON and the web page."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kyso.core import display
from kyso.core.documents import OfficialDocument, Paragraph, Table, render_pdf

from .report import ALGORITHM_POLICY, DocumentReport

VN_TZ = dt.timezone(dt.timedelta(hours=7))
INDICATION_LABELS = {
    "TOTAL_PASSED": "Hợp lệ (TOTAL_PASSED)",
    "TOTAL_FAILED": "Không hợp lệ (TOTAL_FAILED)",
    "INDETERMINATE": "Chưa xác định được (INDETERMINATE)",
}


def _ts(value) -> str:
    """06/12/2026 14:05:03 (giờ Việt Nam) — a person reads the report, not a parser."""
    if not value:
        return "—"
    zone = _("Vietnam time")
    return f"{display.when(value, seconds=True)} ({zone})"


def _verdict(indication: str, sub_indication: str | None) -> str:
    """The indication and its reason in words; the codes stay in the JSON report."""
    return display.verdict(indication, sub_indication)


def report_pdf(report: DocumentReport) -> bytes:
    blocks = [
        Paragraph(f"{_('File')}: {report.filename or '—'} ({f'{report.size:,}'.replace(',', '.')} byte)", align="left"),
        Paragraph(f"SHA-256: {report.sha256}", align="left", size=10),
        Paragraph(f"{_('Validated at')}: {_ts(report.validated_at)}", align="left"),
        Paragraph(f"{_('Result')}: {_verdict(report.indication, report.sub_indication)}", bold=True, align="left"),
        Paragraph(str(report.summary), align="left"),
        Paragraph(f"{_('Algorithm policy')}: {ALGORITHM_POLICY}", align="left", size=10),
    ]
    for check in report.document_checks:
        blocks.append(Paragraph(f"• {check.message}", align="left"))
    for i, sig in enumerate(report.signatures, 1):
        blocks.append(Paragraph(f"{_('Signature')} {i} ({sig.kind} {sig.level}): {sig.signer}", bold=True, align="left"))
        blocks.append(Table(header=[_("Item"), _("Value")], rows=[
            [_("Result"), _verdict(sig.indication, sig.sub_indication)],
            [_("Title"), sig.title or "—"], [pgettext("signer", "Organisation"), sig.organization or "—"],
            [_("Certificate serial"), sig.signer_serial], [_("Issuer"), display.distinguished_name(sig.issuer)],
            [_("Claimed signing time"), _ts(sig.signing_time)], [_("Timestamp"), _ts(sig.timestamp_time)],
        ], widths=[1, 3], size=10))
        m = sig.modifications
        if m is not None:
            rows = [[_("Kind of change"), m.level_label]]
            if m.docmdp:
                rows.append([_("Certification (DocMDP)"), str(m.docmdp)])
            if m.pages:
                rows.append([_("Pages"), ", ".join(map(str, m.pages))])
            if m.fields:
                rows.append([_("Form fields"), ", ".join(m.fields)])
            if m.objects:
                rows.append([_("Objects"), ", ".join(map(str, m.objects[:60]))])
            rows.extend([_("What a person sees differently"), str(v)] for v in m.visible)
            blocks.append(Table(header=[_("Changes after this signature"), ""], rows=rows, widths=[1, 3], size=10))
        blocks.append(Table(header=[pgettext("signature check", "Outcome"), _("Check")], rows=[
            [_("Passed") if c.ok else pgettext("check result", "Failed") if c.ok is False else _("Undecided"), str(c.message)]
            for c in sig.checks
        ], widths=[1, 5], size=10))
    doc = OfficialDocument(title=_("SIGNATURE VALIDATION REPORT").upper(), governing_body="BẢO HIỂM XÃ HỘI VIỆT NAM",
                           issuer="HỆ THỐNG KÝ SỐ KYSO", place="Hà Nội",
                           date=(report.validated_at or dt.datetime.now(VN_TZ)).astimezone(VN_TZ).date(),
                           subtitle=_("ETSI TS 119 102-1 indications; Decree 23/2025/NĐ-CP"), blocks=blocks)
    return render_pdf(doc)
