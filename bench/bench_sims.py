"""SIM PKI registry: importing a carrier's list of lines next to importing the same people as staff (both all rows
or none, every row checked); the monthly payment report (days pro rata over dated terms) next to plainly listing
the same lines."""

from __future__ import annotations

import datetime as dt
import time

from bench.run import fresh_demo, timed

N = 2000


def run(report):
    fresh_demo("sims")
    from kyso.accounts.models import User
    from kyso.core.context import acting_as
    from kyso.org.importing import import_staff
    from kyso.org.validators import make_cccd
    from kyso.sims import importing, report as payment, seed, services
    from kyso.sims.api.serializers import SubscriptionSerializer

    seed.apply()
    it = User.objects.get(username="cntt")
    staff = ["Họ và tên,Giới tính,Ngày sinh,Số CCCD,Ngày cấp,Nơi cấp,Chức danh,Mã đơn vị,Thư điện tử"]
    lines = ["email,msisdn,carrier,iccid,in_service_on,plan"]
    units = ["HN", "HCM", "NA", "DN", "VSS.CNTT", "VSS.VP"]
    for i in range(N):
        birth = dt.date(1970 + i % 20, 1 + i % 12, 1 + i % 28)
        email = f"bench.sim{i}@vss.gov.vn"
        staff.append(f"Nguyễn Văn Thử {i},Nam,{birth:%d/%m/%Y},{make_cccd('001', birth, 'male', 500000 + i)},"
                     f"01/01/2022,Cục Cảnh sát QLHC về TTXH,Phó Giám đốc,{units[i % len(units)]},{email}")
        lines.append(f"{email},09{30000000 + i},{['viettel', 'vinaphone', 'mobifone'][i % 3]},"
                     f"{services.luhn_complete(f'898402{i:012d}')},{1 + i % 28:02d}/0{1 + i % 9}/2025,{3 + i % 2}")
    staff_csv, lines_csv = "\n".join(staff).encode(), "\n".join(lines).encode()

    with acting_as(it, channel="cli"):
        t0 = time.perf_counter()
        rep = import_staff("staff.csv", staff_csv, actor=None)
        staff_rate = N / (time.perf_counter() - t0)
        assert rep.applied, rep.as_dict()["rejected"][:3]
        t0 = time.perf_counter()
        rep = importing.import_subscriptions("lines.csv", lines_csv, actor=it)
        sims_rate = N / (time.perf_counter() - t0)
        assert rep.applied, rep.as_dict()["rejected"][:3]
    report.add("import", f"SIM lines imported, {N} rows (all or none, each row checked as the form)", sims_rate,
               "rows/s", "staff import of the same people", staff_rate)

    # Dated history on a tenth of the lines: suspended in March, resumed in April, plan changed in May.
    with acting_as(it, channel="cli"):
        for sub in list(services.subscriptions_for(it).order_by("pk")[: N // 10]):
            services.suspend(it, sub, effective_on="2026-03-11", reason="Bench")
            services.resume(it, sub, effective_on="2026-04-21")
            services.change_terms(it, sub, effective_on="2026-05-16", data_fee=150000)

    def month_report():
        r = payment.payment_report(it, "2026-04")
        assert r.line_count == N

    def plain_list():
        rows = SubscriptionSerializer(services.subscriptions_for(it), many=True).data
        assert len(rows) == N

    report.add("report", f"payment report for a month, {N} lines (pro rata over dated terms)",
               timed(month_report, min_seconds=3) * N, "lines/s", "listing the same lines (API dicts)",
               timed(plain_list, min_seconds=3) * N)
    xlsx = timed(lambda: payment.to_xlsx(payment.payment_report(it, "2026-04")), min_seconds=3)
    report.add("report", f"the same month as XLSX, {N} lines", xlsx * N, "lines/s", "report computed alone",
               timed(month_report, min_seconds=2) * N)
