from django.db import models
from django.utils.translation import gettext_lazy as _

from kyso.core.errors import InvalidState


class StoredFile(models.Model):
    """A file in the archive, named by its SHA-256. Never deleted (Decision 508 Art. 9.4, 10.7)."""

    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.BigIntegerField()
    media_type = models.CharField(max_length=120)
    name = models.CharField(_("file name"), max_length=255)
    purpose = models.CharField(_("purpose"), max_length=60, blank=True, db_index=True)
    unit_path = models.CharField(max_length=500, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150, blank=True)

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")

    def __str__(self):
        return f"{self.name} ({self.sha256[:12]}…)"

    def delete(self, *args, **kwargs):
        raise InvalidState("files.no_delete", _("Archived files are never deleted."))


class Blob(models.Model):
    """Archived bytes kept in the database (`KYSO_ARCHIVE=db`), by content address."""

    name = models.CharField(max_length=200, primary_key=True)
    size = models.BigIntegerField()
    data = models.BinaryField()

    class Meta:
        verbose_name = _("archived bytes")
        verbose_name_plural = _("archived bytes")
