"""Lifecycle benchmarks (SQLite, in-process): issuing onto a fresh SoftHSM token per subscriber (the
embedded CA's "USB key"), the letter 26 register import, Form 02 rendering for a big list, and bulk
revocation — each next to the part that bounds it (openssl key generation, certificate parsing,
the XLSX of the same list, Form 05 rendering)."""

from __future__ import annotations

import datetime
import os
import subprocess
import time
from pathlib import Path

from bench.run import fresh_demo, timed

HERE = Path(__file__).resolve().parent


def _openssl_genrsa_rate(n: int = 6) -> float:
    t0 = time.perf_counter()
    for _ in range(n):
        subprocess.run(["openssl", "genrsa", "-out", os.devnull, "2048"], check=True, capture_output=True)
    return n / (time.perf_counter() - t0)


def run(report):
    fresh_demo("lifecycle")
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from django.db import transaction

    from kyso import audit
    from kyso.accounts.models import User
    from kyso.core.context import acting_as
    from kyso.lifecycle import bulk, documents, exchange, importing, services
    from kyso.jobs.models import Job
    from kyso.jobs.worker import drain
    from kyso.lifecycle.models import Certificate, IssuanceRequest, RequestList
    from kyso.lifecycle.tests.factories import ExternalCa
    from kyso.org.models import Person
    admin = User.objects.get(username="admin")
    people = list(Person.objects.filter(is_active=True).select_related("unit").order_by("pk"))

    # -- issuance onto a fresh SoftHSM token (token init + RSA-2048 key made inside + certificate)
    reqs = []
    with acting_as(admin), transaction.atomic(), audit.action("bench.requests"):
        for p in people[:8]:
            reqs.append(services.file_request(admin, kind="person", person=p))
    ca = exchange.EmbeddedCa()
    t0 = time.perf_counter()
    for req in reqs:
        with acting_as(admin), transaction.atomic():
            ca.submit([req])
    token_rate = len(reqs) / (time.perf_counter() - t0)
    genrsa = _openssl_genrsa_rate()
    report.add("issuance", "embedded CA onto a new SoftHSM token (init, RSA-2048 in token, issue)", token_rate,
               "devices/s", "openssl genrsa 2048", genrsa)

    # -- letter 26 import: 500 rows with their certificate files (PEM), all checked, then written + audited
    ext = ExternalCa()
    n_rows = 500
    lines, uploads = ["Loại,Mã đơn vị,Thư điện tử,Tệp chứng thư,Thiết bị"], []
    pems = []
    for i in range(n_rows):
        p = people[i % len(people)]
        cert = ext.issue(ec.generate_private_key(ec.SECP256R1()).public_key(), p.full_name, p.email)
        pem = cert.public_bytes(serialization.Encoding.PEM)
        pems.append(pem)
        uploads.append((f"c{i}.pem", pem))
        lines.append(f"cá nhân,{p.unit.code},{p.email},c{i}.pem,TK-B{i:05d}")
    register = ("\n".join(lines) + "\n").encode()
    t0 = time.perf_counter()
    with acting_as(admin), transaction.atomic():
        rep = importing.import_register(admin, "so.csv", register, uploads)
    import_rate = rep.imported / (time.perf_counter() - t0)
    # peer: the same rows written in one bulk_create (no checks, no devices, no audit), rolled back
    certs = [x509.load_pem_x509_certificate(d) for d in pems]
    sub = Certificate.objects.first().subscriber

    class _Rollback(Exception):
        pass

    t0 = time.perf_counter()
    try:
        with transaction.atomic():
            Certificate.objects.bulk_create([Certificate(
                serial=f"b{c.serial_number:x}", issuer="CN=peer", subject=c.subject.rfc4514_string(),
                not_before=c.not_valid_before_utc, not_after=c.not_valid_after_utc, kind="person", subscriber=sub,
                source="imported", der=c.public_bytes(serialization.Encoding.DER)) for c in certs])
            raise _Rollback
    except _Rollback:
        pass
    peer_rate = n_rows / (time.perf_counter() - t0)
    report.add("import", f"letter 26 register, {n_rows} rows + files (check, write, device, audit)", import_rate,
               "rows/s", "bulk_create of the same rows (no checks, no audit)", peer_rate)

    # -- Form 02 for a list of 200 requests: PDF vs XLSX of the same rows
    with acting_as(admin), transaction.atomic(), audit.action("bench.list"):
        unit = people[0].unit
        lst = RequestList.objects.create(unit=services.it_center(), number="01/2026/DSPD-BENCH", state="submitted",
                                         is_approval_list=True, created_on=datetime.date.today())
        sub = services._subscriber_for("organization", None, unit)
        for i in range(200):
            IssuanceRequest.objects.create(subscriber=sub, kind="organization", unit=unit, state="in_approval",
                                           full_name=f"Nguyễn Văn Thử {i}", workplace=unit.name,
                                           email=f"thu{i}@vss.gov.vn", submitted_on=lst.created_on, approval_list=lst)
    pdf_rate = timed(lambda: documents.form02_pdf(lst), min_seconds=3, max_iterations=20)
    xlsx_rate = timed(lambda: documents.form02_xlsx(lst), min_seconds=2, max_iterations=50)
    report.add("forms", "Form 02 PDF, 200 rows (official layout, Liberation Serif)", pdf_rate, "docs/s",
               "Form 02 XLSX, same rows", xlsx_rate)

    # -- bulk revocation of 100 imported certificates (per-item transaction, Form 05 archived, audit)
    ids = list(Certificate.objects.filter(status="active").values_list("pk", flat=True)[:100])
    t0 = time.perf_counter()
    with acting_as(admin), transaction.atomic():
        job = bulk.start_revoke_many(admin, ids, reason="d", detail="Bench: đơn vị giải thể")
    drain()                    # what `kyso worker` does beside the server
    job = Job.objects.get(pk=job.pk)
    bulk_rate = job.done / (time.perf_counter() - t0)
    rev = Certificate.objects.get(pk=ids[0]).revocations.get()
    form05_rate = timed(lambda: documents.form05_pdf(rev), min_seconds=2, max_iterations=200)
    report.add("bulk", "revoke 100 certificates (request, confirm, step, Form 05 PDF, audit)", bulk_rate, "certs/s",
               "Form 05 PDF rendering alone", form05_rate, note=f"{job.done} done, {len(job.failures)} failed")
    assert Job.objects.get(pk=job.pk).state == "finished"
