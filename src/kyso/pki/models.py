"""The CA's records: its certificate authorities, every certificate issued, time-stamps given."""

from __future__ import annotations

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CertificateAuthority(models.Model):
    """A CA of ours ("root", "issuing"); its private key lives in the key store under `key_label`."""

    name = models.SlugField(_("name"), max_length=40, unique=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    cert_der = models.BinaryField()
    key_label = models.CharField(max_length=100)
    key_store = models.CharField(max_length=20, default="software")
    # Bumped in the transaction of every revocation, suspension or release: the CRL and the
    # OCSP cache are stale when their version is older.
    revocation_version = models.PositiveBigIntegerField(default=0)
    crl_number = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("certification authority")
        verbose_name_plural = _("certification authorities")

    def __str__(self):
        return self.common_name

    @property
    def certificate(self) -> x509.Certificate:
        cached = getattr(self, "_cert", None)
        if cached is None or getattr(self, "_cert_der", None) != bytes(self.cert_der):
            cached = x509.load_der_x509_certificate(bytes(self.cert_der))
            self._cert, self._cert_der = cached, bytes(self.cert_der)
        return cached

    @property
    def common_name(self) -> str:
        attrs = self.certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
        return attrs[0].value if attrs else self.name

    @property
    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)


class CertStatus(models.TextChoices):
    GOOD = "good", pgettext_lazy("certificate status", "Valid")
    REVOKED = "revoked", _("Revoked")
    HOLD = "hold", _("Suspended")


class Profile(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANIZATION = "organization", _("Organisation (seal)")
    OCSP = "ocsp", _("OCSP responder")
    TSA = "tsa", _("Time-stamping authority")
    CA = "ca", _("Certification authority")


class IssuedCertificate(models.Model):
    """Every certificate our CA signed. Serial numbers are random (159 bits) and unique per CA."""

    ca = models.ForeignKey(CertificateAuthority, on_delete=models.PROTECT, related_name="issued")
    serial = models.CharField(_("serial number"), max_length=64, db_index=True, help_text=_("Lower-case hexadecimal."))
    profile = models.CharField(_("profile"), max_length=20, choices=Profile.choices)
    subject_dn = models.TextField(_("subject"))
    common_name = models.CharField(_("common name"), max_length=255, db_index=True)
    email = models.CharField(_("e-mail"), max_length=254, blank=True, db_index=True)
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid until"), db_index=True)
    der = models.BinaryField()
    fingerprint = models.CharField(max_length=64, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=CertStatus.choices, default=CertStatus.GOOD, db_index=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.CharField(_("revocation reason"), max_length=30, blank=True)
    invalidity_date = models.DateTimeField(null=True, blank=True)
    # The CA's revocation_version at this certificate's last status change (0: never changed):
    # OCSP nodes find the serials changed since the version they last saw, and drop those answers.
    status_version = models.PositiveBigIntegerField(default=0)
    key_location = models.CharField(_("key location"), max_length=300, blank=True,
                                    help_text=_("Where the private key is: a PKCS#11 URI for a token, 'csr' when the subscriber kept it."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("issued certificate")
        verbose_name_plural = _("issued certificates")
        constraints = [models.UniqueConstraint(fields=["ca", "serial"], name="pki_unique_serial_per_ca")]
        indexes = [models.Index(fields=["ca", "status"]), models.Index(fields=["ca", "status_version"])]

    def __str__(self):
        return f"{self.common_name} ({self.serial[:16]}…)"

    @property
    def certificate(self) -> x509.Certificate:
        cached = getattr(self, "_cert", None)
        if cached is None:
            cached = x509.load_der_x509_certificate(bytes(self.der))
            self._cert = cached
        return cached

    @property
    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def serial_int(self) -> int:
        return int(self.serial, 16)


class OcspResponse(models.Model):
    """A pre-signed OCSP response (RFC 5019) for one certificate and CertID hash algorithm.

    The shared store of every node when no Redis cache is configured: it answers for the
    certificate's status as of `status_version` until `next_update` (seconds since the epoch).
    """

    ca = models.ForeignKey(CertificateAuthority, on_delete=models.CASCADE, related_name="+")
    serial = models.CharField(max_length=64)
    algorithm = models.CharField(max_length=10)
    status_version = models.PositiveBigIntegerField()
    next_update = models.BigIntegerField(db_index=True)
    der = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ca", "serial", "algorithm"], name="pki_one_ocsp_response")]


class TimestampRecord(models.Model):
    """A time-stamp token given by our TSA (RFC 3161): what was stamped, when, under which serial."""

    serial = models.CharField(max_length=64, unique=True)
    gen_time = models.DateTimeField(db_index=True)
    hash_algorithm = models.CharField(max_length=20)
    message_imprint = models.CharField(max_length=128)
    policy = models.CharField(max_length=100)

    class Meta:
        ordering = ["-gen_time"]


class TokenPin(models.Model):
    """Wrong PINs counted per holder token (a USB key device, a remote-signing HSM partition, a SIM stand-in).

    A real token keeps this counter itself; SoftHSM does not, so Kyso keeps it for every token a person
    unlocks with his PIN, wherever the PIN is asked. A locked token is unlocked only by the IT Center."""

    token_label = models.CharField(max_length=64, unique=True)
    failures = models.PositiveSmallIntegerField(default=0)
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    unlocked_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    unlocked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("token PIN counter")
        verbose_name_plural = _("token PIN counters")

    def __str__(self):
        return self.token_label
