"""The single-machine scheduler runs the periodic jobs that Celery beat runs in production."""

import pytest

from kyso.audit.models import Checkpoint
from kyso.core.scheduler import run_forever


@pytest.mark.django_db(transaction=True)
def test_scheduler_runs_due_jobs_once(demo):
    run_forever(once=True)
    assert Checkpoint.objects.exists()
