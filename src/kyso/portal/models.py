"""Procedures, intake rules, e-dossiers and their one-stop artefacts (letter 2671/BHXH-CNTT,
Decision 352/QĐ-BHXH, Decree 61/2018 and Circular 01/2018/TT-VPCP).

Dossiers are never deleted (Decision 352, prohibited act 2): `delete()` refuses. Every change
goes through `kyso.audit` (models registered in `apps.py`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kyso.core.errors import InvalidState


class Channel(models.TextChoices):
    PORTAL = "portal", _("Public service portal")
    IVAN = "ivan", _("I-VAN provider")
    DESK = "desk", _("One-stop desk")


class DossierKind(models.TextChoices):
    SIGNED = "signed", _("Signed e-dossier")
    BARCODE = "barcode", _("Barcode dossier (unsigned)")


class SubmitterKind(models.TextChoices):
    EMPLOYER = "employer", _("Employer")
    CITIZEN = "citizen", _("Citizen")
    IVAN = "ivan", _("I-VAN provider")
    COMMUNE = "commune", _("Commune People's Committee")


class Procedure(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=300)
    processing_days = models.PositiveSmallIntegerField(_("processing time (working days)"))
    channels = models.JSONField(_("channels"), default=list, help_text=_("portal, ivan, desk"))
    result_type = models.CharField(_("result"), max_length=200)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective until"), null=True, blank=True)
    is_active = models.BooleanField(pgettext_lazy("in force", "active"), default=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")

    def __str__(self):
        return f"{self.code} — {self.name}"


class ProcedureForm(models.Model):
    """A form of a procedure; its XML schema checks the e-dossier file at intake."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="forms")
    code = models.CharField(_("form code"), max_length=20)
    name = models.CharField(_("name"), max_length=300)
    mandatory = models.BooleanField(_("mandatory"), default=False)
    namespace = models.CharField(_("XML namespace"), max_length=200)
    xsd = models.TextField(_("XML schema (XSD)"))

    class Meta:
        ordering = ["procedure", "-mandatory", "code"]
        verbose_name = _("procedure form")
        verbose_name_plural = _("procedure forms")
        constraints = [models.UniqueConstraint(fields=["procedure", "code"], name="portal_form_unique")]

    def __str__(self):
        return f"{self.code} ({self.procedure.code})"


class Step(models.TextChoices):
    RECEIVE = "receive", _("Receive")
    ASSIGN = "assign", _("Assign")
    PROCESS = "process", _("Process")
    APPROVE = "approve", _("Approve")
    SIGN = "sign", _("Sign the result")
    RETURN = "return", _("Return the result")


class WorkflowStep(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="steps")
    position = models.PositiveSmallIntegerField()
    step = models.CharField(max_length=20, choices=Step.choices)
    name = models.CharField(_("name"), max_length=200, blank=True)

    class Meta:
        ordering = ["procedure", "position"]
        constraints = [models.UniqueConstraint(fields=["procedure", "position"], name="portal_step_position"),
                       models.UniqueConstraint(fields=["procedure", "step"], name="portal_step_once")]

    def __str__(self):
        return f"{self.procedure.code}#{self.position} {self.step}"


class RuleDecision(models.TextChoices):
    ACCEPT = "accept", _("Accept")
    REFUSE = "refuse", _("Refuse")


class IntakeRule(models.Model):
    """Which dossiers are accepted, from when: data, not code. The most specific rule in force wins
    (highest priority); the dossier records the rule that accepted it, a refusal names the rule."""

    code = models.CharField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("name of the rule"), max_length=300)
    citation = models.CharField(_("legal basis"), max_length=200)
    kind = models.CharField(_("dossier kind"), max_length=20, choices=DossierKind.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, blank=True)
    procedure_code = models.CharField(_("procedure"), max_length=20, blank=True)
    submitter_kind = models.CharField(_("submitter"), max_length=20, choices=SubmitterKind.choices, blank=True)
    only_without_signature = models.BooleanField(_("only submitters without a digital signature"), default=False)
    decision = models.CharField(_("decision"), max_length=10, choices=RuleDecision.choices)
    priority = models.PositiveSmallIntegerField(_("priority"), default=0)
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "-priority", "valid_from"]
        verbose_name = _("intake rule")
        verbose_name_plural = _("intake rules")

    def __str__(self):
        return f"{self.code}: {self.title}"


class Submitter(models.Model):
    """An external account (employer, citizen, I-VAN provider, commune committee): it submits
    dossiers and sees only its own. Staff roles never apply to it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="submitter")
    kind = models.CharField(_("kind"), max_length=20, choices=SubmitterKind.choices)
    name = models.CharField(_("name"), max_length=300)
    tax_code = models.CharField(_("tax code / ID number"), max_length=20, blank=True, db_index=True)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="submitters",
                             verbose_name=_("managing social-security office"))
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    has_digital_signature = models.BooleanField(_("uses a digital signature"), default=True)
    is_active = models.BooleanField(pgettext_lazy("in force", "active"), default=True)

    class Meta:
        verbose_name = _("submitter")
        verbose_name_plural = _("submitters")

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"


class DailySequence(models.Model):
    """Last dossier number given by a receiving agency on a day (Circular 01/2018: daily sequence)."""

    agency_code = models.CharField(max_length=40)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency_code", "day"], name="portal_sequence_unique")]


class Status(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    SUPPLEMENT = "supplement", _("Waiting for supplement")
    RESULT_READY = "result_ready", _("Result signed, to return")
    RETURNED = "returned", _("Result returned")
    REFUSED = "refused", _("Refused")


OPEN_STATUSES = (Status.IN_PROGRESS, Status.SUPPLEMENT, Status.RESULT_READY)


class Dossier(models.Model):
    code = models.CharField(_("dossier code"), max_length=40, unique=True)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("receiving office"))
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("procedure"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    kind = models.CharField(_("dossier kind"), max_length=10, choices=DossierKind.choices)
    intake_rule = models.ForeignKey(IntakeRule, on_delete=models.PROTECT, related_name="+", verbose_name=_("intake rule"))
    submitter = models.ForeignKey(Submitter, null=True, blank=True, on_delete=models.PROTECT, related_name="dossiers")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    submitter_name = models.CharField(_("submitter"), max_length=300)
    submitter_tax_code = models.CharField(_("tax code / ID number"), max_length=20, blank=True)
    submitter_email = models.EmailField(_("e-mail"), blank=True)
    submitter_phone = models.CharField(_("phone"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    step = models.CharField(_("last step done"), max_length=20, choices=Step.choices, default=Step.RECEIVE)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("officer in charge"))
    received_at = models.DateTimeField(pgettext_lazy("dossier", "received at"))
    received_on = models.DateField(_("received on"))
    due_date = models.DateField(_("due date"))
    original_due_date = models.DateField(_("first due date"))
    paused_on = models.DateField(null=True, blank=True)
    paused_days = models.PositiveSmallIntegerField(default=0)
    supplement_requested = models.BooleanField(default=False)
    apologised = models.BooleanField(default=False)
    finished_on = models.DateField(_("finished on"), null=True, blank=True)
    on_time = models.BooleanField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        indexes = [
            # the officers' lists (issue 19): scope (unit subtree) and status, newest first, keyset pages on id
            models.Index(fields=["unit", "-id"], name="portal_dos_unit_id"),
            models.Index(fields=["unit", "status", "-id"], name="portal_dos_unit_status_id"),
            models.Index(fields=["status", "-id"], name="portal_dos_status_id"),
            models.Index(fields=["submitter_tax_code", "-id"], name="portal_dos_taxcode"),
            models.Index(fields=["submitted_by", "-id"], name="portal_dos_submitted_by"),
            models.Index(fields=["assignee", "-id"], name="portal_dos_assignee",
                         condition=models.Q(assignee__isnull=False)),
            # deadlines of the open dossiers only (overdue filter, queues): a small part of the table
            models.Index(fields=["due_date", "unit"], name="portal_dos_open_due",
                         condition=models.Q(status__in=["in_progress", "supplement", "result_ready"])),
            # the officers' queues (home page, /tasks/): the open dossiers by office and last step, covering what
            # the queue conditions read — procedure, assignee (index-only counts; the ids of the most urgent, then
            # only those rows)
            models.Index(fields=["unit", "step", "status", "due_date"], include=["procedure", "assignee", "id"],
                         name="portal_dos_open_queue",
                         condition=models.Q(status__in=["in_progress", "supplement", "result_ready"])),
            models.Index(fields=["received_on", "unit"], name="portal_dos_day_unit"),
        ]

    def __str__(self):
        return self.code

    def delete(self, *args, **kwargs):
        raise InvalidState("portal.dossier.no_delete", _("Dossiers are never deleted (Decision 352/QĐ-BHXH)."))


class DossierFile(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="files")
    form = models.ForeignKey(ProcedureForm, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    file = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+")
    supplement = models.BooleanField(default=False)
    indication = models.CharField(max_length=20, blank=True)
    signer = models.CharField(max_length=300, blank=True)
    report = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def delete(self, *args, **kwargs):
        raise InvalidState("portal.dossier.no_delete", _("Dossiers are never deleted (Decision 352/QĐ-BHXH)."))


class DocKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt and appointment slip")
    SUPPLEMENT = "supplement", _("Request to supplement the dossier")
    APOLOGY = "apology", _("Apology for late result and new date")
    REFUSAL = "refusal", _("Refusal with reasons")
    RESULT = "result", _("Result")


class DossierDocument(models.Model):
    """A one-stop artefact issued by the agency, as a PDF signed with the unit's organisation certificate."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=20, choices=DocKind.choices)
    file = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+")
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def delete(self, *args, **kwargs):
        raise InvalidState("portal.dossier.no_delete", _("Dossiers are never deleted (Decision 352/QĐ-BHXH)."))


ACTION_LABELS = {
    "receive": _("Received"), "assign": _("Assigned"), "process": _("Processed"), "approve": _("Approved"),
    "sign": _("Result signed"), "return": _("Result returned"), "supplement_request": _("Supplement requested"),
    "supplement": _("Supplement received"), "apology": _("Apology and new date"), "refuse": _("Refused"),
}


class DossierEvent(models.Model):
    """One line of the process control slip: who did which step, when, with which note."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField()
    action = models.CharField(max_length=40)
    actor = models.CharField(max_length=200, blank=True)
    unit_name = models.CharField(max_length=255, blank=True)
    note = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices)

    audit_words = {"action": ACTION_LABELS}

    class Meta:
        ordering = ["dossier", "id"]

    def get_action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))

    def delete(self, *args, **kwargs):
        raise InvalidState("portal.dossier.no_delete", _("Dossiers are never deleted (Decision 352/QĐ-BHXH)."))


class IdempotencyKey(models.Model):
    """I-VAN retries: the same (client, key) answers with the first dossier; another body → 409."""

    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=100)
    request_hash = models.CharField(max_length=64)
    dossier = models.ForeignKey(Dossier, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "key"], name="portal_idempotency_unique")]


class EmployerRegistration(models.Model):
    """What the employer registers at its managing office, in force for a period, ended rather than deleted."""

    employer_tax_code = models.CharField(_("employer's tax code"), max_length=14, db_index=True)
    employer_name = models.CharField(_("employer"), max_length=300)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("managing social-security office"))
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("registered by"))
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-id"]


class IvanRegistration(EmployerRegistration):
    """An employer registered with an I-VAN provider (issue 16, finding 5): the provider submits dossiers
    only for the employers registered with it. Kept by the officers of the employer's managing office."""

    ivan = models.ForeignKey(Submitter, on_delete=models.PROTECT, related_name="registrations",
                             limit_choices_to={"kind": SubmitterKind.IVAN}, verbose_name=_("I-VAN provider"))

    class Meta(EmployerRegistration.Meta):
        verbose_name = _("I-VAN registration")
        verbose_name_plural = _("I-VAN registrations")

    def __str__(self):
        return f"{self.employer_tax_code} → {self.ivan.name}"


class SignerAuthorisation(EmployerRegistration):
    """A person the employer has authorised to sign its e-dossiers with his own certificate (the identity
    number in his certificate), registered at the employer's managing office."""

    person_id = models.CharField(pgettext_lazy("authorised person", "identity number"), max_length=20)
    person_name = models.CharField(_("full name"), max_length=200)

    class Meta(EmployerRegistration.Meta):
        verbose_name = _("signing authorisation")
        verbose_name_plural = _("signing authorisations")

    def __str__(self):
        return f"{self.person_name} ({self.person_id}) → {self.employer_tax_code}"


class DossierTally(models.Model):
    """The statistics roll-up (issue 19): how many dossiers share a received day, office, procedure, channel,
    status, outcome and — while open — due date. `rollup.py` keeps it in the same transaction as every save of a
    dossier (intake and each step), spread over a few slots so that concurrent intakes do not queue on one row;
    the dashboard sums these rows instead of counting millions of dossiers. Derived data: not audited."""

    day = models.DateField()
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(max_length=20, choices=Status.choices)
    on_time = models.BooleanField(default=False, help_text="returned on time (false for every other status)")
    due_date = models.DateField(help_text="the due date of an open dossier; the received day once it is closed")
    slot = models.PositiveSmallIntegerField(default=0)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["day", "unit", "procedure", "channel", "status", "on_time", "due_date", "slot"],
            name="portal_tally_key")]


class ReceiptBatch(models.Model):
    """Receipts time-stamped together (issue 19): one RFC 3161 token over the root of a hash tree whose leaves
    are the SHA-256 of each signed receipt, in `leaves` order; a receipt's evidence record (RFC 4998) is its
    path in that tree plus the token. Written by the background job, never changed."""

    created_at = models.DateTimeField(auto_now_add=True)
    gen_time = models.DateTimeField(_("time-stamped at"))
    root = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    leaves = models.BinaryField(help_text="the receipts' SHA-256 digests, 32 bytes each, in tree order")
    token = models.BinaryField(help_text="RFC 3161 TimeStampToken (DER) whose imprint is the root")

    class Meta:
        ordering = ["-id"]


class Receipt(models.Model):
    """The signed receipt of a dossier (Circular 01/2018, Form 01): at intake a small XML receipt in a CMS
    signature of the receiving office's seal (`document.file`, CAdES B-B); time-stamped later in a batch;
    its PDF for people rendered and sealed on first download (`pdf`)."""

    document = models.OneToOneField(DossierDocument, on_delete=models.PROTECT, related_name="receipt")
    sha256 = models.CharField(max_length=64)
    batch = models.ForeignKey(ReceiptBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="receipts")
    pdf = models.ForeignKey("files.StoredFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["id"], name="portal_receipt_unstamped", condition=models.Q(batch__isnull=True))]

    def delete(self, *args, **kwargs):
        raise InvalidState("portal.dossier.no_delete", _("Dossiers are never deleted (Decision 352/QĐ-BHXH)."))
