"""Remote-signing credentials, their authorisations, asynchronous signature requests, and the
built-in carrier (MSSP) simulator's transactions.

Nothing secret is stored in clear: PINs stay in the token (SoftHSM standing in for the HSM or the
SIM), one-time codes and SADs are kept as salted hashes.
"""

from __future__ import annotations

import base64
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kyso.pki.models import TokenPin


class Channel(models.TextChoices):
    APP = "app", _("Remote signing (key in the HSM, confirmed in the app)")
    SIM = "sim", _("SIM PKI (key on the SIM card)")


def new_credential_id() -> str:
    return uuid.uuid4().hex


class Credential(models.Model):
    """A signing key with its certificate that one holder controls remotely (CSC: a credential)."""

    credential_id = models.CharField(max_length=64, unique=True, default=new_credential_id)
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mobile_credentials")
    certificate = models.ForeignKey("pki.IssuedCertificate", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    msisdn = models.CharField(_("phone number"), max_length=16, blank=True, db_index=True)
    token_label = models.CharField(max_length=64)
    key_label = models.CharField(max_length=64)
    description = models.CharField(_("description"), max_length=200, blank=True)
    multisign = models.PositiveSmallIntegerField(_("signatures per authorisation"), default=10)
    enabled = models.BooleanField(_("enabled"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("signing credential")
        verbose_name_plural = _("signing credentials")

    def __str__(self):
        return f"{self.holder} / {self.get_channel_display()} / {self.certificate.serial[:12]}"

    @property
    def unit_path(self) -> str:
        person = getattr(self.holder, "person", None)
        return person.unit.path if person else ""

    @property
    def failed_pins(self) -> int:
        """Wrong PINs in a row, counted on the token (`pki.TokenPin`) wherever the PIN was asked."""
        row = TokenPin.objects.filter(token_label=self.token_label).first()
        return row.failures if row else 0

    @property
    def pin_locked(self) -> bool:
        return TokenPin.objects.filter(token_label=self.token_label, locked_at__isnull=False).exists()


class OtpChallenge(models.Model):
    """A one-time code sent by SMS for one authorisation or one request (SCAL2's second factor)."""

    credential = models.ForeignKey(Credential, on_delete=models.CASCADE, related_name="otps")
    request = models.ForeignKey("SignatureRequest", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="otps", help_text=_("The request this code confirms, if any."))
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)


class Authorization(models.Model):
    """A SAD: the holder's consent to sign exactly these hashes (SCAL2), at most `remaining` times."""

    credential = models.ForeignKey(Credential, on_delete=models.CASCADE, related_name="authorizations")
    sad_hash = models.CharField(max_length=64, unique=True)
    hashes = models.JSONField(default=list, help_text="base64 hashes this authorisation covers")
    hash_algo = models.CharField(max_length=64, blank=True)
    num_signatures = models.PositiveSmallIntegerField()
    remaining = models.PositiveSmallIntegerField()
    expires_at = models.DateTimeField()
    description = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


class AccessToken(models.Model):
    """A bearer token from `auth/login` (CSC service authorisation), kept hashed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    revoked = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)


class RequestState(models.TextChoices):
    PENDING = "pending", _("Waiting for the holder")
    SIGNED = "signed", _("Signed")
    REFUSED = "refused", _("Refused by the holder")
    EXPIRED = "expired", _("Expired")
    FAILED = "failed", pgettext_lazy("signature request", "Failed")


class SignatureRequest(models.Model):
    """An asynchronous request: hashes wait for the holder's confirmation on his phone."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    credential = models.ForeignKey(Credential, on_delete=models.PROTECT, related_name="requests")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    hashes = models.JSONField(default=list)
    hash_algo = models.CharField(max_length=16, default="sha256")
    display_text = models.CharField(_("text shown to the holder"), max_length=500)
    state = models.CharField(_("state"), max_length=10, choices=RequestState.choices, default=RequestState.PENDING,
                             db_index=True)
    signatures = models.JSONField(default=list, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    client_ref = models.CharField(max_length=100, blank=True)
    mssp_trans_id = models.CharField(max_length=64, blank=True)
    # signDoc: the whole document is signed by Kyso once the holder confirms (remote-signing credentials only)
    document = models.ForeignKey("files.StoredFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    document_format = models.CharField(max_length=1, blank=True, help_text="P (PAdES) or X (XAdES)")
    document_level = models.CharField(max_length=4, blank=True)
    signed_document = models.ForeignKey("files.StoredFile", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    error_code = models.CharField(max_length=64, blank=True)
    error_message = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("signature request")
        verbose_name_plural = _("signature requests")

    @property
    def unit_path(self) -> str:
        return self.credential.unit_path

    @property
    def is_open(self) -> bool:
        return self.state == RequestState.PENDING and self.expires_at > timezone.now()

    def signature_values(self) -> list[bytes]:
        return [base64.b64decode(s) for s in self.signatures]

    def signer_certificate(self):
        return self.credential.certificate.certificate

    def chain_certificates(self) -> list:
        ca = self.credential.certificate.ca
        chain = []
        while ca is not None:
            chain.append(ca.certificate)
            ca = ca.parent
        return chain


class SimStatus(models.IntegerChoices):
    """Status codes of ETSI TS 102 204 (Table 7) that the simulator produces."""

    REQUEST_OK = 100, "REQUEST_OK"
    WRONG_PARAM = 101, "WRONG_PARAM"
    MISSING_PARAM = 102, "MISSING_PARAM"
    UNAUTHORIZED_ACCESS = 104, "UNAUTHORIZED_ACCESS"
    UNKNOWN_CLIENT = 105, "UNKNOWN_CLIENT"
    UNSUPPORTED_PROFILE = 109, "UNSUPPORTED_PROFILE"
    EXPIRED_TRANSACTION = 208, "EXPIRED_TRANSACTION"
    USER_CANCEL = 401, "USER_CANCEL"
    PIN_BLOCKED = 402, "PIN_BLOCKED"
    NO_KEY_FOUND = 404, "NO_KEY_FOUND"
    SIGNATURE = 500, "SIGNATURE"
    OUTSTANDING_TRANSACTION = 504, "OUTSTANDING_TRANSACTION"
    INTERNAL_ERROR = 900, "INTERNAL_ERROR"


# The carrier's status codes as the audit trail shows them (the choices keep ETSI's names for the protocol).
SIM_STATUS_WORDS = {
    SimStatus.REQUEST_OK: _("request accepted"),
    SimStatus.WRONG_PARAM: _("wrong parameter"),
    SimStatus.MISSING_PARAM: _("missing parameter"),
    SimStatus.UNAUTHORIZED_ACCESS: _("access not authorised"),
    SimStatus.UNKNOWN_CLIENT: _("unknown subscriber"),
    SimStatus.UNSUPPORTED_PROFILE: _("signature profile not supported"),
    SimStatus.EXPIRED_TRANSACTION: _("expired on the phone"),
    SimStatus.USER_CANCEL: _("refused on the phone"),
    SimStatus.PIN_BLOCKED: _("PIN blocked"),
    SimStatus.NO_KEY_FOUND: _("no key on the SIM"),
    SimStatus.SIGNATURE: _("signed on the phone"),
    SimStatus.OUTSTANDING_TRANSACTION: _("waiting for the phone"),
    SimStatus.INTERNAL_ERROR: _("carrier's internal error"),
}


class SimCard(models.Model):
    """Simulator: what is inside a subscriber's PKI SIM — a key (a SoftHSM token) and its PIN tries."""

    msisdn = models.CharField(max_length=16, unique=True)
    token_label = models.CharField(max_length=64)
    key_label = models.CharField(max_length=64)
    pin_tries_left = models.PositiveSmallIntegerField(default=3)
    created_at = models.DateTimeField(auto_now_add=True)


class MsspTransaction(models.Model):
    """Simulator: the carrier's side of one MSS_Signature request."""

    mssp_trans_id = models.CharField(max_length=64, unique=True)
    ap_id = models.CharField(max_length=100)
    ap_trans_id = models.CharField(max_length=100)
    msisdn = models.CharField(max_length=16, db_index=True)
    data_to_be_signed = models.TextField()
    data_to_be_displayed = models.CharField(max_length=500)
    signature_profile = models.CharField(max_length=200)
    status = models.PositiveSmallIntegerField(choices=SimStatus.choices, default=SimStatus.OUTSTANDING_TRANSACTION)
    signature = models.TextField(blank=True)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    audit_words = {"status": SIM_STATUS_WORDS}

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ap_id", "ap_trans_id"], name="mobile_unique_ap_trans")]
