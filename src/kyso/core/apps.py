from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Cross-cutting plumbing: errors, request context, home page, health, CLI serve/demo."""

    name = "kyso.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        # Load the Celery app so that @shared_task binds to Kyso's configuration.
        from kyso.celery import app  # noqa: F401
