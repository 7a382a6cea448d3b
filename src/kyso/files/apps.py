from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilesConfig(AppConfig):
    """Content-addressed file archive: every stored file keeps its hash and is checked on read."""

    name = "kyso.files"
    label = "files"
    verbose_name = _("File archive")

    def ready(self):
        from kyso.audit.capture import register

        from .models import StoredFile

        register(StoredFile)
