"""Portal benchmarks on PostgreSQL with 1 M dossiers: full intake per second (schema + signature
verification + code + signed receipt, next to its parts as peers) and list/search latency p50/p95
through the API (next to the bare SQL of the same page as peer).

Runs in a child process with its own database `kyso_bench_portal` (DATABASE_URL below), because the
other bench modules configure Django on SQLite in the parent process. Skipped with a message when
PostgreSQL is not reachable.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DB_URL = os.environ.get("KYSO_BENCH_PORTAL_DB", "postgres://postgres@127.0.0.1:5432/kyso_bench_portal")
N_DOSSIERS = int(os.environ.get("KYSO_BENCH_PORTAL_ROWS", "1000000"))
N_INTAKES = 40
N_QUERIES = 60


def run(report):
    env = {**os.environ, "DATABASE_URL": DB_URL, "KYSO_DATA_DIR": tempfile.mkdtemp(prefix="kyso-bench-portal-"),
           "DJANGO_SETTINGS_MODULE": "kyso.settings"}
    proc = subprocess.run([sys.executable, "-m", "bench.bench_portal"], cwd=HERE.parent, env=env,
                          capture_output=True, text=True, timeout=900)
    sys.stderr.write(proc.stderr[-3000:])
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("ROW ")]
    for ln in proc.stdout.splitlines():
        if ln.startswith("SKIP "):
            print(f"  portal: skipped — {ln[5:]}", flush=True)
            return
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"portal bench failed (exit {proc.returncode})")
    for ln in lines:
        report.add(**json.loads(ln[4:]))


def _emit(group, name, value, unit, peer="", peer_value=None, note=""):
    print("ROW " + json.dumps(dict(group=group, name=name, value=value, unit=unit, peer=peer, peer_value=peer_value,
                                   note=note), ensure_ascii=False), flush=True)
    ratio = f"  (peer {peer}: {peer_value:.1f})" if peer_value else ""
    print(f"  {group:8s} {name:50s} {value:10.1f} {unit}{ratio}", file=sys.stderr, flush=True)


def _fresh_database() -> bool:
    import psycopg

    base = DB_URL.rsplit("/", 1)
    try:
        with psycopg.connect(base[0] + "/postgres", autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{base[1]}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{base[1]}"')
    except psycopg.OperationalError as exc:
        print(f"SKIP PostgreSQL is not reachable at {base[0]} ({str(exc).strip()[:120]}); the portal bench needs it")
        return False
    return True


def _percentiles(samples):
    samples = sorted(samples)
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def _seed(n: int) -> float:
    """COPY n dossiers spread over the past year, all districts, the four procedures; returns seconds."""
    from django.db import connection
    from django.utils import timezone

    from kyso.org.models import Unit
    from kyso.portal.models import IntakeRule, Procedure
    from kyso.workdays.calendar import add_working_days

    rnd = random.Random(42)
    units = list(Unit.objects.filter(level__code="district"))
    procs = list(Procedure.objects.all())
    rule = IntakeRule.objects.get(code="2671-E-DOSSIER").id
    today = timezone.localdate()
    days = [today - dt.timedelta(days=i) for i in range(365, 0, -1)]
    due = {d: add_working_days(d, 5) for d in days}
    employers = [(f"01{rnd.randrange(10**8):08d}", f"Công ty TNHH Số {i}") for i in range(50_000)]
    per_day = -(-n // (len(days) * len(units)))
    cols = ("code, unit_id, procedure_id, channel, kind, intake_rule_id, submitter_name, submitter_tax_code, "
            "submitter_email, submitter_phone, status, step, received_at, received_on, due_date, original_due_date, "
            "paused_days, supplement_requested, apologised, finished_on, on_time, data, updated_at")
    t0 = time.perf_counter()
    written = 0
    with connection.cursor() as cur, cur.cursor.copy(f"COPY portal_dossier ({cols}) FROM STDIN") as copy:
        for day in days:
            age = (today - day).days
            for unit in units:
                for seq in range(1, per_day + 1):
                    if written >= n:
                        break
                    tax, name = employers[rnd.randrange(len(employers))]
                    proc = procs[rnd.randrange(len(procs))]
                    at = timezone.make_aware(dt.datetime.combine(day, dt.time(8)) + dt.timedelta(seconds=seq * 97))
                    r = rnd.random()
                    if age > 20 and r < 0.97:
                        status, step, finished = ("refused", "process", day + dt.timedelta(days=2)) if r < 0.02 else \
                            ("returned", "return", due[day] + dt.timedelta(days=2 if r > 0.9 else -1))
                    else:
                        status, step, finished = ("in_progress", "assign", None)
                    on_time = None if status != "returned" else finished <= due[day]
                    copy.write_row((f"{unit.gov_code}-{day:%y%m%d}-{seq:04d}", unit.id, proc.id,
                                    "ivan" if r < 0.6 else "portal", "signed", rule, name, tax, "", "", status, step,
                                    at, day, due[day], due[day], 0, False, False, finished, on_time, "{}", at))
                    written += 1
    with connection.cursor() as cur:
        cur.execute("ANALYZE portal_dossier")
    return time.perf_counter() - t0


def child():
    if not _fresh_database():
        return
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", verbosity=0)
    from kyso.core.context import acting_as
    from kyso.core.testing import load_demo_org
    from kyso.pki.ca import ensure_ca

    load_demo_org()
    with acting_as(label="bench", channel="cli"), transaction.atomic():
        ensure_ca()
    seconds = _seed(N_DOSSIERS)
    _emit("portal", f"seed {N_DOSSIERS:,} dossiers (COPY, indexes live)", N_DOSSIERS / seconds, "rows/s",
          note=f"{seconds:.0f} s")
    _intake()
    _queries()


def _intake():
    from django.db import transaction

    from kyso.core.context import acting_as
    from kyso.pki.ca import chain
    from kyso.portal import intake, samples
    from kyso.portal.tests.helpers import submitter
    from kyso.signing.verify import verify_bytes
    from kyso.signing.xml import sign_xml

    sub, issued, key = submitter("bench.employer", "employer", "HN.BD", name="Công ty TNHH Đo Hiệu Năng",
                                 tax_code="0101234567")
    ca_chain = chain(issued.ca.name)
    with acting_as(label="bench", channel="cli"), transaction.atomic():
        dossiers = [[intake.Upload("D02-TS.xml", sign_xml(samples.d02(workers=5), key, issued.certificate, chain=ca_chain)),
                     intake.Upload("TK1-TS.xml", sign_xml(samples.tk1(), key, issued.certificate, chain=ca_chain))]
                    for _ in range(N_INTAKES)]

    def one(files):
        with acting_as(sub.user, channel="api"), transaction.atomic():
            intake.submit_signed(sub.user, procedure_code="600", files=files)

    one(dossiers[0])  # warm-up (seal certificate issued on first use)
    t0 = time.perf_counter()
    for files in dossiers[1:]:
        one(files)
    rate = (N_INTAKES - 1) / (time.perf_counter() - t0)
    with acting_as(label="bench", channel="cli"), transaction.atomic():
        from kyso.signing.trust import default_trust
        trust = default_trust()
        t0 = time.perf_counter()
        for files in dossiers[:20]:
            for f in files:
                verify_bytes(f.data, trust=trust)
        verify_rate = 20 / (time.perf_counter() - t0)
        from kyso.core.documents import render_pdf
        from kyso.org.models import Unit
        from kyso.portal import documents
        from kyso.portal.models import Dossier
        from kyso.portal.sealing import seal_pdf

        d = Dossier.objects.filter(submitted_by=sub.user).first()
        pdf = render_pdf(documents.receipt(d))
        t0 = time.perf_counter()
        for _ in range(10):
            seal_pdf(pdf, Unit.objects.get(code="HN.BD"), reason="bench")
        receipt_rate = 10 / (time.perf_counter() - t0)
    _emit("intake", "full intake of a 2-file signed 600 dossier", rate, "dossiers/s", "verify both files only", verify_rate,
          note="schema, XAdES verify, code, audit, receipt PDF signed B-T")
    _emit("intake", "receipt PDF signing alone (PAdES B-T, seal)", receipt_rate, "receipts/s")


def _queries():
    from django.db import connection
    from rest_framework.test import APIClient

    from kyso.accounts.models import ApiToken, User
    from kyso.core.context import acting_as
    from kyso.portal.models import Dossier
    from django.db import transaction

    with acting_as(label="bench", channel="cli"), transaction.atomic():
        _t, secret = ApiToken.issue(User.objects.get(username="hanoi"), "bench")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    sample = list(Dossier.objects.filter(unit__code="HN.BD").order_by("?").values_list("code", "submitter_tax_code")[:N_QUERIES])
    first = client.get("/api/v1/portal/dossiers/").json()
    cases = {
        "list, first page (province scope)": lambda i: "/api/v1/portal/dossiers/",
        "list, next page (cursor)": lambda i: first["next"].split("testserver", 1)[-1],
        "list, status=in_progress": lambda i: "/api/v1/portal/dossiers/?status=in_progress",
        "search by tax code": lambda i: f"/api/v1/portal/dossiers/?tax_code={sample[i][1]}",
        "lookup by code (detail)": lambda i: f"/api/v1/portal/dossiers/{sample[i][0]}/",
        "public status by code": lambda i: f"/api/v1/portal/status/{sample[i][0]}/",
    }
    sql = ("SELECT id, code, status, due_date FROM portal_dossier WHERE unit_id = ANY(%s) ORDER BY id DESC LIMIT 51")
    from kyso.org.models import Unit

    unit_ids = list(Unit.objects.filter(path__startswith=Unit.objects.get(code="HN").path).values_list("id", flat=True))
    peer = []
    with connection.cursor() as cur:
        for _ in range(N_QUERIES):
            t0 = time.perf_counter()
            cur.execute(sql, [unit_ids])
            cur.fetchall()
            peer.append((time.perf_counter() - t0) * 1000)
    peer50, peer95 = _percentiles(peer)
    for name, url in cases.items():
        samples_ms = []
        for i in range(N_QUERIES):
            t0 = time.perf_counter()
            r = client.get(url(i))
            samples_ms.append((time.perf_counter() - t0) * 1000)
            assert r.status_code == 200, (url(i), r.status_code, r.content[:200])
        p50, p95 = _percentiles(samples_ms)
        _emit("query", f"{name} p50", p50, "ms", "bare SQL page p50", peer50)
        _emit("query", f"{name} p95", p95, "ms", "bare SQL page p95", peer95)


if __name__ == "__main__":
    child()
