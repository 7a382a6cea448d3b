"""A job is a row: what to do (kind, items), how far it got (position, done, failures — the checkpoint, written
with each chunk's work), who runs it (owner, heartbeat) and how it ended. `JobLock` keeps two jobs off the same
records; `PeriodicRun` records which period each periodic job last ran for."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import registry


class JobState(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    kind = models.CharField(max_length=80)
    params = models.JSONField(default=dict, blank=True)
    items = models.JSONField(default=list, blank=True)          # what to work through, one by one, in order
    position = models.PositiveIntegerField(default=0)           # checkpoint: items before it are done
    done = models.PositiveIntegerField(_("items done"), default=0)
    failures = models.JSONField(_("items refused"), default=list, blank=True)       # [{"item", "code", "message"}] — in Vietnamese
    result = models.JSONField(null=True, blank=True)
    state = models.CharField(max_length=12, choices=JobState.choices, default=JobState.QUEUED)
    unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    run_after = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)
    owner = models.CharField(max_length=120, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error_code = models.CharField(max_length=80, blank=True)
    error_message = models.TextField(_("why it stopped"), blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [models.Index(fields=["state", "run_after"]), models.Index(fields=["kind", "state"])]

    def __str__(self) -> str:
        """The kind's name in words (the audit trail keeps it as the record's name), not its code."""
        kind = registry.kind(self.kind)
        return gettext("%(kind)s (job no. %(number)s)") % {"kind": kind.label if kind else self.kind, "number": self.pk}

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def percent(self) -> int:
        return 100 if not self.items else int(100 * self.position / len(self.items))

    @property
    def ended(self) -> bool:
        return self.state in (JobState.FINISHED, JobState.FAILED)


class JobLock(models.Model):
    """A record a job works on (`app.model:pk`): unique, so a second job on it is refused at submission."""

    key = models.CharField(max_length=120, unique=True)
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="locks")


class PeriodicRun(models.Model):
    """The period a periodic job last ran for (claimed by one worker only) and how that run ended."""

    name = models.CharField(max_length=80, unique=True)
    period = models.CharField(max_length=40)
    claimed_at = models.DateTimeField()
    claimed_by = models.CharField(max_length=120, blank=True)
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
