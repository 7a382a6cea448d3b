"""Outgoing and incoming official documents, their books (registers) and their history.

An outgoing document belongs to the issuing organisation (a unit with its own seal); it is drafted, reviewed,
signed by the competent leader, sealed and numbered by the clerk, then dispatched. Each recipient unit inside
Kyso gets an incoming document, registered in its incoming book with the verification report made on arrival
(Decision 508, Art. 8.8). Nothing is deleted."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kyso.core.errors import InvalidState


class DocType(models.TextChoices):
    """Decree 30/2020, Appendix III: the kinds of administrative document and their abbreviations."""

    CONG_VAN = "CV", _("Official letter")
    QUYET_DINH = "QĐ", _("Decision")
    THONG_BAO = "TB", _("Notice")
    KE_HOACH = "KH", _("Plan")
    BAO_CAO = "BC", _("Report")
    TO_TRINH = "TTr", _("Submission")
    GIAY_MOI = "GM", _("Invitation")
    HUONG_DAN = "HD", _("Guidance")


TITLES = {"QĐ": "QUYẾT ĐỊNH", "TB": "THÔNG BÁO", "KH": "KẾ HOẠCH", "BC": "BÁO CÁO", "TTr": "TỜ TRÌNH",
          "GM": "GIẤY MỜI", "HD": "HƯỚNG DẪN", "CV": ""}


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")             # Khẩn
    VERY_URGENT = "very_urgent", _("Very urgent")  # Thượng khẩn
    EXPRESS = "express", _("Express")          # Hỏa tốc


class OutgoingState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    TO_SIGN = "to_sign", _("Waiting for the leader's signature")
    SIGNING = "signing", _("Waiting for confirmation on the phone")
    SIGNED = "signed", _("Signed by the leader")
    ISSUED = "issued", _("Sealed and numbered")
    DISPATCHED = "dispatched", _("Dispatched")


# How the leader signed, in words (the document keeps the code in `signed_via`).
SIGNED_VIA = {"token": _("with his USB token"), "sim": _("on his PKI SIM"), "app": _("with his remote key (app)")}


class OutgoingDocument(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="outgoing_documents",
                             verbose_name=_("issuing organisation"))
    drafting_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("drafting unit"))
    doc_type = models.CharField(_("kind"), max_length=4, choices=DocType.choices, default=DocType.CONG_VAN)
    subject = models.CharField(_("summary"), max_length=500)
    urgency = models.CharField(_("urgency"), max_length=12, choices=Urgency.choices, default=Urgency.NORMAL)
    state = models.CharField(_("state"), max_length=12, choices=OutgoingState.choices, default=OutgoingState.DRAFT,
                             db_index=True)
    version = models.PositiveIntegerField(default=1)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                                 blank=True, verbose_name=_("reviewer"))
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("signing leader"))
    signer_title = models.CharField(_("signer's title"), max_length=150)
    caption = models.CharField(_("caption"), max_length=5, blank=True,
                               help_text=_("KT., TL. or TUQ. when signing on behalf of the head."))
    on_behalf_of = models.CharField(_("on behalf of"), max_length=150, blank=True)
    draft = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+")
    signed_file = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+", null=True,
                                    blank=True)
    issued_file = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+", null=True,
                                    blank=True)
    signed_via = models.CharField(max_length=10, blank=True)   # token | app | sim
    signature_request = models.ForeignKey("mobile.SignatureRequest", on_delete=models.PROTECT, null=True,
                                          blank=True, related_name="+")
    deferred = models.JSONField(default=dict, blank=True)      # a prepared signature waiting for the phone
    pending_pdf = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+", null=True,
                                    blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    number = models.PositiveIntegerField(null=True, blank=True)
    symbol = models.CharField(_("symbol"), max_length=60, blank=True)
    issued_on = models.DateField(pgettext_lazy("document", "issue date"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                                  blank=True)
    external_recipients = models.TextField(_("recipients outside Kyso"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    audit_words = {"signed_via": SIGNED_VIA}

    class Meta:
        verbose_name = _("outgoing document")
        verbose_name_plural = _("outgoing documents")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["unit", "year", "number"], name="eoffice_out_number_unique",
                                               condition=models.Q(number__isnull=False))]

    def __str__(self):
        return self.number_symbol or f"{self.get_doc_type_display()} — {self.subject[:60]}"

    @property
    def number_symbol(self) -> str:
        return f"{self.number}/{self.symbol}" if self.number else ""

    @property
    def unit_path(self) -> str:
        return self.unit.path

    @property
    def signed_via_label(self) -> str:
        return str(SIGNED_VIA.get(self.signed_via, self.signed_via))

    def delete(self, *args, **kwargs):
        raise InvalidState("eoffice.no_delete", _("Documents are never deleted."))


class Recipient(models.Model):
    """A unit inside Kyso that receives the document; it becomes an incoming document there on dispatch."""

    document = models.ForeignKey(OutgoingDocument, on_delete=models.PROTECT, related_name="recipients")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    incoming = models.OneToOneField("IncomingDocument", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["document", "unit"], name="eoffice_recipient_unique")]


class IncomingState(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    ASSIGNED = "assigned", _("Assigned")
    DONE = "done", _("Handled")


class IncomingDocument(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="incoming_documents",
                             verbose_name=_("receiving unit"))
    year = models.PositiveSmallIntegerField()
    arrival_number = models.PositiveIntegerField(_("arrival number"))
    received_at = models.DateTimeField(_("received at"))
    source = models.ForeignKey(OutgoingDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    sender = models.CharField(_("sender"), max_length=255)
    original_number = models.CharField(_("number and symbol"), max_length=80, blank=True)
    original_date = models.DateField(_("date of the document"), null=True, blank=True)
    doc_type = models.CharField(_("kind"), max_length=4, choices=DocType.choices, default=DocType.CONG_VAN)
    subject = models.CharField(_("summary"), max_length=500)
    urgency = models.CharField(_("urgency"), max_length=12, choices=Urgency.choices, default=Urgency.NORMAL)
    file = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+")
    indication = models.CharField(_("verification"), max_length=20)
    sub_indication = models.CharField(max_length=60, blank=True)
    report = models.JSONField(default=dict)
    report_pdf = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+", null=True,
                                   blank=True)
    state = models.CharField(_("state"), max_length=12, choices=IncomingState.choices,
                             default=IncomingState.REGISTERED, db_index=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                      null=True, blank=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                                 blank=True, verbose_name=_("handled by"))
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                                    blank=True)
    due_date = models.DateField(_("due"), null=True, blank=True)
    instructions = models.TextField(_("instructions"), blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("incoming document")
        verbose_name_plural = _("incoming documents")
        ordering = ["-received_at"]
        constraints = [models.UniqueConstraint(fields=["unit", "year", "arrival_number"],
                                               name="eoffice_in_number_unique")]

    def __str__(self):
        return f"{self.arrival_number}/{self.year} — {self.subject[:60]}"

    @property
    def unit_path(self) -> str:
        return self.unit.path

    @property
    def verified(self) -> bool:
        return self.indication == "TOTAL_PASSED"

    def delete(self, *args, **kwargs):
        raise InvalidState("eoffice.no_delete", _("Documents are never deleted."))


class BookCounter(models.Model):
    """The last number given in a unit's outgoing or incoming book for a year (numbers restart each 1 January,
    Decree 30 Art. 15)."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    book = models.CharField(max_length=3)       # out | in
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "book", "year"], name="eoffice_book_unique")]


EVENT_VERBS = {  # the history of a document in words (issue 17)
    "drafted": pgettext_lazy("document history", "Drafted"),
    "submitted": pgettext_lazy("document history", "Submitted for approval"),
    "approved": pgettext_lazy("document history", "Approved"),
    "signed": pgettext_lazy("document history", "Signed"),
    "issued": pgettext_lazy("document history", "Issued"),
    "dispatched": pgettext_lazy("document history", "Dispatched to the recipients"),
    "replaced": pgettext_lazy("document history", "Replaced"),
    "registered": pgettext_lazy("document history", "Registered in the book of incoming documents"),
    "assigned": pgettext_lazy("document history", "Assigned for handling"),
    "done": pgettext_lazy("document history", "Handled"),
    "phone_requested": pgettext_lazy("document history", "Sent to the phone for signing"),
    "phone_failed": pgettext_lazy("document history", "Signing on the phone failed"),
    "phone_signed": pgettext_lazy("document history", "Signed on the phone"),
    "phone_refused": pgettext_lazy("document history", "Refused on the phone"),
    "phone_expired": pgettext_lazy("document history", "Expired on the phone"),
    "phone_pending": pgettext_lazy("document history", "Waiting for the phone"),
    "returned": pgettext_lazy("document history", "Returned to the drafter"),
}


class Event(models.Model):
    """One line of a document's history (who did what, when, with a note)."""

    outgoing = models.ForeignKey(OutgoingDocument, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="events")
    incoming = models.ForeignKey(IncomingDocument, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="events")
    verb = models.CharField(max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    audit_words = {"verb": EVENT_VERBS}

    @property
    def verb_display(self) -> str:
        return str(EVENT_VERBS.get(self.verb, self.verb))

    class Meta:
        ordering = ["at", "pk"]


class Attachment(models.Model):
    """An attachment in a separate file (Decision 508, Art. 8.7): sealed by the clerk with the number and symbol
    of the main document (top right of its first page); verified on arrival as that document's attachment."""

    outgoing = models.ForeignKey(OutgoingDocument, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="attachments")
    incoming = models.ForeignKey(IncomingDocument, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="attachments")
    name = models.CharField(_("file name"), max_length=255)
    draft = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    file = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    indication = models.CharField(max_length=20, blank=True)
    sub_indication = models.CharField(max_length=60, blank=True)
    report = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["pk"]

    @property
    def verified(self) -> bool:
        return self.indication == "TOTAL_PASSED"

    def delete(self, *args, **kwargs):
        raise InvalidState("eoffice.no_delete", _("Documents are never deleted."))
