"""Statistics of Decision 352 / Circular 01/2018 reporting: received, in progress (of which overdue),
done on time, done late, refused — by unit, procedure, channel or month, over a period. One grouped
query per table over the roll-up (`DossierTally`, kept by `rollup.py` with every step; never a count of the
dossiers themselves); charts are inline SVG drawn on the server (no JavaScript, no CDN)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.db.models import Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyso.core.errors import InvalidInput
from kyso.core.exports import XlsxSheet

from .models import OPEN_STATUSES, Channel, Status

GROUPS = {"unit": "unit__name", "procedure": "procedure__code", "channel": "channel", "month": "month"}


@dataclass
class Row:
    key: str
    received: int
    in_progress: int
    overdue: int
    on_time: int
    late: int
    refused: int


def table(qs, group: str, start: dt.date | None = None, end: dt.date | None = None) -> list[Row]:
    """`qs`: the roll-up rows in the reader's scope (`dossiers.visible_tally`)."""
    if group not in GROUPS:
        raise InvalidInput("portal.stats.group", _("Group by unit, procedure, channel or month."))
    if start and end and end < start:
        raise InvalidInput("portal.stats.period", _("The end of the period is before its start."))
    if start:
        qs = qs.filter(day__gte=start)
    if end:
        qs = qs.filter(day__lte=end)
    today = timezone.localdate()
    if group == "month":
        qs = qs.annotate(month=TruncMonth("day"))
    field = GROUPS[group]
    rows = (qs.values(field).order_by(field).annotate(
        n_received=Sum("n"),
        n_in_progress=Sum("n", filter=Q(status__in=OPEN_STATUSES), default=0),
        n_overdue=Sum("n", filter=Q(status__in=OPEN_STATUSES, due_date__lt=today), default=0),
        n_on_time=Sum("n", filter=Q(status=Status.RETURNED, on_time=True), default=0),
        n_late=Sum("n", filter=Q(status=Status.RETURNED, on_time=False), default=0),
        n_refused=Sum("n", filter=Q(status=Status.REFUSED), default=0)).filter(n_received__gt=0))
    labels = dict(Channel.choices)
    out = []
    for r in rows:
        key = r[field]
        if group == "channel":
            key = str(labels.get(key, key))
        elif group == "month":
            key = key.strftime("%m/%Y") if key else "—"
        out.append(Row(str(key), r["n_received"], r["n_in_progress"], r["n_overdue"], r["n_on_time"], r["n_late"],
                       r["n_refused"]))
    return out


def totals(rows: list[Row]) -> Row:
    return Row(str(_("Total")), *(sum(getattr(r, f) for r in rows) for f in
                                  ("received", "in_progress", "overdue", "on_time", "late", "refused")))


SERIES = [("on_time", "#2e7d32"), ("late", "#c62828"), ("in_progress", "#1565c0"), ("refused", "#757575")]


def bar_chart(rows: list[Row], *, width: int = 640) -> str:
    """Stacked horizontal bars, one per group: done on time, late, in progress, refused."""
    if not rows:
        return ""
    bar_h, gap, label_w = 22, 8, 200
    height = len(rows) * (bar_h + gap) + 30
    top = max(r.on_time + r.late + r.in_progress + r.refused for r in rows) or 1
    scale = (width - label_w - 60) / top
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
             f'width="100%" preserveAspectRatio="xMinYMin meet" class="chart">']
    for i, r in enumerate(rows):
        y = i * (bar_h + gap) + 4
        parts.append(f'<text x="{label_w - 6}" y="{y + bar_h * 0.7:.0f}" text-anchor="end" font-size="12">'
                     f'{escape(r.key[:32])}</text>')
        x = label_w
        for name, colour in SERIES:
            n = getattr(r, name)
            if n:
                w = max(n * scale, 1)
                parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour}">'
                             f'<title>{escape(r.key)}: {n}</title></rect>')
                x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + bar_h * 0.7:.0f}" font-size="12">{r.received}</text>')
    legend_y = height - 8
    legend = [(_("On time"), SERIES[0][1]), (_("Late"), SERIES[1][1]), (_("In progress"), SERIES[2][1]),
              (_("Refused"), SERIES[3][1])]
    for i, (label, colour) in enumerate(legend):
        x = label_w + i * 110
        parts.append(f'<rect x="{x}" y="{legend_y - 10}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{x + 14}" y="{legend_y}" font-size="11">{escape(str(label))}</text>')
    parts.append("</svg>")
    return "".join(parts)


HEADERS = [_("Group"), _("Received"), _("In progress"), _("of which overdue"), _("Done on time"), _("Done late"),
           _("Refused")]


def xlsx(rows: list[Row], title: str) -> bytes:
    sheet = XlsxSheet("Thong ke")
    sheet.row([title], bold=True, size=13)
    sheet.row([str(h) for h in HEADERS], bold=True)
    sheet.rows([r.key, r.received, r.in_progress, r.overdue, r.on_time, r.late, r.refused] for r in [*rows, totals(rows)])
    sheet.widths([40])
    return sheet.to_bytes()
