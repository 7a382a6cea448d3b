"""Archive renewals: each time Kyso renewed (or could not renew) the long-term proof of an archived signed
record. The renewed document is a new archived file; the old one stays (nothing is deleted, Decision 508)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ArchiveRenewal(models.Model):
    class Outcome(models.TextChoices):
        RENEWED = "renewed", _("Renewed")
        FAILED = "failed", _("Could not be renewed")

    source = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("archived file"))
    renewed = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+", null=True,
                                blank=True, verbose_name=_("renewed file"))
    outcome = models.CharField(pgettext_lazy("archive renewal", "outcome"), max_length=10, choices=Outcome.choices)
    code = models.CharField(max_length=80, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    weak_at = models.DateTimeField(_("last time-stamp strong until"), null=True, blank=True)
    unit_path = models.CharField(max_length=500, blank=True, db_index=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("archive renewal")
        verbose_name_plural = _("archive renewals")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.source.name}: {self.get_outcome_display()}"
