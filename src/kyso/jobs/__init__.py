"""Background work that survives: jobs are rows in the database that a worker (`kyso worker`, or Celery
on Redis with `KYSO_CELERY_BROKER`) claims, runs chunk by chunk with a checkpoint per chunk, resumes after a
crash, and never runs twice at once on the same records; periodic jobs record their last run here too.

Domain apps register their job kinds and periodic jobs in their wiring (`kyso.jobs.registry`) and submit
work with `kyso.jobs.submit.submit()`; nothing long runs inside an HTTP request."""
