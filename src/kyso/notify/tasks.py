"""The notification task, found here by Celery's and the job registry's discovery of `tasks` modules."""

from .services import deliver_task as deliver  # noqa: F401
