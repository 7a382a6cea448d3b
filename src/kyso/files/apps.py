from django.utils.translation import gettext_lazy as _

from kyso.core import appconfig


class FilesConfig(appconfig.KysoAppConfig):
    """Content-addressed file archive: every stored file keeps its hash and is checked on read."""

    name = "kyso.files"
    label = "files"
    verbose_name = _("File archive")
