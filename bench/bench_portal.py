"""Portal benchmarks on PostgreSQL with 10 M dossiers (issue 19): the officers' hot pages — public status,
dossier detail, list pages (keyset), search by tax code and code, the overdue filter, the home page with its
queue counts, the statistics dashboard (read from the roll-up) — p50/p95 through the API and the pages, each
next to the bare SQL it runs on the dossiers (same statements over a cursor) as peer. The EXPLAIN (ANALYZE,
BUFFERS) of every such statement goes to results/portal-plans.md. Intake throughput is `bench_intake.py` (its
own database).

Runs in a child process with its own database `kyso_bench_portal` (DATABASE_URL below), because the
other bench modules configure Django on SQLite in the parent process. Skipped with a message when
PostgreSQL is not reachable. `KYSO_BENCH_PORTAL_ROWS` (default 10 M) sets the number of dossiers;
`KYSO_BENCH_PORTAL_REUSE=1` measures again on the database the last run left (no drop, no seeding).
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
N_DOSSIERS = int(os.environ.get("KYSO_BENCH_PORTAL_ROWS", "10000000"))
N_QUERIES = 60
SEEDED = HERE / "results" / "portal-seed.json"


def run(report):
    # a database server means strict secrets (kyso/secretconf.py): the throw-away bench generates its own
    env = {**os.environ, "DATABASE_URL": DB_URL, "KYSO_DATA_DIR": tempfile.mkdtemp(prefix="kyso-bench-portal-"),
           "DJANGO_SETTINGS_MODULE": "kyso.settings", "KYSO_GENERATE_SECRETS": "1"}
    proc = subprocess.run([sys.executable, "-m", "bench.bench_portal"], cwd=HERE.parent, env=env,
                          capture_output=True, text=True, timeout=5400)
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


def _dossier_ddl(cur) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    """The secondary indexes of portal_dossier and the constraints on it or pointing at it (dropped for the load)."""
    cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'portal_dossier' AND indexname NOT IN "
                "(SELECT conname FROM pg_constraint WHERE conrelid = 'portal_dossier'::regclass)")
    indexes = cur.fetchall()
    cur.execute("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE (conrelid = 'portal_dossier'::regclass OR confrelid = 'portal_dossier'::regclass) "
                "AND contype IN ('f', 'u')")
    return indexes, cur.fetchall()


def _rows(n: int):
    """n dossiers spread over the past year, all districts, the four procedures: most of them returned (on time
    or late) or refused, the last 20 days' and 3 % of the older ones open at every step of the workflow."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from kyso.org.models import Unit
    from kyso.portal.models import IntakeRule, Procedure
    from kyso.workdays.calendar import add_working_days

    rnd = random.Random(42)
    units = list(Unit.objects.filter(level__code="district").order_by("code"))
    procs = [p.id for p in Procedure.objects.all()]
    rule = IntakeRule.objects.get(code="2671-E-DOSSIER").id
    desk_officer = {Unit.objects.get(code="HN.BD").id: get_user_model().objects.get(username="motcua.bd").id}
    today = timezone.localdate()
    days = [today - dt.timedelta(days=i) for i in range(365, 0, -1)]
    employers = [(f"01{rnd.randrange(10**8):08d}", f"Công ty TNHH Số {i}") for i in range(50_000)]
    open_states = [("in_progress", "receive")] * 15 + [("in_progress", "assign")] * 35 + \
        [("in_progress", "process")] * 25 + [("in_progress", "approve")] * 10 + [("result_ready", "sign")] * 10 + \
        [("supplement", "assign")] * 5
    dues = {day: add_working_days(day, 5) for day in days}
    return _generate(n, rnd, units, procs, rule, desk_officer, today, dues, employers, open_states)


def _generate(n, rnd, units, procs, rule, desk_officer, today, dues, employers, open_states):
    """The rows themselves (no query: the connection is busy with the COPY meanwhile)."""
    from django.utils import timezone

    days = list(dues)
    per_day = -(-n // (len(days) * len(units)))
    written = 0
    for day in days:
        age = (today - day).days
        due = dues[day]
        start = timezone.make_aware(dt.datetime.combine(day, dt.time(8)))
        for unit in units:
            prefix = f"{unit.gov_code}-{day:%y%m%d}-"
            officer = desk_officer.get(unit.id)
            for seq in range(1, per_day + 1):
                if written >= n:
                    return
                tax, name = employers[rnd.randrange(len(employers))]
                at = start + dt.timedelta(seconds=seq * 36000 // per_day)
                r = rnd.random()
                assignee, finished, on_time = None, None, None
                if age > 20 and r < 0.97:
                    if r < 0.02:
                        status, step, finished = "refused", "process", day + dt.timedelta(days=2)
                    else:
                        status, step = "returned", "return"
                        finished = due + dt.timedelta(days=2 if r > 0.9 else -1)
                        on_time = finished <= due
                else:
                    status, step = open_states[rnd.randrange(len(open_states))]
                    if step in ("assign", "process", "approve"):
                        assignee = officer
                yield (prefix + f"{seq:04d}", unit.id, procs[rnd.randrange(len(procs))], "ivan" if r < 0.6 else "portal",
                       "signed", rule, name, tax, "", "", status, step, assignee, at, day, due, due, 0,
                       status == "supplement", False, finished, on_time, "{}", at)
                written += 1


def _seed(n: int) -> dict:
    """COPY n dossiers into portal_dossier, unlogged and without its secondary indexes and constraints, then SET
    LOGGED, build the indexes (parallel workers), put the constraints back, VACUUM ANALYZE (the visibility map for
    index-only scans) and rebuild the statistics roll-up with one grouped query. Returns the seconds of each phase."""
    from django.db import connection, transaction

    from kyso.portal import rollup

    cols = ("code, unit_id, procedure_id, channel, kind, intake_rule_id, submitter_name, submitter_tax_code, "
            "submitter_email, submitter_phone, status, step, assignee_id, received_at, received_on, due_date, "
            "original_due_date, paused_days, supplement_requested, apologised, finished_on, on_time, data, updated_at")
    times = {}
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        indexes, constraints = _dossier_ddl(cur)
        for table, name, _definition in constraints:
            cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        cur.execute("ALTER TABLE portal_dossier SET UNLOGGED")
    rows = _rows(n)
    with transaction.atomic(), connection.cursor() as cur, cur.cursor.copy(f"COPY portal_dossier ({cols}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    times["copy"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    with connection.cursor() as cur:    # before the indexes: only the heap is rewritten
        cur.execute("ALTER TABLE portal_dossier SET LOGGED")
    times["logged"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("SET maintenance_work_mem = '1GB'")
        cur.execute("SET max_parallel_maintenance_workers = 2")
        for _name, definition in indexes:
            cur.execute(definition)
        for table, name, definition in constraints:
            # the dossiers' own foreign keys are not re-checked row by row (the load wrote known ids)
            later = " NOT VALID" if definition.startswith("FOREIGN KEY") and table == "portal_dossier" else ""
            cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}{later}')
    times["indexes"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("VACUUM (ANALYZE) portal_dossier")
    times["vacuum"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    with transaction.atomic():
        times["rollup_rows"] = rollup.rebuild()
    with connection.cursor() as cur:
        cur.execute("VACUUM (ANALYZE) portal_dossiertally")
        cur.execute("SELECT pg_total_relation_size('portal_dossier')")
        times["bytes"] = cur.fetchone()[0]
    times["rollup"] = time.perf_counter() - t0
    return times


def child():
    import django

    reuse = os.environ.get("KYSO_BENCH_PORTAL_REUSE") == "1"
    if not reuse and not _fresh_database():
        return
    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    if not reuse:
        call_command("migrate", verbosity=0)
        from kyso.core.context import acting_as
        from kyso.core.testing import load_demo_org
        from kyso.pki.bootstrap import ensure_ca

        load_demo_org()
        with acting_as(label="bench", channel="cli"), transaction.atomic():
            ensure_ca()
        t = _seed(N_DOSSIERS)
        total = t["copy"] + t["indexes"] + t["logged"] + t["vacuum"] + t["rollup"]
        seeded = dict(group="portal", name=f"seed {N_DOSSIERS:,} dossiers (COPY unlogged, then indexes)",
                      value=N_DOSSIERS / total, unit="rows/s",
                      note=f"{total:.0f} s: COPY {t['copy']:.0f} s, SET LOGGED {t['logged']:.0f} s, indexes and "
                           f"constraints {t['indexes']:.0f} s, VACUUM ANALYZE {t['vacuum']:.0f} s, roll-up "
                           f"{t['rollup']:.0f} s ({t['rollup_rows']:,} rows); table and indexes "
                           f"{t['bytes'] / 2**30:.1f} GiB")
        SEEDED.write_text(json.dumps(seeded, ensure_ascii=False), encoding="utf-8")
    elif SEEDED.exists():   # measured again on the same database: the seeding figure of the run that made it
        seeded = json.loads(SEEDED.read_text(encoding="utf-8"))
        seeded["note"] += " (seeding run of this database)"
    else:
        seeded = None
    if seeded:
        _emit(**seeded)
    _queries()


def _touches_dossiers(sql: str) -> bool:
    return '"portal_dossier"' in sql or '"portal_dossiertally"' in sql


def _captured(get) -> list[str]:
    """The SQL on the dossiers (or their roll-up) that one request runs, as sent (parameters inlined)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as q:
        get()
    return [x["sql"] for x in q.captured_queries if _touches_dossiers(x["sql"])]


def _bare(sqls: list[str]) -> float:
    """Milliseconds to run these statements over a bare cursor and fetch their rows (the peer of a page)."""
    from django.db import connection

    t0 = time.perf_counter()
    with connection.cursor() as cur:
        for sql in sqls:
            cur.execute(sql)
            cur.fetchall()
    return (time.perf_counter() - t0) * 1000


def _explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(r[0] for r in cur.fetchall())


def _clients() -> dict:
    from django.db import transaction
    from django.test import Client
    from rest_framework.test import APIClient

    from kyso.accounts.models import ApiToken, User
    from kyso.core.context import acting_as

    out = {"anonymous": APIClient()}
    for username in ("admin", "hanoi", "badinh", "motcua.bd"):
        with acting_as(label="bench", channel="cli"), transaction.atomic():
            _t, secret = ApiToken.issue(User.objects.get(username=username), "bench")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
        out[username] = client
        web = Client()
        with acting_as(label="bench", channel="cli"), transaction.atomic():
            web.force_login(User.objects.get(username=username))
        out["web:" + username] = web
    return out


def _queries():
    """Each hot page N_QUERIES times (p50, p95) next to the bare SQL it runs on the dossiers (same statements,
    same parameters, over a cursor); the EXPLAIN (ANALYZE, BUFFERS) of each statement in results/portal-plans.md."""
    from django.db import connection

    from kyso.portal.models import Dossier, DossierTally

    clients = _clients()
    sample = list(Dossier.objects.filter(unit__code="HN.BD").order_by("?").values_list("code", "submitter_tax_code")[:N_QUERIES])
    first = clients["hanoi"].get("/api/v1/portal/dossiers/").json()
    later = clients["hanoi"].get("/api/v1/portal/dossiers/?status=refused").json()
    n_rows, n_tally = Dossier.objects.count(), DossierTally.objects.count()
    groups = ["unit", "procedure", "channel", "month"]
    # name, client, url(i), target p95 ms
    cases = [
        ("public status by code (no login)", "anonymous", lambda i: f"/api/v1/portal/status/{sample[i][0]}/", 20),
        ("lookup by code (dossier detail, district officer)", "badinh", lambda i: f"/api/v1/portal/dossiers/{sample[i][0]}/", 20),
        ("list, first page (province scope)", "hanoi", lambda i: "/api/v1/portal/dossiers/", 100),
        ("list, next page (cursor)", "hanoi", lambda i: first["next"].split("testserver", 1)[-1], 100),
        ("list, first page (district scope)", "badinh", lambda i: "/api/v1/portal/dossiers/", 100),
        ("list, status=in_progress (province)", "hanoi", lambda i: "/api/v1/portal/dossiers/?status=in_progress", 100),
        ("list, status=refused (2 %, province)", "hanoi", lambda i: "/api/v1/portal/dossiers/?status=refused", 100),
        ("list, status=refused, next page", "hanoi", lambda i: later["next"].split("testserver", 1)[-1], 100),
        ("list, procedure + channel (national)", "admin", lambda i: "/api/v1/portal/dossiers/?procedure=600&channel=portal", 100),
        ("search by tax code (province)", "hanoi", lambda i: f"/api/v1/portal/dossiers/?tax_code={sample[i][1]}", 100),
        ("officer page, overdue filter (district)", "web:badinh", lambda i: "/portal/?overdue=1", 100),
        ("officer page, search by code (province)", "web:hanoi", lambda i: f"/portal/?q={sample[i][0]}", 100),
        ("home page with queue counts (one-stop officer)", "web:motcua.bd", lambda i: "/", 100),
        ("home page with queue counts (district officer)", "web:badinh", lambda i: "/", 100),
        ("statistics dashboard by unit (national)", "admin", lambda i: f"/api/v1/portal/statistics/?group={groups[i % 4]}", 1000),
        ("statistics page by month (province)", "web:hanoi", lambda i: "/portal/statistics/?group=month", 1000),
    ]
    plans = [f"# Portal query plans at {n_rows:,} dossiers ({n_tally:,} roll-up rows)\n",
             "EXPLAIN (ANALYZE, BUFFERS) of every statement each hot page runs on `portal_dossier` or "
             "`portal_dossiertally`, written by `bench/bench_portal.py` on PostgreSQL "
             f"{connection.cursor().connection.info.server_version}. Second run of each statement (warm cache).\n"]
    for name, who, url, target in cases:
        client = clients[who]
        r = client.get(url(0))
        assert r.status_code == 200, (url(0), r.status_code, r.content[:300])
        ms, bare = [], []
        for i in range(N_QUERIES):
            t0 = time.perf_counter()
            r = client.get(url(i))
            ms.append((time.perf_counter() - t0) * 1000)
            assert r.status_code == 200, (url(i), r.status_code, r.content[:300])
        for i in range(N_QUERIES):
            bare.append(_bare(_captured(lambda: client.get(url(i)))))
        p50, p95 = _percentiles(ms)
        b50, b95 = _percentiles(bare)
        _emit("query", f"{name} p50", p50, "ms", "bare SQL of the page p50", b50)
        _emit("query", f"{name} p95", p95, "ms", "bare SQL of the page p95", b95,
              note=f"target < {target} ms: {'met' if p95 < target else 'NOT met'}")
        plans.append(f"\n## {name}\n\n`GET {url(0)}` as {who}: p95 {p95:.1f} ms (target < {target} ms), bare SQL "
                     f"p95 {b95:.1f} ms.\n")
        for sql in _captured(lambda: client.get(url(0))):
            plans.append(f"\n```sql\n{sql}\n```\n\n```\n{_explain(sql)}\n```\n")
    _per_request_peers(plans)
    (HERE / "results" / "portal-plans.md").write_text("".join(plans), encoding="utf-8")


def _per_request_peers(plans: list[str]) -> None:
    """What the dashboard and the home page cost before (issue 19): the grouped count over the dossiers of the
    national dashboard, and the uncounted-capped COUNT(*) of the largest queue; three runs each, best kept."""
    from django.db import connection
    from django.db.models import Count, Q

    from kyso.accounts.models import User
    from kyso.core import workflow
    from kyso.portal.flows import DOSSIER
    from kyso.portal.models import OPEN_STATUSES, Dossier, Status

    live = Dossier.objects.values("unit__name").order_by("unit__name").annotate(
        a=Count("id"), b=Count("id", filter=Q(status__in=OPEN_STATUSES)),
        d=Count("id", filter=Q(status=Status.RETURNED, on_time=True)), f=Count("id", filter=Q(status=Status.REFUSED)))
    live_sql = connection.ops.compose_sql(*live.query.sql_with_params())
    best = min(_bare([live_sql]) for _ in range(3))
    _emit("query", "peer: dashboard counted per request from the dossiers", best, "ms",
          note="what the roll-up replaces (national, by unit)")
    plans.append(f"\n## Peer: the dashboard counted per request (before the roll-up): {best:.0f} ms\n\n"
                 f"```sql\n{live_sql}\n```\n\n```\n{_explain(live_sql)}\n```\n")
    officer = User.objects.get(username="motcua.bd")
    entries = [e for e in workflow.work_for(officer) if e.workflow is DOSSIER]
    if entries:
        largest = max(entries, key=lambda e: int(e.count))
        qs = DOSSIER.queue_for(officer, largest.transition).order_by()
        sql = "SELECT COUNT(*) FROM (" + connection.ops.compose_sql(*qs.values("id").query.sql_with_params()) + ") q"
        best = min(_bare([sql]) for _ in range(3))
        _emit("query", f"peer: uncapped COUNT(*) of the queue '{largest.title}'", best, "ms",
              note="what the home page counted before the cap")
        plans.append(f"\n## Peer: uncapped COUNT(*) of the queue '{largest.title}' (before the cap): {best:.0f} ms\n\n"
                     f"```sql\n{sql}\n```\n\n```\n{_explain(sql)}\n```\n")


if __name__ == "__main__":
    child()
