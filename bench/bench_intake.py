"""Portal intake throughput on PostgreSQL (issue 19): full intake of a signed 2-file dossier (schema, XAdES
verification of both files, employer check, code, audit trail, signed receipt) per second, in one process and
in two processes at once (the 2 cores of the target machine), next to verifying the same files alone in the
same setting; the receipt's parts next to what they replaced (a PDF sealed PAdES B-T per receipt, one
time-stamp per receipt).

Runs in a child process with its own database `kyso_bench_intake` (not the portal bench's, so both may run
at the same time), seeded with N_ROWS dossiers first so that the indexes are not empty.
Skipped with a message when PostgreSQL is not reachable."""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# the portal bench's PostgreSQL server, another database on it
DB_URL = os.environ.get("KYSO_BENCH_PORTAL_DB", "postgres://postgres@127.0.0.1:5432/kyso_bench_portal").rsplit("/", 1)[0] \
    + "/kyso_bench_intake"
N_ROWS = 100_000
N_PER_PROCESS = 80
PROCESSES = 2
TARGET = 50.0


def run(report):
    env = {**os.environ, "DATABASE_URL": DB_URL, "KYSO_DATA_DIR": tempfile.mkdtemp(prefix="kyso-bench-intake-"),
           "DJANGO_SETTINGS_MODULE": "kyso.settings", "KYSO_GENERATE_SECRETS": "1"}
    proc = subprocess.run([sys.executable, "-m", "bench.bench_intake"], cwd=HERE.parent, env=env,
                          capture_output=True, text=True, timeout=1800)
    sys.stderr.write(proc.stderr[-3000:])
    for ln in proc.stdout.splitlines():
        if ln.startswith("SKIP "):
            print(f"  intake: skipped — {ln[5:]}", flush=True)
            return
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("ROW ")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"intake bench failed (exit {proc.returncode})")
    for ln in lines:
        report.add(**json.loads(ln[4:]))


def child():
    from bench import bench_portal

    bench_portal.DB_URL = DB_URL
    if not bench_portal._fresh_database():
        return
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", verbosity=0)
    from kyso.core.context import acting_as
    from kyso.core.testing import load_demo_org
    from kyso.pki.bootstrap import ensure_ca

    load_demo_org()
    with acting_as(label="bench", channel="cli"), transaction.atomic():
        ensure_ca()
    if N_ROWS:
        bench_portal._seed(N_ROWS)
    _intake()


def emit(*args, **kwargs):
    from bench import bench_portal

    bench_portal._emit(*args, **kwargs)


# --- work shared by the measures (prepared before any clock starts)


def _submitters():
    """One employer per office (two district offices with a seal of their own), each with its certificate."""
    from kyso.org.models import Unit
    from kyso.portal.tests.helpers import submitter

    offices = list(Unit.objects.filter(level__code="district", has_own_seal=True, is_active=True).order_by("code")
                   [:PROCESSES])
    return [submitter(f"bench.employer{i}", "employer", unit.code, name=f"Công ty TNHH Đo Hiệu Năng {i}",
                      tax_code=f"01012345{i:02d}") for i, unit in enumerate(offices)]


def _dossiers(issued, key, n):
    from django.db import transaction

    from kyso.core.context import acting_as
    from kyso.pki.ca import chain
    from kyso.portal import intake, samples
    from kyso.signing.xml import sign_xml

    ca_chain = chain(issued.ca.name)
    with acting_as(label="bench", channel="cli"), transaction.atomic():
        return [[intake.Upload("D02-TS.xml", sign_xml(samples.d02(workers=5), key, issued.certificate, chain=ca_chain)),
                 intake.Upload("TK1-TS.xml", sign_xml(samples.tk1(), key, issued.certificate, chain=ca_chain))]
                for _ in range(n)]


def _submit(sub, files):
    from django.db import transaction

    from kyso.core.context import acting_as
    from kyso.portal import intake

    with acting_as(sub.user, channel="api"), transaction.atomic():
        intake.submit_signed(sub.user, procedure_code="600", files=files)


def _verify_only(_sub, files):
    from django.db import transaction

    from kyso.core.context import acting_as
    from kyso.signing.trust import default_trust
    from kyso.signing.verify import verify_bytes

    with acting_as(label="bench", channel="cli"), transaction.atomic():
        trust = default_trust()
        for f in files:
            verify_bytes(f.data, trust=trust)


def _worker(fn_name, sub, batches, barrier, out):
    """One process: wait for the others, run `fn` over its dossiers, report (start, end)."""
    from django.db import connections

    connections.close_all()
    fn = {"submit": _submit, "verify": _verify_only}[fn_name]
    barrier.wait()
    t0 = time.time()
    for files in batches:
        fn(sub, files)
    out.put((t0, time.time()))
    connections.close_all()


def _rate(fn_name, work) -> float:
    """Dossiers per second of `fn` run by len(work) processes at once (work: [(submitter, dossiers)])."""
    from django.db import connections

    connections.close_all()
    ctx = mp.get_context("fork")
    barrier, out = ctx.Barrier(len(work)), ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(fn_name, sub, batches, barrier, out)) for sub, batches in work]
    for p in procs:
        p.start()
    spans = [out.get(timeout=1200) for _ in procs]
    for p in procs:
        p.join()
        if p.exitcode:
            raise RuntimeError(f"{fn_name} worker failed ({p.exitcode})")
    n = sum(len(batches) for _sub, batches in work)
    return n / (max(e for _s, e in spans) - min(s for s, _e in spans))


def _intake():
    from django.db import transaction

    from kyso.core.context import acting_as

    subs = _submitters()
    work = [(sub, _dossiers(issued, key, N_PER_PROCESS + 1)) for sub, issued, key in subs]
    spare = [(sub, _dossiers(issued, key, N_PER_PROCESS // 2)) for sub, issued, key in subs]
    for sub, batches in work:
        _submit(sub, batches.pop())        # warm-up: the office's seal certificate issued on first use
    half = N_PER_PROCESS // 2
    one = [(work[0][0], work[0][1][:half])]
    rest = [(sub, batches[half:]) for sub, batches in work]      # as many dossiers for each process
    verify_one = _rate("verify", one)
    intake_one = _rate("submit", one)
    verify_two = _rate("verify", [(sub, batches[: N_PER_PROCESS // 2]) for sub, batches in work])
    intake_two = _rate("submit", rest)
    from kyso.audit import chain

    from django.conf import settings

    every = settings.KYSO_AUDIT_CHECKPOINT_EVERY
    settings.KYSO_AUDIT_CHECKPOINT_EVERY = 100      # the lever docs/intake.md names: a checkpoint per 100 transactions
    intake_two_cp = _rate("submit", spare)
    settings.KYSO_AUDIT_CHECKPOINT_EVERY = every
    findings = chain.verify().findings
    assert not findings, f"the audit chain is broken after concurrent intakes: {findings[:3]}"
    emit("intake", "full intake of a 2-file signed 600 dossier, 1 process", intake_one, "dossiers/s",
         "verify both files only, 1 process", verify_one,
         note="schema, XAdES verify, employer check, code, audit, receipt signed CAdES B-B")
    emit("intake", f"full intake, {PROCESSES} processes at once", intake_two, "dossiers/s",
         f"verify both files only, {PROCESSES} processes", verify_two,
         note=f"target {TARGET:.0f}/s; two offices, one PostgreSQL")
    emit("intake", f"full intake, {PROCESSES} processes, against the target", intake_two, "dossiers/s",
         "issue 19 target", TARGET)
    emit("intake", f"full intake, {PROCESSES} processes, audit checkpoint every 100 transactions", intake_two_cp,
         "dossiers/s", f"the same with a checkpoint after each (default {every})", intake_two,
         note="KYSO_AUDIT_CHECKPOINT_EVERY=100")
    with acting_as(label="bench", channel="cli"), transaction.atomic():
        _receipt_parts(subs[0][0])


def _receipt_parts(sub):
    from kyso.core.documents import render_pdf
    from kyso.files import storage
    from kyso.portal import documents, receipt_stamps, receipts
    from kyso.portal.models import Dossier, Receipt
    from kyso.portal.sealing import seal_pdf

    dossier = Dossier.objects.filter(submitted_by=sub.user).select_related("unit").first()
    xml = receipts.receipt_xml(code=dossier.code, unit=dossier.unit, procedure=dossier.procedure,
                               channel=dossier.channel, kind=dossier.kind, name=dossier.submitter_name,
                               tax_code=dossier.submitter_tax_code, received_at=dossier.received_at,
                               due=dossier.due_date, rule=dossier.intake_rule, files=[])
    n, t0 = 200, time.perf_counter()
    for _ in range(n):
        receipts.sign(xml, dossier.unit)
    cms_rate = n / (time.perf_counter() - t0)
    pdf = render_pdf(documents.receipt(dossier))
    n, t0 = 10, time.perf_counter()
    for _ in range(n):
        seal_pdf(pdf, dossier.unit, reason="bench")
    pdf_rate = n / (time.perf_counter() - t0)
    emit("receipt", "receipt signed at intake (XML in CMS, CAdES B-B, seal key in memory)", cms_rate, "receipts/s",
         "receipt PDF sealed PAdES B-T (before issue 19)", pdf_rate)
    pending = Receipt.objects.filter(batch__isnull=True).count()
    t0 = time.perf_counter()
    stamped = receipt_stamps.run_job()["receipts"]
    batch_rate = stamped / (time.perf_counter() - t0)
    n, t0 = 30, time.perf_counter()
    for _ in range(n):
        receipt_stamps._token_over(os.urandom(32))
    token_rate = n / (time.perf_counter() - t0)
    emit("receipt", f"receipts time-stamped by the batch job ({pending} waiting, one token)", batch_rate, "receipts/s",
         "one time-stamp per receipt", token_rate)
    receipt = Receipt.objects.select_related("document__file", "batch").filter(batch__isnull=False).first()
    signed, record = storage.read(receipt.document.file), receipt_stamps.evidence(receipt)
    n, t0 = 20, time.perf_counter()
    for _ in range(n):
        assert receipt_stamps.check(signed, record).valid
    emit("receipt", "evidence record checked (hash path + token)", n / (time.perf_counter() - t0), "checks/s")


if __name__ == "__main__":
    child()
