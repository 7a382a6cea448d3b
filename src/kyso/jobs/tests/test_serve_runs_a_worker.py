"""`kyso serve` (what `make run` starts) runs a job worker beside gunicorn: a bulk revocation posted over HTTP is
answered 202 before the work is done, the worker does it; the worker stops with the server — when the server is
stopped, and when it is killed with -9."""

import json
import os
import signal
import socket
import time
import urllib.request
from pathlib import Path

N_CERTS = 150

SETUP = f"""
import json
from django.db import transaction
from kyso import audit
from kyso.core.context import acting_as
from kyso.accounts.models import ApiToken, User
from kyso.lifecycle.tests.factories import ExternalCa, certificate_for
from kyso.org.models import Unit

people = list(Unit.objects.get(code="HN.BD").people.order_by("pk")[:6])
ca = ExternalCa()
ids = [certificate_for("person", person=people[i % len(people)], ca=ca).pk for i in range({N_CERTS})]
with acting_as(label="test", channel="cli"), transaction.atomic(), audit.action("test.token"):
    _token, key = ApiToken.issue(User.objects.get(username="badinh"), "test")
print(json.dumps({{"ids": ids, "key": key}}))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> dict[int, str]:
    """Processes whose parent is `pid`, with their command line."""
    out = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                if ppid == pid:
                    out[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except (OSError, IndexError, ValueError):
                continue
    return out


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _serve(site):
    port = _free_port()
    server = site.start("serve", "--port", str(port), "--workers", "1", log="serve")
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            break
        except OSError:
            assert time.monotonic() < deadline and server.poll() is None, "kyso serve did not start"
            time.sleep(0.3)
    workers = [pid for pid, cmd in _children(server.pid).items() if " worker " in f"{cmd} "]
    assert len(workers) == 1, _children(server.pid)
    return server, port, workers[0]


def _wait_gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while _alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_http_answers_at_once_and_the_served_worker_does_the_work(site):
    data = json.loads(site.python(SETUP).splitlines()[-1])
    server, port, worker = _serve(site)
    body = json.dumps({"certificates": data["ids"], "reason": "d", "detail": "Đơn vị giải thể"}).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/lifecycle/certificates/bulk-revoke/", data=body,
                                 method="POST", headers={"Content-Type": "application/json",
                                                         "Authorization": f"Token {data['key']}"})
    t0 = time.monotonic()
    with urllib.request.urlopen(req, timeout=60) as resp:
        answer = json.loads(resp.read())
        status = resp.status
    answered = time.monotonic() - t0
    revoked_at_answer = site.sql("SELECT count(*) FROM lifecycle_revocationrequest")[0][0]
    assert status == 202 and answer["total"] == N_CERTS and revoked_at_answer < N_CERTS

    site.wait_for(f"SELECT state FROM jobs_job WHERE id = {answer['id']}", lambda r: r[0][0] == "finished",
                  timeout=180, interval=0.2)
    ran = site.sql(f"SELECT (julianday(finished_at) - julianday(started_at)) * 86400, done FROM jobs_job "
                   f"WHERE id = {answer['id']}")[0]
    assert ran[1] == N_CERTS and site.sql("SELECT count(*) FROM lifecycle_revocationrequest")[0][0] == N_CERTS
    assert answered < ran[0]
    print(f"\nHTTP 202 in {answered * 1000:.0f} ms; the served worker revoked {N_CERTS} in {ran[0]:.1f} s")

    server.send_signal(signal.SIGTERM)               # stopping the server stops its worker
    server.wait(timeout=60)
    assert _wait_gone(worker, 30)


def test_a_killed_server_takes_its_worker_along(site):
    server, _port, worker = _serve(site)
    gunicorn_workers = [pid for pid in _children(server.pid) if pid != worker]
    os.kill(server.pid, signal.SIGKILL)
    server.wait()
    try:
        assert _wait_gone(worker, 10)                 # the job worker watches its parent
    finally:
        for pid in gunicorn_workers:                  # gunicorn's own workers are gunicorn's business
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
