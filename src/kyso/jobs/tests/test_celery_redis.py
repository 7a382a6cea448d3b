"""With `KYSO_CELERY_BROKER` set, the same job rows are dispatched through Redis to Celery workers (not polled by
`kyso worker`, which then only keeps the schedule and sends again what nobody took); a Celery worker killed with -9
mid-job is taken over by another from the checkpoint, nothing lost or done twice. Real Redis (skipped when none
answers on 127.0.0.1:6379), real Celery worker processes."""

import os
import signal
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis

from .site import submitted_bulk_revocation
from .test_resume_after_kill import JOB, _items, _job, _revocations

BROKER = "redis://127.0.0.1:6379/13"
N_CERTS = 120


def _redis():
    try:
        client = redis.Redis.from_url(BROKER, socket_connect_timeout=1)
        client.ping()
        return client
    except redis.exceptions.RedisError:
        return None


SETUP = submitted_bulk_revocation(N_CERTS)


def _celery(site, log):
    return site.start_cmd([str(Path(sys.executable).parent / "celery"), "-A", "kyso.celery", "worker", "--pool=solo",
                           "--concurrency=1", "--without-heartbeat", "--without-gossip", "--without-mingle",
                           "--loglevel=WARNING", "-Q", site.env["KYSO_CELERY_QUEUE"]], log=log)


def test_jobs_go_through_redis_to_celery_and_survive_a_killed_celery_worker(site):
    client = _redis()
    if client is None:
        pytest.skip("no Redis answers on 127.0.0.1:6379")
    queue = f"kyso-test-{uuid.uuid4().hex[:8]}"
    site.env.update(KYSO_CELERY_BROKER=BROKER, KYSO_CELERY_QUEUE=queue)
    try:
        job_id = int(site.python(SETUP).splitlines()[-1])
        total = len(_items(site, job_id))
        assert client.llen(queue) == 1                    # announced on Redis at commit, not run anywhere
        assert _job(site, job_id)[0] == "queued"

        scheduler = site.start("worker", "--no-periodic", "--poll", "0.2", log="kyso-worker")
        time.sleep(2)
        assert _job(site, job_id)[0] == "queued"     # `kyso worker` does not run jobs with a broker

        first = _celery(site, "celery-a")
        state = site.wait_for(JOB.format(job_id), lambda r: r[0][1] >= 40, timeout=120)
        assert state[0][4].startswith("celery:")
        time.sleep(0.25)
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        state, position, done, failed, owner, attempts = _job(site, job_id)
        assert state == "running" and position < total and done == position
        assert _revocations(site, job_id) == (done, 0, done)
        killed_at = position

        second = _celery(site, "celery-b")                # the sweep sends the stale job again; B resumes it
        site.wait_for(JOB.format(job_id), lambda r: r[0][0] == "finished", timeout=180)
        state, position, done, failed, owner, attempts = _job(site, job_id)
        assert (position, done, failed, owner) == (total, total, 0, "") and attempts >= 2
        assert _revocations(site, job_id) == (total, 0, total)
        print(f"\ncelery worker killed at {killed_at}/{total}; finished by another: {total} revoked once each")
        for proc in (scheduler, second):
            proc.send_signal(signal.SIGTERM)
    finally:
        client.delete(queue)
