"""PKI benchmarks: issuance, OCSP (fresh and cached, next to `openssl ocsp` as a responder over
the same CA data), CRL generation for 100 k and 1 M entries, and `openssl speed` as the limit.

Runs against its own SQLite database under bench/results/data (never the test databases).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from statistics import median
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


def ab_rate(url: str, body_file: Path, requests: int, concurrency: int = 8) -> float:
    """Responses per second measured by ApacheBench (a new connection per request, as OCSP clients do)."""
    out = subprocess.run(["ab", "-r", "-s", "10", "-n", str(requests), "-c", str(concurrency), "-p", str(body_file),
                          "-T", "application/ocsp-request", url], capture_output=True, text=True, timeout=300).stdout
    done = re.search(r"^Complete requests:\s+(\d+)", out, re.M)
    failed = re.search(r"^Failed requests:\s+(\d+)", out, re.M)
    rate = re.search(r"^Requests per second:\s+([\d.]+)", out, re.M)
    if not (done and rate and int(done.group(1)) == requests and failed and int(failed.group(1)) == 0
            and "Non-2xx" not in out):
        raise RuntimeError(f"ab against {url} did not complete cleanly:\n{out[-1500:]}")
    return float(rate.group(1))


def tree_cpu(root: int) -> float:
    """CPU seconds (user + system) used so far by process `root` and its descendants (Linux /proc)."""
    children: dict[int, list[tuple[int, int]]] = {}
    own = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        ticks = int(fields[11]) + int(fields[12])
        children.setdefault(int(fields[1]), []).append((int(entry), ticks))
        if int(entry) == root:
            own = ticks
    total, todo = own, [root]
    while todo:
        for pid, ticks in children.get(todo.pop(), []):
            total += ticks
            todo.append(pid)
    return total / os.sysconf("SC_CLK_TCK")


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
    from kyso.pki import bootstrap
    from kyso.pki import crl, issuance, ocsp

    call_command("migrate", verbosity=0)
    with acting_as(label="bench"), transaction.atomic():
        issuing = bootstrap.ensure_ca()

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
    report.add("pki", "OCSP response, pre-signed (in-process)", cached, "resp/s", "freshly signed", fresh)

    # -- OCSP over HTTP under `ab -c 8`: Kyso as `kyso serve` runs it (gunicorn, 2 workers) next to
    #    `openssl ocsp -multi 2` with the same responder certificate and key; six interleaved rounds, medians kept
    if shutil.which("ab") is None:
        print("  (OCSP over HTTP skipped: ApacheBench `ab` is not installed — apt-get install apache2-utils)")
    else:
        _ocsp_over_http(report, issuing, good, req_plain, req_nonce, data_dir)

    _crl(report, issuing, good)


def _ocsp_over_http(report, issuing, good, req_plain, req_nonce, data_dir):
    from cryptography.hazmat.primitives import serialization
    from cryptography.x509 import ocsp as x509_ocsp

    from kyso.pki import ca as pki_ca

    tmp = Path(tempfile.mkdtemp(prefix="kyso-bench-ocsp-"))
    responder_row, responder_key = pki_ca.responder(issuing, "ocsp")
    (tmp / "rsigner.pem").write_bytes(responder_row.pem)
    (tmp / "rkey.pem").write_bytes(responder_key.private_key().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    (tmp / "ca.pem").write_bytes(issuing.pem)
    (tmp / "plain.der").write_bytes(req_plain)
    (tmp / "nonce.der").write_bytes(req_nonce)
    lines = []
    for c in issuing.issued.all()[:5000]:
        exp = c.not_after.strftime("%y%m%d%H%M%SZ")
        serial = c.serial.upper()
        serial = serial if len(serial) % 2 == 0 else "0" + serial
        rev = c.revoked_at.strftime("%y%m%d%H%M%SZ") if c.revoked_at else ""
        lines.append(f"{'R' if rev else 'V'}\t{exp}\t{rev}\t{serial}\tunknown\t/CN=x")
    (tmp / "index.txt").write_text("\n".join(lines) + "\n")
    (tmp / "index.txt.attr").write_text("unique_subject = no\n")
    k_port = _free_port()
    # every nonce signed afresh, as openssl's responder does: one address (ab's) would otherwise be served the
    # pre-signed answer past KYSO_OCSP_NONCE_RATE_PER_MINUTE
    env = {**os.environ, "KYSO_DATA_DIR": str(data_dir), "KYSO_OCSP_NONCE_RATE_PER_MINUTE": "0"}
    kyso_proc = subprocess.Popen([sys.executable, "-m", "kyso.cli", "serve", "--port", str(k_port), "--workers", "2",
                                  "--no-worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    cpu = {"op_plain": [], "k_plain": [], "op_nonce": [], "k_fresh": []}  # server CPU per response (µs), all runs

    def openssl_rate(body_file: Path, requests: int, cpu_key: str = "") -> float:
        # a fresh responder for each run: OpenSSL 3.0's `ocsp -multi` children can spin on a connection ab dropped
        # (ab then stops short): such a run is started again, at most twice
        for attempt in range(3):
            port = _free_port()
            proc = subprocess.Popen(["openssl", "ocsp", "-index", str(tmp / "index.txt"), "-port", str(port),
                                     "-rsigner", str(tmp / "rsigner.pem"), "-rkey", str(tmp / "rkey.pem"),
                                     "-CA", str(tmp / "ca.pem"), "-multi", "2", "-nmin", "240"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                _wait_port(port)
                before = tree_cpu(proc.pid)
                rate = ab_rate(f"http://127.0.0.1:{port}/", body_file, requests)
                if cpu_key:
                    cpu[cpu_key].append((tree_cpu(proc.pid) - before) / requests * 1e6)
                return rate
            except RuntimeError:
                if attempt == 2:
                    raise
            finally:
                subprocess.run(["pkill", "-TERM", "-P", str(proc.pid)])  # -multi forks responder children
                proc.terminate()
                proc.wait(10)
        raise AssertionError("unreachable")

    def kyso_rate(url: str, body_file: Path, requests: int, cpu_key: str = "") -> float:
        before = tree_cpu(kyso_proc.pid)
        rate = ab_rate(url, body_file, requests)
        if cpu_key:
            cpu[cpu_key].append((tree_cpu(kyso_proc.pid) - before) / requests * 1e6)
        return rate

    try:
        _wait(f"http://127.0.0.1:{k_port}/healthz", timeout=120)
        kyso_url = f"http://127.0.0.1:{k_port}/pki/ocsp"
        for body in (req_plain, req_nonce):  # both answer "good" before anything is timed
            with urllib.request.urlopen(urllib.request.Request(kyso_url, data=body, headers={
                    "Content-Type": "application/ocsp-request"}), timeout=10) as r:
                resp = x509_ocsp.load_der_ocsp_response(r.read())
            assert resp.certificate_status == x509_ocsp.OCSPCertStatus.GOOD
        ab_rate(kyso_url, tmp / "plain.der", 500)  # warm both workers
        # six rounds, the order of the two servers swapped every round: the machine's other load comes and goes,
        # the best run of each is kept and the ratio of each round's pair is noted
        runs = {"op_plain": [], "k_plain": [], "op_nonce": [], "k_fresh": []}
        for number in range(6):
            steps = [("op_plain", lambda: openssl_rate(tmp / "plain.der", 3000, "op_plain")),
                     ("k_plain", lambda: kyso_rate(kyso_url, tmp / "plain.der", 10000, "k_plain")),
                     ("op_nonce", lambda: openssl_rate(tmp / "nonce.der", 2500, "op_nonce")),
                     ("k_fresh", lambda: kyso_rate(kyso_url, tmp / "nonce.der", 2500, "k_fresh"))]
            if number % 2:
                steps = [steps[1], steps[0], steps[3], steps[2]]
            for key, measure in steps:
                runs[key].append(measure())
        # the machine is shared: one run of either server can land in a quiet or a busy moment, so each row gives
        # the median of its six runs, with the best runs and each round's ratio (pairs measured back to back) noted
        mid = {key: median(values) for key, values in runs.items()}

        def spread(ours: str, theirs: str) -> str:
            ratios = sorted(a / b for a, b in zip(runs[ours], runs[theirs]))
            return (f"medians of 6 interleaved runs; best runs {max(runs[ours]):.0f} vs {max(runs[theirs]):.0f}/s "
                    f"({max(runs[ours]) / max(runs[theirs]):.2f}); each round's ratio " + ", ".join(f"{r:.2f}" for r in ratios))

        report.add("pki", "OCSP over HTTP, Kyso pre-signed (kyso serve, 2 workers, ab -c 8)", mid["k_plain"], "resp/s",
                   "openssl ocsp -multi 2", mid["op_plain"], note="target ≥ 2; " + spread("k_plain", "op_plain"))
        report.add("pki", "OCSP over HTTP, Kyso freshly signed, nonce (kyso serve, ab -c 8)", mid["k_fresh"], "resp/s",
                   "openssl ocsp -multi 2, nonce", mid["op_nonce"], note="target ≥ 1; " + spread("k_fresh", "op_nonce"))
        # the same runs by the servers' CPU per response (the rates above also carry the machine's other load)
        report.add("pki", "OCSP over HTTP, pre-signed: server CPU per response, µs (median of runs; ratio < 1 is "
                   "cheaper)", median(cpu["k_plain"]), "µs", "openssl ocsp -multi 2", median(cpu["op_plain"]))
        report.add("pki", "OCSP over HTTP, freshly signed: server CPU per response, µs (median of runs; ratio < 1 is "
                   "cheaper)", median(cpu["k_fresh"]), "µs", "openssl ocsp -multi 2, nonce", median(cpu["op_nonce"]))
    finally:
        kyso_proc.terminate()
        kyso_proc.wait(20)


def _crl(report, issuing, good):
    from cryptography import x509
    from django.db import transaction

    from kyso.pki import crl
    from kyso.pki.models import CertStatus, IssuedCertificate

    # -- CRL of 1 M entries: hand-encoded entries + one signature, next to cryptography's objects and builder
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    n = 1_000_000
    serials = [format(x509.random_serial_number(), "x") for _ in range(n)]
    walls, cpus = [], []
    for _attempt in range(3):  # best of three (the machine's other load comes and goes); CPU time noted
        t0, c0 = time.perf_counter(), time.process_time()
        der, *_rest = crl.build(issuing, entries_der=crl.encode_entries((s, now, "keyCompromise", None) for s in serials))
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    ours = min(walls)
    assert len(x509.load_der_x509_crl(der)) == n
    t0 = time.perf_counter()
    entries = [x509.RevokedCertificateBuilder().serial_number(int(s, 16)).revocation_date(now)
               .add_extension(x509.CRLReason(x509.ReasonFlags.key_compromise), critical=False).build() for s in serials]
    their_der, *_rest = crl.build(issuing, revoked=entries)
    theirs = time.perf_counter() - t0
    del entries, serials
    report.add("pki", "CRL of 1,000,000 entries built and signed, seconds", ours, "s",
               "cryptography objects + CertificateRevocationListBuilder", theirs,
               note=f"{len(der) / 1e6:.1f} MB DER; target < 5 s; ratio < 1 is faster; ours best of 3 "
                    f"({', '.join(f'{w:.1f}' for w in walls)} s; CPU {min(cpus):.2f} s), the builder once")

    # -- CRL publication from the database (100 k revoked rows streamed, encoded, signed, written)
    if issuing.issued.filter(status=CertStatus.REVOKED).count() < 100_000:
        batch = []
        for _ in range(100_000):
            batch.append(IssuedCertificate(ca=issuing, serial=format(x509.random_serial_number(), "x"), profile="person",
                                           subject_dn="CN=bench", common_name="bench", not_before=good.not_before,
                                           not_after=good.not_after, der=b"", fingerprint=os.urandom(32).hex(),
                                           status=CertStatus.REVOKED, revoked_at=now, revocation_reason="superseded"))
        with transaction.atomic():
            IssuedCertificate.objects.bulk_create(batch, batch_size=5000)
    t0 = time.perf_counter()
    der = crl.current("issuing", force=True)
    report.add("pki", "CRL publication from the database, 100 k revoked", time.perf_counter() - t0, "s",
               note=f"{len(der) / 1e6:.1f} MB")
