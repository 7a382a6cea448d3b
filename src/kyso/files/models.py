import re

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kyso.core.errors import InvalidState


# What a stored file is for, in words (the audit trail shows a file's purpose; issue 17): the codes the apps store.
PURPOSES = {
    "eoffice.draft": _("draft of an outgoing document"),
    "eoffice.prepared": _("outgoing document prepared for signing"),
    "eoffice.signed": _("outgoing document signed by the leader"),
    "eoffice.issued": _("issued outgoing document (sealed and numbered)"),
    "eoffice.attachment": _("attachment of an outgoing document"),
    "eoffice.attachment.issued": _("issued attachment of an outgoing document"),
    "eoffice.incoming": _("incoming document"),
    "eoffice.incoming.attachment": _("attachment of an incoming document"),
    "eoffice.verification": _("signature verification report"),
    "mobile.to_sign": _("document sent for signing on the phone"),
    "mobile.signed": _("document signed on the phone"),
    "portal.dossier": _("file of an e-dossier"),
    "portal.scan": _("scanned barcode of a dossier"),
    "portal.receipt": _("receipt and appointment slip"),
    "portal.supplement": _("request to supplement a dossier"),
    "portal.apology": _("apology for a late result"),
    "portal.refusal": _("refusal of a dossier"),
    "portal.result": _("result of a dossier"),
    "portal.control": _("dossier control slip"),
    "signing.signature_image": _("image of a signature"),
    "signing.seal_image": _("image of a seal"),
    "signing.renewed": _("archived document with a renewed time-stamp"),
}
_FORM = re.compile(r"^lifecycle\.form(\d\d)$")


def purpose_label(code: str) -> str:
    """A stored purpose code in words; an app's code not listed here still reads as a kind of file."""
    if code in PURPOSES:
        return str(PURPOSES[code])
    form = _FORM.match(code or "")
    if form:
        return gettext("Form %(number)s") % {"number": form.group(1)}
    if (code or "").startswith("lifecycle."):
        return gettext("attachment of a certificate request")
    if (code or "").startswith("jobs."):
        return gettext("file of an import job")
    return gettext("archived file") if code else "—"


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

    audit_words = {"purpose": purpose_label}

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
