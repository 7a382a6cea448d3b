"""PKI benchmarks: issuance, OCSP (fresh and cached, next to `openssl ocsp` as a responder over
the same CA data), CRL generation for 100 k and 1 M entries, and `openssl speed` as the limit.

Runs against its own SQLite database under bench/results/data (never the test databases).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from bench.run import setup_django, timed

HERE = Path(__file__).resolve().parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def openssl_speed(alg: str, seconds: int = 3) -> float:
    out = subprocess.run(["openssl", "speed", "-seconds", str(seconds), alg], capture_output=True, text=True).stdout
    if alg.startswith("rsa"):
        m = re.search(r"^rsa\s+2048 bits\s+\S+s\s+\S+s\s+([\d.]+)", out, re.M)
    else:
        m = re.search(r"^\s*256 bits ecdsa \(nistp256\)\s+\S+s\s+\S+s\s+([\d.]+)", out, re.M)
    return float(m.group(1)) if m else float("nan")


def _wait_port(port: int, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"port {port} did not open")


def _wait(url: str, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except Exception:  # noqa: BLE001
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def http_rate(url: str, body: bytes, content_type: str, seconds: float = 4.0, threads: int = 4) -> float:
    """Requests per second from `threads` clients, each request on a new connection (as OCSP clients do)."""
    stop = time.time() + seconds
    counts = [0] * threads

    def worker(i):
        while time.time() < stop:
            req = urllib.request.Request(url, data=body, headers={"Content-Type": content_type})
            with urllib.request.urlopen(req, timeout=10) as r:
                r.read()
            counts[i] += 1

    ts = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    start = time.time()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return sum(counts) / (time.time() - start)


def run(report):
    data_dir = HERE / "results" / "data" / "pki"
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["KYSO_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("KYSO_SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
    setup_django()
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509 import ocsp as x509_ocsp
    from django.core.management import call_command
    from django.db import transaction

    from kyso.core.context import acting_as
    from kyso.pki import ca as pki_ca
    from kyso.pki import crl, issuance, ocsp

    call_command("migrate", verbosity=0)
    with acting_as(label="bench"), transaction.atomic():
        issuing = pki_ca.ensure_ca()

    rsa_sign = openssl_speed("rsa2048")
    ec_sign = openssl_speed("ecdsap256")
    report.add("limit", "openssl speed RSA-2048 sign", rsa_sign, "sign/s")
    report.add("limit", "openssl speed ECDSA P-256 sign", ec_sign, "sign/s")

    # -- issuance (RSA-2048 issuing CA; subscriber keys made beforehand, as with CSRs)
    keys = [ec.generate_private_key(ec.SECP256R1()).public_key() for _ in range(300)]
    it = iter(keys)
    subject = issuance.SubjectInfo(common_name="Nguyễn Văn Bench", email="bench@vss.gov.vn", title="Chuyên viên")

    def issue_one():
        with acting_as(label="bench"), transaction.atomic():
            issuance.issue_for_public_key(next(it), "person", subject, 365)

    rate = timed(issue_one, min_seconds=2, max_iterations=250)
    report.add("pki", "issuance (sign + record + audit), RSA-2048 CA", rate, "cert/s", "openssl speed RSA-2048", rsa_sign)

    # -- OCSP in-process: fresh (nonce) vs cached (no nonce)
    with acting_as(label="bench"), transaction.atomic():
        good = issuance.issue_for_public_key(keys[-1], "person", subject, 365)
    req_nonce = (x509_ocsp.OCSPRequestBuilder().add_certificate(good.certificate, issuing.certificate, hashes.SHA1())
                 .add_extension(x509.OCSPNonce(os.urandom(16)), critical=False).build().public_bytes(serialization.Encoding.DER))
    req_plain = (x509_ocsp.OCSPRequestBuilder().add_certificate(good.certificate, issuing.certificate, hashes.SHA1())
                 .build().public_bytes(serialization.Encoding.DER))
    fresh = timed(lambda: ocsp.respond(req_nonce), min_seconds=2)
    cached = timed(lambda: ocsp.respond(req_plain), min_seconds=2)
    report.add("pki", "OCSP response, freshly signed (in-process)", fresh, "resp/s", "openssl speed RSA-2048", rsa_sign)
    report.add("pki", "OCSP response, cached (in-process)", cached, "resp/s", "freshly signed", fresh)

    # -- OCSP over HTTP: Kyso (gunicorn, 2 workers) vs `openssl ocsp` as a responder, same CA data
    tmp = Path(tempfile.mkdtemp(prefix="kyso-bench-ocsp-"))
    responder_row, responder_key = pki_ca.responder(issuing, "ocsp")
    (tmp / "rsigner.pem").write_bytes(responder_row.pem)
    (tmp / "rkey.pem").write_bytes(responder_key.private_key().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    (tmp / "ca.pem").write_bytes(issuing.pem)
    lines = []
    for c in issuing.issued.all()[:5000]:
        exp = c.not_after.strftime("%y%m%d%H%M%SZ")
        serial = c.serial.upper()
        serial = serial if len(serial) % 2 == 0 else "0" + serial
        rev = c.revoked_at.strftime("%y%m%d%H%M%SZ") if c.revoked_at else ""
        lines.append(f"{'R' if rev else 'V'}\t{exp}\t{rev}\t{serial}\tunknown\t/CN=x")
    (tmp / "index.txt").write_text("\n".join(lines) + "\n")
    (tmp / "index.txt.attr").write_text("unique_subject = no\n")
    op_port, k_port = _free_port(), _free_port()
    openssl_proc = subprocess.Popen(["openssl", "ocsp", "-index", str(tmp / "index.txt"), "-port", str(op_port),
                                     "-rsigner", str(tmp / "rsigner.pem"), "-rkey", str(tmp / "rkey.pem"),
                                     "-CA", str(tmp / "ca.pem"), "-multi", "2", "-nmin", "240"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = {**os.environ, "KYSO_DATA_DIR": str(data_dir)}
    kyso_proc = subprocess.Popen([sys.executable, "-m", "kyso.cli", "serve", "--port", str(k_port), "--workers", "2",
                                  "--no-scheduler"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.0)
        _wait(f"http://127.0.0.1:{k_port}/healthz")
        _wait_port(op_port)
        op_rate = http_rate(f"http://127.0.0.1:{op_port}/", req_nonce, "application/ocsp-request")
        k_fresh = http_rate(f"http://127.0.0.1:{k_port}/pki/ocsp", req_nonce, "application/ocsp-request")
        k_cached = http_rate(f"http://127.0.0.1:{k_port}/pki/ocsp", req_plain, "application/ocsp-request")
        report.add("pki", "OCSP over HTTP, Kyso freshly signed (2 workers)", k_fresh, "resp/s", "openssl ocsp -multi 2", op_rate)
        report.add("pki", "OCSP over HTTP, Kyso cached (2 workers)", k_cached, "resp/s", "openssl ocsp -multi 2", op_rate)
    finally:
        subprocess.run(["pkill", "-TERM", "-P", str(openssl_proc.pid)])  # -multi forks responder children
        openssl_proc.terminate()
        kyso_proc.terminate()
        openssl_proc.wait(10)
        kyso_proc.wait(10)

    # -- CRL generation for 100 k and 1 M revoked entries (entries built, then signed)
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    for n in (100_000, 1_000_000):
        t0 = time.perf_counter()
        entries = [x509.RevokedCertificateBuilder().serial_number(x509.random_serial_number()).revocation_date(now)
                   .add_extension(x509.CRLReason(x509.ReasonFlags.key_compromise), critical=False).build()
                   for _ in range(n)]
        t1 = time.perf_counter()
        der, *_rest = crl.build(issuing, revoked=entries)
        t2 = time.perf_counter()
        report.add("pki", f"CRL of {n:,} entries: build entries", t1 - t0, "s")
        report.add("pki", f"CRL of {n:,} entries: assemble + sign", t2 - t1, "s", note=f"{len(der) / 1e6:.1f} MB DER")
        del entries

    # -- CRL from the database path (100 k revoked rows) — what a real publication costs
    from kyso.pki.models import CertStatus, IssuedCertificate

    if issuing.issued.filter(status=CertStatus.REVOKED).count() < 100_000:
        proto = good
        batch = []
        for i in range(100_000):
            batch.append(IssuedCertificate(ca=issuing, serial=format(x509.random_serial_number(), "x"), profile="person",
                                           subject_dn="CN=bench", common_name="bench", not_before=proto.not_before,
                                           not_after=proto.not_after, der=b"", fingerprint=os.urandom(32).hex(),
                                           status=CertStatus.REVOKED, revoked_at=now, revocation_reason="superseded"))
        with transaction.atomic():
            IssuedCertificate.objects.bulk_create(batch, batch_size=5000)
    t0 = time.perf_counter()
    der = crl.current("issuing", force=True)
    report.add("pki", "CRL publication from the database, 100 k revoked", time.perf_counter() - t0, "s",
               note=f"{len(der) / 1e6:.1f} MB")

