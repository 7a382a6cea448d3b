"""The monthly payment report of the SIM PKI lines, by paying unit and carrier (letter 346: units contract the
carrier, pay monthly and settle under "communication" expenses).

Billing rule: a line's monthly fees (data package + line rental) are charged for the days it was in service in
the month, pro rata (days in service ÷ days in the month), under the terms in force on each day; the one-off
connection fee in the month it entered service. Amounts are rounded to the đồng per line and fee.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from django.http import HttpResponse
from django.utils.translation import gettext as _

from kyso.accounts import scope
from kyso.core.documents import model as m
from kyso.core.documents import render_pdf
from kyso.core.errors import InvalidInput
from kyso.core.exports import XlsxSheet, xlsx_response
from kyso.org.models import Unit

from . import privacy
from .models import Carrier, MonthClose, SimSubscription, SubState
from .permissions import SIMS_VIEW


def parse_month(value) -> dt.date:
    """'2026-11' or '11/2026' → the first day of that month."""
    text = str(value or "").strip()
    for fmt in ("%Y-%m", "%m/%Y", "%Y%m"):
        try:
            day = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if dt.date(2020, 2, 1) <= day <= dt.date(2100, 12, 1):
            return day
    raise InvalidInput("sims.month.invalid", _("The month must be written as MM/YYYY (from 02/2020)."))


def _round(x: Fraction) -> int:
    return int(x + Fraction(1, 2)) if x >= 0 else -int(-x + Fraction(1, 2))


@dataclass
class Line:
    subscription: SimSubscription
    days: int
    data_vnd: int
    line_vnd: int
    connection_vnd: int
    plan_tier: int
    state_at_end: str
    number: str | None = None   # the line's number as the report's reader may see it (privacy.numbers)

    @property
    def total_vnd(self) -> int:
        return self.data_vnd + self.line_vnd + self.connection_vnd

    @property
    def shown_number(self) -> str:
        return self.number if self.number is not None else privacy.number(self.subscription, set())


@dataclass
class Group:
    unit: Unit
    carrier: str
    lines: list[Line] = field(default_factory=list)

    @property
    def total_vnd(self) -> int:
        return sum(x.total_vnd for x in self.lines)

    @property
    def carrier_label(self) -> str:
        return _carrier_label(self.carrier)


@dataclass
class Report:
    month: dt.date
    unit: Unit | None
    groups: list[Group]
    closed: object = None  # the MonthClose when the month is settled

    @property
    def total_vnd(self) -> int:
        return sum(g.total_vnd for g in self.groups)

    @property
    def line_count(self) -> int:
        return sum(len(g.lines) for g in self.groups)


def bill(sub: SimSubscription, month: dt.date, events=None) -> Line | None:
    """What one line costs in `month` under its dated terms; None if nothing is due."""
    first = month.replace(day=1)
    days_in_month = calendar.monthrange(first.year, first.month)[1]
    last = first.replace(day=days_in_month)
    events = sorted(events if events is not None else sub.events.all(), key=lambda e: (e.effective_on, e.pk))
    days, data, line = 0, Fraction(0), Fraction(0)
    tier, state = sub.plan.tier, None
    for i, ev in enumerate(events):
        start = max(ev.effective_on, first)
        stop = min(events[i + 1].effective_on - dt.timedelta(days=1), last) if i + 1 < len(events) else last
        if ev.effective_on <= last:
            state, tier = ev.state, ev.plan.tier
        if stop < start or ev.state != SubState.ACTIVE:
            continue
        n = (stop - start).days + 1
        days += n
        data += Fraction(ev.data_fee_vnd * n, days_in_month)
        line += Fraction(ev.line_fee_vnd * n, days_in_month)
    connection = sub.connection_fee_vnd if first <= sub.in_service_on <= last else 0
    if not days and not connection:
        return None
    return Line(sub, days, _round(data), _round(line), connection, tier, state or sub.state)


def payment_report(user, month, unit: Unit | None = None, *, via: str | None = "sims.report") -> Report:
    """Every line billed in `month` within the user's scope (or the given unit's subtree), by unit and carrier,
    each line's number as the user may see it (read `via` a page, the API, the command line); `via=None` for a
    report nobody reads line by line (closing a month): its numbers stay masked and no read is recorded."""
    month = month if isinstance(month, dt.date) else parse_month(month)
    month = month.replace(day=1)
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    qs = SimSubscription.objects.all()
    if user is not None:  # None: the server operator's CLI, which sees the whole registry
        qs = scope.filter_by_scope(qs, user, SIMS_VIEW, "unit__path")
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    qs = (qs.filter(in_service_on__lte=last).exclude(ended_on__lt=month)
          .select_related("person", "unit", "plan", "certificate")
          .prefetch_related("events__plan").order_by("unit__path", "carrier", "person__full_name", "pk"))
    groups: dict[tuple, Group] = {}
    for sub in qs:
        line = bill(sub, month, list(sub.events.all()))
        if line is None:
            continue
        key = (sub.unit_id, sub.carrier)
        if key not in groups:
            groups[key] = Group(sub.unit, sub.carrier)
        groups[key].lines.append(line)
    if via is not None:
        lines = [x for g in groups.values() for x in g.lines]
        full = privacy.shown(user, [x.subscription for x in lines], via)
        for x in lines:
            x.number = privacy.number(x.subscription, full)
    return Report(month, unit, list(groups.values()), MonthClose.objects.filter(month=month).first())


HEADER = ["STT", "Họ và tên", "Chức danh", "Số điện thoại", "Số serial SIM", "Gói", "Số ngày", "Cước dữ liệu",
          "Cước thuê bao", "Cước hòa mạng", "Cộng (đồng)"]


def _carrier_label(value: str) -> str:
    return Carrier(value).label if value in Carrier.values else value


def _rows(group: Group) -> list[list]:
    return [[i, x.subscription.person.full_name, x.subscription.person.title, x.shown_number,
             x.subscription.iccid, x.plan_tier, x.days, x.data_vnd, x.line_vnd, x.connection_vnd, x.total_vnd]
            for i, x in enumerate(group.lines, start=1)]


def to_xlsx(report: Report) -> bytes:
    sheet = XlsxSheet(f"SIM PKI {report.month:%m-%Y}")
    sheet.row([f"BẢNG KÊ CƯỚC SIM PKI THÁNG {report.month:%m/%Y}"], bold=True)
    for g in report.groups:
        sheet.row([])
        sheet.row([f"{g.unit.name} — {_carrier_label(g.carrier)}"], bold=True)
        sheet.row(HEADER)
        sheet.rows(_rows(g))
        sheet.row(["", "Cộng", "", "", "", "", "", "", "", "", g.total_vnd])
    sheet.row([])
    sheet.row(["", "Tổng cộng", "", "", "", "", "", "", "", "", report.total_vnd])
    sheet.widths((5, 26, 28, 13, 22, 6, 8, 13, 13, 13, 14))
    return sheet.to_bytes()


def _money(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def to_document(report: Report, issuer: Unit | None = None):
    """The report as an administrative document (Decree 30 layout), landscape, one table per unit and carrier."""
    issuer = issuer or report.unit
    blocks = [m.Paragraph(f"Tháng {report.month:%m/%Y}", align="center", italic=True)]
    for g in report.groups:
        blocks.append(m.Paragraph(f"{g.unit.name} — nhà mạng {_carrier_label(g.carrier)}", bold=True, align="left"))
        rows = [[str(c) if not isinstance(c, int) or j in (0, 5, 6) else _money(c) for j, c in enumerate(r)]
                for r in _rows(g)]
        rows.append(["", "Cộng", "", "", "", "", "", "", "", "", _money(g.total_vnd)])
        blocks.append(m.Table(HEADER, rows, widths=[4, 16, 16, 10, 16, 4, 5, 9, 9, 9, 10], size=9))
    if not report.groups:
        blocks.append(m.Paragraph("Không có thuê bao SIM PKI phát sinh cước trong tháng.", italic=True))
    blocks.append(m.Paragraph(f"Tổng cộng: {_money(report.total_vnd)} đồng ({report.line_count} thuê bao).",
                              bold=True, align="left"))
    blocks.append(m.Paragraph("Cước tính theo số ngày sử dụng trong tháng; thanh toán và quyết toán vào nội dung "
                              "chi thông tin, liên lạc (Công văn số 346/BHXH-CNTT).", italic=True, size=11))
    return m.OfficialDocument(
        title="BẢNG KÊ THANH TOÁN CƯỚC SIM PKI CÔNG VỤ",
        governing_body="BẢO HIỂM XÃ HỘI VIỆT NAM" if issuer is not None and issuer.parent_id else "",
        issuer=(issuer.name.upper() if issuer else "BẢO HIỂM XÃ HỘI VIỆT NAM"),
        place=(issuer.province_name if issuer is not None and issuer.province_name else "Hà Nội"),
        date=dt.date.today(), blocks=blocks, landscape=True,
        signatures=[m.SignatureBlock(["NGƯỜI LẬP BIỂU"], note="(Ký, ghi rõ họ tên)"),
                    m.SignatureBlock(["THỦ TRƯỞNG ĐƠN VỊ"], note="(Ký, ghi rõ họ tên)")])


def to_pdf(report: Report) -> bytes:
    return render_pdf(to_document(report))


def download(report: Report, output: str, *, inline: bool = False):
    """The report as an XLSX or PDF download (None for any other `output`): pages and API answer alike."""
    name = f"cuoc-sim-pki-{report.month:%Y-%m}"
    if output == "xlsx":
        return xlsx_response(to_xlsx(report), f"{name}.xlsx")
    if output == "pdf":
        resp = HttpResponse(to_pdf(report), content_type="application/pdf")
        resp["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{name}.pdf"'
        return resp
    return None
