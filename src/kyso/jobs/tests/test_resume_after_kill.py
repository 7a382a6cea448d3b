"""A worker killed with -9 in the middle of a job: another worker takes the job over once the heartbeat is stale
and finishes it from the last checkpoint — every certificate revoked exactly once, its Form 05 archived once,
nothing lost, the audit trail intact. Real worker processes on SQLite (the claim a conditional UPDATE) and on
PostgreSQL (FOR UPDATE SKIP LOCKED)."""

import json
import os
import signal
import time

from .site import submitted_bulk_revocation

N_CERTS = 240

SETUP = submitted_bulk_revocation(N_CERTS)

JOB = "SELECT state, position, done, failures, owner, attempts FROM jobs_job WHERE id = {}"


def _job(site, job_id):
    state, position, done, failures, owner, attempts = site.sql(JOB.format(job_id))[0]
    failures = json.loads(failures) if isinstance(failures, str) else failures
    return state, position, done, len(failures), owner, attempts


def _items(site, job_id):
    items = site.sql(f"SELECT items FROM jobs_job WHERE id = {job_id}")[0][0]
    return json.loads(items) if isinstance(items, str) else items


def _revocations(site, job_id):
    """(revocation requests of the job's certificates, certificates revoked more than once, Forms 05 archived)."""
    ids = ", ".join(str(int(i)) for i in _items(site, job_id))
    total = site.sql(f"SELECT count(*) FROM lifecycle_revocationrequest WHERE certificate_id IN ({ids})")[0][0]
    twice = site.sql(f"SELECT count(*) FROM (SELECT certificate_id FROM lifecycle_revocationrequest "
                     f"WHERE certificate_id IN ({ids}) GROUP BY certificate_id HAVING count(*) > 1) AS twice")[0][0]
    forms = site.sql(f"SELECT count(*) FROM lifecycle_record WHERE form = '05' AND subject_id IN "
                     f"(SELECT id FROM lifecycle_revocationrequest WHERE certificate_id IN ({ids}))")[0][0]
    return total, twice, forms


def test_a_killed_worker_s_job_is_finished_by_another_from_its_checkpoint(any_site):
    site = any_site
    job_id = int(site.python(SETUP).splitlines()[-1])
    total = len(_items(site, job_id))
    assert total >= N_CERTS
    assert _revocations(site, job_id) == (0, 0, 0)            # submitted, nothing done yet

    first = site.start("worker", "--no-periodic", "--poll", "0.2", log="first")
    site.wait_for(JOB.format(job_id), lambda r: r[0][1] >= 60)
    time.sleep(0.25)                                          # into the next chunk (20 certificates, ~0.5 s)
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    state, position, done, failed, owner, attempts = _job(site, job_id)
    assert state == "running" and owner and 60 <= position < total and attempts == 1
    # exactly the checkpoint's work is there: nothing of the chunk in progress, nothing missing
    assert _revocations(site, job_id) == (done, 0, done) and failed == 0 and done == position
    killed_at = position

    # two workers compete for the job left behind: one takes it over, the other finds nothing to claim
    second = site.start("worker", "--no-periodic", "--poll", "0.2", log="second")
    third = site.start("worker", "--no-periodic", "--poll", "0.2", log="third")
    site.wait_for(JOB.format(job_id), lambda r: r[0][0] == "finished", timeout=180)
    state, position, done, failed, owner, attempts = _job(site, job_id)
    assert (position, done, failed, owner, attempts) == (total, total, 0, "", 2)
    assert _revocations(site, job_id) == (total, 0, total)    # every certificate once, each with its Form 05
    assert site.sql("SELECT count(*) FROM jobs_joblock")[0][0] == 0
    for proc in (second, third):
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    print(f"\n{site.database or 'sqlite'}: kill -9 at {killed_at}/{total}; resumed and finished: {total} revoked once each")
    verify = site.kyso("audit", "verify", check=False)
    assert verify.returncode == 0, verify.stdout + verify.stderr

