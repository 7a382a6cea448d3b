from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class Status(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Notification(models.Model):
    """Outbox: written in the business transaction, sent after commit by a worker (never in the request), retried
    when it fails."""

    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipient = models.CharField(max_length=254)
    subject = models.CharField(max_length=255, blank=True)
    body = models.TextField()
    topic = models.CharField(max_length=80, blank=True, db_index=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # the lease of the worker sending it now (two workers never send the same message; a dead one's lease runs out)
    claimed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        # Neither the text (one-time codes, PINs) nor the recipient (personal data): this names the record in the
        # audit trail and the admin.
        # In words a person reads (the audit pages show it): the channel's label, the subject or the number.
        channel = self.get_channel_display()
        if self.subject:
            return f"{channel}: {self.subject}"
        return _("%(channel)s no. %(number)s") % {"channel": channel, "number": self.pk or ""}
