"""The one Celery task: run job `job_id` — claimed and checkpointed exactly as `kyso worker` does."""

from celery import shared_task

from . import runner


@shared_task(name="kyso.jobs.run", ignore_result=True, acks_late=True)
def run(job_id: int) -> None:
    owner = f"celery:{runner.worker_name()}"
    job = runner.claim(owner, job_id)
    if job is not None:
        runner.run(job, owner)
