"""The cluster of `make cluster` (two web nodes, two Celery workers, PostgreSQL, Redis) loses nothing and does
nothing twice when a web node and a worker are killed with SIGKILL in the middle of the work (issue 19).

Load at both nodes: I-VAN dossier submissions (each with its Idempotency-Key, retried on the other node when a
node does not answer, as the I-VAN's client or a load balancer would), certificate issuances from CSRs (not
retried: an answer lost with the node is "in doubt") and revocations (retried), while a bulk revocation job runs
on the workers. Half-way, node 2 and the worker holding the job are killed as machines die (the whole process
group). Then: every accepted dossier exists once with its signed receipt readable from the shared archive, no
submission made two dossiers, serials are unique and every accepted issuance and revocation is there exactly
once, the job finished with every item done once, sessions are shared, and `kyso audit verify` passes.

Real processes, real PostgreSQL and Redis; skipped (with the reason) when either does not answer."""

from __future__ import annotations

import hashlib
import json
import random
import socket
import subprocess
import sys
import textwrap
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import psycopg
import pytest
import redis
from asn1crypto import cms
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from kyso.core import cluster as kc

pytestmark = [pytest.mark.cluster, pytest.mark.skipif(bool(kc.unavailable()), reason=f"cluster test: {kc.unavailable()}")]

N_DOSSIERS = 40
N_ISSUES = 30
N_JOB_CERTS = 150
THREADS = 6
TAX = "0109876543"

SETUP = """
import base64, json, sys
from django.db import transaction
from kyso.accounts.models import ApiToken, User
from kyso.core.context import acting_as
from kyso.lifecycle import services as lifecycle
from kyso.lifecycle.models import RequestState
from kyso.lifecycle.tests.factories import ExternalCa, certificate_for, in_state
from kyso.org.models import Person
from kyso.org.models import Unit
from kyso.portal.tests import helpers as h

sub, _issued, _key = h.submitter("ivan.cluster", "ivan", "HN", name="Công ty I-VAN Cụm máy", tax_code="0102519041")
h.register_ivan(sub, "%(tax)s", "Công ty CP Sao Mai")
issued, key = h.holder_certificate("Công ty CP Sao Mai", "MST:%(tax)s")
bodies = [{"procedure": "600", "unit": "HN.BD", "employer": {"tax_code": "%(tax)s", "name": "Công ty CP Sao Mai"},
           "files": [h.b64file("D02-TS.xml", h.signed(h.d02(tax_code="%(tax)s", name="Công ty CP Sao Mai", workers=2 + i %% 5),
                                                      issued, key))]}
          for i in range(%(n)d)]
unit = Unit.objects.get(code="HN.BD")
people = list(unit.people.order_by("pk")[:6])
ca = ExternalCa()
with acting_as(label="test"), transaction.atomic():
    for_job = [certificate_for("person", person=people[i %% len(people)], ca=ca).pk for i in range(%(job)d)]
    tokens = {name: ApiToken.issue(User.objects.get(username=name), "cluster test")[1] for name in ("cntt", "badinh")}
    tokens["ivan"] = ApiToken.issue(sub.user, "cluster test")[1]
# a person's certificate only for an approved Form 01 request: one per issuance, sent to the CA, naming its CN
model = people[0]
officer = User.objects.get(username="badinh")
requests = []
for i in range(%(issues)d):
    with acting_as(label="test"), transaction.atomic():
        person = Person.objects.create(
            full_name="Cluster %(run)s %%04d" %% i, gender=model.gender, birth_date=model.birth_date,
            birth_place=model.birth_place, id_number="%%012d" %% (900000000000 + i), id_issue_date=model.id_issue_date,
            id_issue_place=model.id_issue_place, title=model.title, unit=unit,
            email="cluster.%(run)s.%%04d@vss.gov.vn" %% i)
    with acting_as(officer, channel="cli"), transaction.atomic():
        requests.append(in_state(lifecycle.file_request(officer, kind="person", person=person),
                                 RequestState.SENT_TO_CA).pk)
json.dump({"tokens": tokens, "bodies": bodies, "for_job": for_job, "requests": requests}, open(sys.argv[1], "w"))
"""


def _free_base_port() -> int:
    for _ in range(50):
        base = random.randrange(20000, 40000, 2)
        try:
            for port in (base, base + 1):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
    raise RuntimeError("no free ports")


def _python(cl: kc.Cluster, code: str, *args: str) -> str:
    script = "import django\ndjango.setup()\n" + textwrap.dedent(code)
    out = subprocess.run([sys.executable, "-c", script, *args], env=cl.env("admin"), capture_output=True, text=True,
                         timeout=600)
    assert out.returncode == 0, out.stderr[-4000:]
    return out.stdout.strip()


@dataclass
class Tally:
    sent: int = 0                   # HTTP requests sent (retries included)
    no_answer: int = 0              # requests that got no answer (the node died or refused the connection)
    accepted: dict = field(default_factory=dict)      # dossier key -> code
    replayed: int = 0               # retries answered with the first dossier (Idempotent-Replayed)
    refused: list = field(default_factory=list)       # (what, status, body) of unexpected answers
    issued: dict = field(default_factory=dict)        # CN -> serial
    issue_in_doubt: list = field(default_factory=list)
    revoked: set = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Client:
    """Round-robin over the nodes; a node that does not answer is skipped from then on (a load balancer's
    health check), the request tried again on the other when that is safe."""

    def __init__(self, urls: list[str], tally: Tally):
        self.urls, self.tally, self.down = urls, tally, set()
        self._n = 0

    def _pick(self) -> str:
        with self.tally.lock:
            self._n += 1
            up = [u for u in self.urls if u not in self.down] or self.urls
            return up[self._n % len(up)]

    def post(self, path: str, body: dict, token: str, headers: dict | None = None, node: str | None = None):
        url = node or self._pick()
        req = urllib.request.Request(url + path, data=json.dumps(body).encode(), method="POST", headers={
            "Content-Type": "application/json", "Authorization": f"Token {token}", **(headers or {})})
        with self.tally.lock:
            self.tally.sent += 1
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                return url, r.status, json.loads(r.read() or b"{}"), dict(r.headers)
        except urllib.error.HTTPError as exc:
            return url, exc.code, json.loads(exc.read() or b"{}"), dict(exc.headers)
        except OSError:
            with self.tally.lock:
                self.tally.no_answer += 1
                self.down.add(url)
            return url, None, None, {}


def _csr(cn: str) -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    csr = (x509.CertificateSigningRequestBuilder()
           .subject_name(x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, cn)]))
           .add_extension(x509.SubjectAlternativeName([x509.RFC822Name(f"{cn.replace(' ', '.').lower()}@vss.gov.vn")]),
                          critical=False)
           .sign(key, hashes.SHA256()))
    return csr.public_bytes(serialization.Encoding.PEM).decode()


def _submit(client: Client, token: str, run: str, i: int, body: dict) -> None:
    key = f"cluster-{run}-{i:05d}"
    for _attempt in range(8):
        _url, status, data, headers = client.post("/api/v1/portal/dossiers/", body, token, {"Idempotency-Key": key})
        if status is None:
            time.sleep(0.2)
            continue                       # same key, another node: at most one dossier
        with client.tally.lock:
            if status in (200, 201):
                client.tally.accepted[key] = data["code"]
                client.tally.replayed += headers.get("Idempotent-Replayed") == "true"
            else:
                client.tally.refused.append(("dossier", status, data))
        return
    client.tally.refused.append(("dossier", "no node answered", key))


def _issue_and_revoke(client: Client, token: str, run: str, i: int, request: int) -> None:
    cn = f"Cluster {run} {i:04d}"          # the name of the person the approved request `request` is for
    _url, status, data, _h = client.post("/api/v1/pki/certificates/", {"csr": _csr(cn), "profile": "person", "days": 30,
                                                                       "request": request}, token)
    with client.tally.lock:
        if status is None:
            client.tally.issue_in_doubt.append(cn)
            return
        if status != 201:
            client.tally.refused.append(("issue", status, data))
            return
        client.tally.issued[cn] = serial = data["serial"]
    if i % 2:
        return
    for _attempt in range(8):
        _url, status, data, _h = client.post(f"/api/v1/pki/certificates/{serial}/revoke/",
                                             {"reason": "keyCompromise"}, token)
        if status is None:
            time.sleep(0.2)
            continue
        already = status == 409 and data["error"]["code"] == "pki.cert.already_revoked"   # the lost answer's work
        with client.tally.lock:
            if status == 200 or already:
                client.tally.revoked.add(cn)
            else:
                client.tally.refused.append(("revoke", status, data))
        return


@pytest.fixture
def cluster(tmp_path):
    why = kc.unavailable()
    if why:
        pytest.skip(why)
    run = uuid.uuid4().hex[:8]
    cl = kc.Cluster(tmp_path / "cluster", database=f"kyso_cluster_test_{run}", redis_db=9, queue=f"kyso-test-{run}",
                    base_port=_free_base_port(), gunicorn_workers=2)
    cl.run = run
    try:
        yield cl
    finally:
        cl.stop()
        kc._pg(f"DROP DATABASE IF EXISTS {cl.database} WITH (FORCE)")
        for db in (cl.redis_db, cl.redis_db + 1):             # this run's cache keys, queue and bindings
            client = redis.Redis.from_url(f"{kc.REDIS_SERVER}/{db}")
            for key in client.scan_iter(f"*{cl.queue}*"):
                client.delete(key)


def _sql(cl: kc.Cluster, query: str, *params):
    with psycopg.connect(kc.PG_SERVER + cl.database, autocommit=True) as con:
        return [tuple(r) for r in con.execute(query, params).fetchall()]


def _job(cl, job_id):
    return _sql(cl, "SELECT state, position, done, owner, attempts, items FROM jobs_job WHERE id = %s", job_id)[0]


def _wait(predicate, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(interval)


def test_a_killed_node_and_a_killed_worker_lose_nothing_and_do_nothing_twice(cluster, tmp_path):
    cl, run = cluster, cluster.run
    began = time.monotonic()
    phases = {}
    cl.prepare(fresh=True)
    phases["prepare"] = time.monotonic() - began
    setup_file = tmp_path / "setup.json"
    _python(cl, SETUP % {"tax": TAX, "n": N_DOSSIERS, "job": N_JOB_CERTS, "issues": N_ISSUES, "run": run},
            str(setup_file))
    setup = json.loads(setup_file.read_text())
    tokens = setup["tokens"]
    phases["setup"] = time.monotonic() - began
    t0 = time.monotonic()
    cl.start(nodes=2, workers=2)
    node1, node2 = [p for p in cl.processes if p.kind == "node"]
    workers = {p.popen.pid: p for p in cl.processes if p.kind == "worker"}
    phases["started"] = time.monotonic() - began

    # sessions live in Redis and the database: a login on node 1 is a login on node 2
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    page = opener.open(node1.url + "/accounts/login/").read().decode()
    csrf = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    opener.open(urllib.request.Request(node1.url + "/accounts/login/", data=(
        f"csrfmiddlewaretoken={csrf}&username=cntt&password=Kyso%402026").encode(),
        headers={"Referer": node1.url + "/accounts/login/"}))
    assert opener.open(node2.url + "/").geturl() == node2.url + "/"          # not sent back to the login page

    tally = Tally()
    client = Client([node1.url, node2.url], tally)
    killed = {}

    def killer():
        # a third of the dossiers in: a bulk revocation is submitted on node 1 (answered 202, run by a worker);
        # once it is under way, node 2 and the worker running the job die
        _wait(lambda: len(tally.accepted) >= N_DOSSIERS // 3, 300, "the load to be under way")
        _url, status, job, _h = client.post("/api/v1/lifecycle/certificates/bulk-revoke/", {
            "certificates": setup["for_job"], "reason": "d", "detail": "Đơn vị sáp nhập"}, tokens["badinh"],
            node=node1.url)
        assert status == 202, job
        killed["job_id"] = job["id"]
        _wait(lambda: _job(cl, job["id"])[1] >= N_JOB_CERTS // 4, 120, "the job to be under way", interval=0.05)
        owner = _job(cl, job["id"])[3]
        assert owner.startswith("celery:"), _job(cl, job["id"])[:5]
        victim = workers[int(owner.split(":")[2])]
        node2.kill()
        victim.kill()
        killed.update(job=_job(cl, job["id"]), sent=tally.sent, accepted=len(tally.accepted), worker=victim.name,
                      at=time.monotonic() - t0)

    with ThreadPoolExecutor(THREADS + 1) as pool:
        kill = pool.submit(killer)
        tasks = []
        for i in range(max(N_DOSSIERS, N_ISSUES)):
            if i < N_DOSSIERS:
                tasks.append(pool.submit(_submit, client, tokens["ivan"], run, i, setup["bodies"][i]))
            if i < N_ISSUES:
                tasks.append(pool.submit(_issue_and_revoke, client, tokens["cntt"], run, i, setup["requests"][i]))
        for t in tasks:
            t.result()
        kill.result()
    load_seconds = time.monotonic() - t0
    phases["load"] = time.monotonic() - began

    # the kill happened mid-way: work was still going on and the job was running on the victim
    assert killed and killed["sent"] < tally.sent and killed["accepted"] < N_DOSSIERS
    job_id, job_total = killed["job_id"], N_JOB_CERTS
    state, position, _done, _owner, _attempts, _items = killed["job"]
    assert state == "running" and 0 < position < job_total, killed["job"][:5]
    assert not tally.refused, tally.refused[:3]

    # the job: taken over from its checkpoint by the surviving worker, every item done once
    _wait(lambda: _job(cl, job_id)[0] == "finished", 240, "the bulk revocation job to finish", interval=0.5)
    phases["job"] = time.monotonic() - began
    state, position, done, owner, attempts, items = _job(cl, job_id)
    assert done == position == job_total and attempts >= 2                  # claimed again after the kill
    ids = tuple(int(i) for i in items)
    per_cert = _sql(cl, "SELECT certificate_id, count(*) FROM lifecycle_revocationrequest WHERE certificate_id = ANY(%s) "
                        "GROUP BY certificate_id", list(ids))
    assert len(per_cert) == job_total and {n for _c, n in per_cert} == {1}

    # dossiers: every accepted one exists once, with its signed receipt in the shared archive; no key made two
    assert len(tally.accepted) == N_DOSSIERS
    rows = _sql(cl, "SELECT d.code, k.key FROM portal_dossier d JOIN portal_idempotencykey k ON k.dossier_id = d.id "
                    "WHERE k.key LIKE %s", f"cluster-{run}-%")
    assert sorted(rows) == sorted((code, key) for key, code in tally.accepted.items())
    assert _sql(cl, "SELECT count(*) FROM portal_dossier WHERE submitter_tax_code = %s", TAX)[0][0] == N_DOSSIERS
    receipts = _sql(cl, "SELECT d.code, f.sha256, f.size, r.sha256 FROM portal_dossierdocument doc JOIN portal_dossier d "
                        "ON d.id = doc.dossier_id JOIN files_storedfile f ON f.id = doc.file_id JOIN portal_receipt r "
                        "ON r.document_id = doc.id WHERE doc.kind = 'receipt' AND d.submitter_tax_code = %s", TAX)
    assert sorted(r[0] for r in receipts) == sorted(tally.accepted.values())
    archive = cl.shared / "archive"
    for _code, sha, size, receipt_sha in receipts:
        data = (archive / sha[:2] / sha[2:4] / sha).read_bytes()        # written by whichever node took it
        assert len(data) == size and hashlib.sha256(data).hexdigest() == sha == receipt_sha
        assert cms.ContentInfo.load(data)["content_type"].native == "signed_data"     # the office's sealed receipt
    # within seconds every receipt is in one time-stamped batch (a periodic job, run by the surviving worker)
    unstamped = ("SELECT count(*) FROM portal_receipt r JOIN portal_dossierdocument doc ON doc.id = r.document_id "
                 "JOIN portal_dossier d ON d.id = doc.dossier_id WHERE r.batch_id IS NULL AND d.submitter_tax_code = %s")
    _wait(lambda: _sql(cl, unstamped, TAX)[0][0] == 0, 180, "every receipt to be time-stamped in a batch", interval=1)

    # certificates: serials unique; each accepted issuance once, each in-doubt one at most once
    assert _sql(cl, "SELECT count(*) FROM (SELECT ca_id, serial FROM pki_issuedcertificate GROUP BY ca_id, serial "
                    "HAVING count(*) > 1) AS twice")[0][0] == 0
    made = dict(_sql(cl, "SELECT common_name, count(*) FROM pki_issuedcertificate WHERE common_name LIKE %s "
                         "GROUP BY common_name", f"Cluster {run} %"))
    assert all(made.get(cn) == 1 for cn in tally.issued) and all(made.get(cn, 0) <= 1 for cn in tally.issue_in_doubt)
    assert set(made) <= set(tally.issued) | set(tally.issue_in_doubt)
    status = dict(_sql(cl, "SELECT common_name, status FROM pki_issuedcertificate WHERE common_name LIKE %s",
                       f"Cluster {run} %"))
    assert all(status[cn] == "revoked" for cn in tally.revoked)
    revokes = _sql(cl, "SELECT c.common_name, count(*) FROM audit_auditrecord a JOIN pki_issuedcertificate c "
                       "ON a.object_id = c.id::text WHERE a.action = 'pki.certificate.revoke' AND a.object_type LIKE "
                       "'%%issuedcertificate' AND c.common_name LIKE %s GROUP BY c.common_name", f"Cluster {run} %")
    assert {cn for cn, _n in revokes} == tally.revoked and {n for _cn, n in revokes} <= {1}

    # the audit chain: gap-free, every link and MAC and signed checkpoint verified
    verify = cl.kyso("audit", "verify")          # raises on a non-zero exit
    assert verify.stdout.startswith("OK:"), verify.stdout

    print(f"\ncluster kill test: {tally.sent} requests sent ({tally.no_answer} unanswered, retried when safe), "
          f"{len(tally.accepted)}/{N_DOSSIERS} dossiers accepted ({tally.replayed} replayed), "
          f"{len(tally.issued)} certificates issued ({len(tally.issue_in_doubt)} in doubt, "
          f"{sum(made.get(cn, 0) for cn in tally.issue_in_doubt)} of them made), {len(tally.revoked)} revoked; "
          f"job of {job_total} finished after {attempts} claims; {killed['worker']} and node2 killed at "
          f"{killed['at']:.1f} s after {killed['sent']} requests (job at {killed['job'][1]}/{job_total}); "
          f"lost 0, duplicated 0; load {load_seconds:.0f} s; phases (s from start) "
          + ", ".join(f"{k} {v:.0f}" for k, v in phases.items()))
