"""Append-only, hash-chained audit records and signed checkpoints of the chain head."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditRecord(models.Model):
    """One state change. `hash` covers every other column and the previous record's hash; `mac` keys it."""

    seq = models.BigIntegerField(_("sequence"), unique=True)
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.CharField(_("actor"), max_length=150, db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=10)
    action = models.CharField(_("action"), max_length=120, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    unit_path = models.CharField(max_length=500, blank=True, db_index=True,
                                 help_text="Unit subtree the object belongs to: scopes who may read the record.")
    # Canonical JSON text, hashed as stored (no re-serialisation differences between databases).
    before = models.TextField(_("before"), blank=True)
    after = models.TextField(_("after"), blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    client_ip = models.CharField(_("client address"), max_length=45, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    # HMAC-SHA256 of (seq, hash) under the audit key held in the key store or HSM (never in the database).
    key_id = models.CharField(max_length=16, blank=True)
    mac = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class ChainHead(models.Model):
    """The single row locked by every writer: makes sequence numbers gap-free and ordered."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)
    since_checkpoint = models.PositiveIntegerField(default=0)


class Checkpoint(models.Model):
    """A signature over (seq, hash) of the chain head: catches truncation of the newest records."""

    seq = models.BigIntegerField(db_index=True)
    head_hash = models.CharField(max_length=64)
    at = models.DateTimeField()
    key_label = models.CharField(max_length=100)
    key_fingerprint = models.CharField(max_length=64)
    algorithm = models.CharField(max_length=40)
    signature = models.TextField()

    class Meta:
        ordering = ["-seq", "-id"]
