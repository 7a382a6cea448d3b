"""Records of the certificate lifecycle (Decision 508/QĐ-BHXH, letter 26/CNTT-HTA).

Nothing here is ever deleted (Art. 9.4, 10.7): every model is audited, states only move along the
workflows declared in `flows.py`, and every deadline is a `Step` with its due date."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


# A person's data beyond his name, title, unit and government e-mail (who sees it: `privacy.py`).
PERSONAL_FIELDS = ("birth_date", "birth_place", "id_number", "id_issue_date", "id_issue_place", "residence",
                   "phone_mobile")


class SubscriberKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANIZATION = "organization", _("Organisation (seal)")


class Subscriber(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=SubscriberKind.choices)
    person = models.ForeignKey("org.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="subscriptions")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="subscribers",
                             help_text=_("The organisation itself, or the person's unit."))
    managing_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="managed_subscribers",
                                      verbose_name=_("managing unit"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=models.Q(kind="person"), name="lc_one_person_subscriber"),
            models.UniqueConstraint(fields=["unit"], condition=models.Q(kind="organization"), name="lc_one_org_subscriber"),
        ]

    def __str__(self):
        return self.person.full_name if self.person_id else self.unit.name

    @property
    def name(self) -> str:
        return str(self)


class DeviceState(models.TextChoices):
    IN_STOCK = "in_stock", _("In stock")
    ISSUED = "issued", _("Issued to a subscriber")
    LOST = "lost", _("Lost")
    DAMAGED = "damaged", _("Damaged")
    RECOVERED = "recovered", _("Recovered")
    SEALED = "sealed", _("Sealed")
    RETURNED = "returned", _("Returned to the CA")


class KeyDevice(models.Model):
    """A key-storage device (USB token); in development a SoftHSM token stands in for it."""

    serial = models.CharField(_("serial number"), max_length=64, unique=True)
    model = models.CharField(_("model"), max_length=100, default="SoftHSM2 (mô phỏng USB token)")
    state = models.CharField(_("state"), max_length=20, choices=DeviceState.choices, default=DeviceState.IN_STOCK,
                             db_index=True)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="key_devices",
                             verbose_name=_("custodian unit"))
    holder = models.ForeignKey(Subscriber, null=True, blank=True, on_delete=models.PROTECT, related_name="devices")
    token_label = models.CharField(max_length=64, blank=True, help_text=_("PKCS#11 token label (SoftHSM stand-in)."))
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.serial


class DeviceEvent(models.Model):
    device = models.ForeignKey(KeyDevice, on_delete=models.PROTECT, related_name="events")
    from_state = models.CharField(max_length=20, choices=DeviceState.choices)
    to_state = models.CharField(max_length=20, choices=DeviceState.choices)
    holder = models.ForeignKey(Subscriber, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)
    actor = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["at", "id"]


class RequestState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted (Form 01)")
    CONFIRMED = "confirmed", _("Confirmed by the managing unit")
    LISTED = "listed", _("In a unit's list (Form 02)")
    RECEIVED = "received", _("Received by the IT Center")
    RETURNED = "returned", _("Returned for completion")
    VALID = "valid", _("Valid, awaiting the approval list")
    IN_APPROVAL = "in_approval", _("In the list for the leadership's approval")
    APPROVED = "approved", _("Approved")
    SENT_TO_CA = "sent_to_ca", _("Sent to the CA")
    SUPPLEMENT = "supplement", _("Supplement requested by the CA")
    REFUSED = "refused", _("Refused")
    ISSUED = "issued", _("Issued")
    HANDED_TO_UNIT = "handed_to_unit", _("Handed over to the managing unit")
    HANDED_TO_SUBSCRIBER = "handed_to_subscriber", _("Handed over to the subscriber")
    ACTIVATED = "activated", _("Activation notice sent (Form 04)")


class IssuanceRequest(models.Model):
    """Form 01: every field of the form, as filed (a snapshot, independent of later edits to the person)."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.PROTECT, related_name="requests")
    kind = models.CharField(_("kind"), max_length=20, choices=SubscriberKind.choices)
    state = models.CharField(_("state"), max_length=30, choices=RequestState.choices, default=RequestState.SUBMITTED,
                             db_index=True)
    full_name = models.CharField(_("full name"), max_length=150)
    gender = models.CharField(_("gender"), max_length=10, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_place = models.CharField(_("place of birth"), max_length=200, blank=True)
    id_number = models.CharField(pgettext_lazy("Form 01", "identity number"), max_length=20, blank=True)
    id_issue_date = models.DateField(_("issue date"), null=True, blank=True)
    id_issue_place = models.CharField(_("place of issue"), max_length=200, blank=True)
    residence = models.CharField(_("permanent residence"), max_length=300, blank=True)
    workplace = models.CharField(_("workplace"), max_length=300)
    phone_office = models.CharField(_("office phone"), max_length=20, blank=True)
    phone_mobile = models.CharField(_("mobile phone"), max_length=20, blank=True)
    fax = models.CharField(_("fax"), max_length=20, blank=True)
    title = models.CharField(pgettext_lazy("Form 01", "title"), max_length=150, blank=True)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="certificate_requests")
    email = models.EmailField(_("government e-mail"))
    old_certificate_serial = models.CharField(_("old certificate number"), max_length=64, blank=True)
    csr_pem = models.TextField(_("certificate signing request (PEM)"), blank=True,
                               help_text=_("Only when the subscriber's device made the key (external CA)."))
    validity_years = models.PositiveSmallIntegerField(_("validity asked (years)"), default=5)
    is_seal_holder = models.BooleanField(_("competent person under the seal rules"), default=False)
    seal_registration = models.ForeignKey("files.StoredFile", null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+", verbose_name=_("copy of the seal registration"))
    title_confirmation = models.ForeignKey("files.StoredFile", null=True, blank=True, on_delete=models.PROTECT,
                                           related_name="+", verbose_name=_("copy of the title confirmation"))
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+")
    confirmed_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    unit_list = models.ForeignKey("RequestList", null=True, blank=True, on_delete=models.PROTECT, related_name="requests")
    approval_list = models.ForeignKey("RequestList", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="approval_requests")
    guidance = models.TextField(_("guidance / reason"), blank=True)
    on_hold = models.CharField(_("on hold (reason)"), max_length=300, blank=True)
    held_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("held by"))
    version = models.PositiveIntegerField(default=1)
    submitted_on = models.DateField(_("submitted on"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["state", "unit"])]

    def __str__(self):
        return f"#{self.pk} {self.full_name}"


class ListState(models.TextChoices):
    DRAFT = "draft", _("Being compiled")
    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Received")
    SUBMITTED = "submitted", _("Submitted for approval")
    APPROVED = "approved", _("Approved")
    SENT_TO_CA = "sent_to_ca", _("Sent to the CA")


class RequestList(models.Model):
    """Form 02: a unit's list sent up the hierarchy, or the IT Center's list for the leadership's approval."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="request_lists")
    is_approval_list = models.BooleanField(default=False)
    number = models.CharField(_("number and symbol"), max_length=60)
    state = models.CharField(_("state"), max_length=20, choices=ListState.choices, default=ListState.DRAFT)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               help_text=_("The higher-level list this list was compiled into."))
    sent_to = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_on = models.DateField()
    sent_on = models.DateField(null=True, blank=True)

    def __str__(self):
        return self.number

    def all_requests(self) -> list["IssuanceRequest"]:
        """Every request in this list and in the lower units' lists compiled into it, in the order they came in
        (Form 02's numbering; without an order PostgreSQL lists rows as its pages hold them, and an updated
        request — a CSR attached — moves)."""
        out = list(self.requests.order_by("pk")) + list(self.approval_requests.order_by("pk"))
        for child in self.children.order_by("pk"):
            out += child.all_requests()
        return out


class CertStatus(models.TextChoices):
    ISSUED = "issued", _("Issued, not yet effective")
    ACTIVE = "active", _("Active")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


class Source(models.TextChoices):
    EMBEDDED = "embedded", _("Kyso CA")
    IMPORTED = "imported", _("Imported (external CA)")


class Certificate(models.Model):
    """The lifecycle record of a subscriber's certificate (ours or the external CA's)."""

    serial = models.CharField(_("serial number"), max_length=64, db_index=True)
    issuer = models.CharField(_("issuer"), max_length=300)
    subject = models.CharField(_("subject"), max_length=500)
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid until"), db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=CertStatus.choices, default=CertStatus.ISSUED,
                              db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=SubscriberKind.choices)
    subscriber = models.ForeignKey(Subscriber, on_delete=models.PROTECT, related_name="certificates")
    device = models.ForeignKey(KeyDevice, null=True, blank=True, on_delete=models.PROTECT, related_name="certificates")
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.EMBEDDED)
    mobile_sim = models.BooleanField(_("mobile / SIM PKI"), default=False)
    der = models.BinaryField(blank=True, default=b"")
    issued = models.ForeignKey("pki.IssuedCertificate", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               help_text=_("Our CA's record, when the embedded CA issued it."))
    reminded_days = models.PositiveSmallIntegerField(null=True, blank=True,
                                                     help_text=_("The last expiry reminder threshold sent (days)."))
    request = models.ForeignKey(IssuanceRequest, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="certificates")
    effective_at = models.DateTimeField(_("effective from"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.CharField(max_length=4, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "serial"], name="lc_cert_issuer_serial")]

    def __str__(self):
        return f"{self.serial} ({self.subscriber})"


class RevocationReason(models.TextChoices):
    A = "a", _("a) Expired")
    B = "b", _("b) Subscriber's written request (key exposed, device lost, copied or damaged, other insecurity)")
    C = "c", _("c) Request of prosecution or security bodies")
    D = "d", _("d) Unit's request (left the sector, retired, quit, absent, died, missing, moved post)")
    DD = "dd", _("đ) Title change of a seal-holder")
    E = "e", _("e) Violation of the key rules")


class RevocationState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    CONFIRMED = "confirmed", _("Confirmed by the unit")
    SENT_TO_CA = "sent_to_ca", _("Sent to the CA")
    REVOKED = "revoked", _("Revoked by the CA")
    UNIT_NOTIFIED = "unit_notified", _("Unit told to recover the device")
    DEVICE_RETURNED = "device_returned", _("Device recovered, sealed and returned (Form 03)")


class RevocationRequest(models.Model):
    """Form 05 (reason b) or the unit's / authorities' request (reasons a, c, d, đ, e)."""

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="revocations")
    reason = models.CharField(_("reason"), max_length=4, choices=RevocationReason.choices)
    detail = models.TextField(_("detail"), blank=True)
    state = models.CharField(_("state"), max_length=20, choices=RevocationState.choices,
                             default=RevocationState.REQUESTED)
    phone_notice = models.CharField(_("phone notice to the IT Center"), max_length=300, blank=True)
    device_lost_explanation = models.TextField(_("written explanation (lost or damaged device)"), blank=True)
    requested_on = models.DateField()
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)


# The deadlines of Decision 508 (`deadlines`): step name -> (working days, label). 0 = "immediately" (the same day).
STEP_RULES = {
    "it_review": (3, "Trung tâm CNTT kiểm tra hồ sơ (3 ngày làm việc)"),
    "return_guidance": (2, "Hướng dẫn hoàn thiện hồ sơ không hợp lệ (2 ngày làm việc)"),
    "refusal_notice": (2, "Thông báo lý do từ chối bằng văn bản (2 ngày làm việc)"),
    "supplement_notice": (2, "Thông báo, hướng dẫn bổ sung hồ sơ (2 ngày làm việc)"),
    "supplement_complete": (5, "Đơn vị hoàn thiện hồ sơ bổ sung (5 ngày làm việc)"),
    "handover_unit": (2, "Bàn giao chứng thư số cho đơn vị quản lý thuê bao (2 ngày làm việc)"),
    "handover_subscriber": (2, "Chuyển giao chứng thư số cho thuê bao (2 ngày làm việc)"),
    "activation_notice": (1, "Gửi đề nghị thời điểm có hiệu lực, Mẫu số 04 (1 ngày làm việc)"),
    "revoke_1wd": (1, "Gửi yêu cầu thu hồi chứng thư số (1 ngày làm việc)"),
    "revoke_now": (0, "Gửi yêu cầu thu hồi chứng thư số ngay"),
    "revocation_notice": (1, "Thông báo đơn vị thu hồi thiết bị (1 ngày làm việc)"),
}


class Step(models.Model):
    """One deadline of one record: what must happen, by which unit, by when (working days)."""

    subject_type = models.CharField(max_length=30)       # "request", "list", "revocation", "device"
    subject_id = models.PositiveBigIntegerField()
    name = models.CharField(max_length=60)                # e.g. "it_review", "handover_unit"
    label = models.CharField(max_length=200)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                             help_text=_("The unit responsible for the step."))
    started_on = models.DateField()
    due_on = models.DateField(db_index=True)
    done_on = models.DateField(null=True, blank=True)

    audit_words = {"name": {name: label for name, (_days, label) in STEP_RULES.items()},
                   "subject_type": {"request": IssuanceRequest._meta.verbose_name,
                                    "list": RequestList._meta.verbose_name,
                                    "revocation": RevocationRequest._meta.verbose_name,
                                    "device": KeyDevice._meta.verbose_name}}

    class Meta:
        indexes = [models.Index(fields=["subject_type", "subject_id"]), models.Index(fields=["done_on", "due_on"])]
        ordering = ["due_on", "id"]


class Record(models.Model):
    """A document produced along the way (Forms 01–05, notices), archived as PDF — never deleted."""

    form = models.CharField(max_length=10)                # "01".."05", "notice"
    title = models.CharField(max_length=200)
    number = models.CharField(max_length=60, blank=True)
    subject_type = models.CharField(max_length=30)
    subject_id = models.PositiveBigIntegerField()
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    pdf = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+")
    created_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
