"""Who did which step on which record, read from the audit trail: the four-eyes rule of the step runner.

The trail already says, for every change, the action, the object and the actor; a step separated from
another (requester/approver, drafter/reviewer, processor/approver) is refused to whoever appears in the
trail as having done the other one on the same record."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kyso.core import steps
from kyso.core.errors import Forbidden

from .capture import label_of, record
from .chain import pending
from .models import AuditRecord


def _mine(actor, obj):
    return AuditRecord.objects.filter(object_type=label_of(obj), object_id=str(obj.pk), actor_id=actor.pk)


def _done_here(actor, obj) -> set[str]:
    """The actions `actor` did on `obj` in the records of this step not yet written (`chain.pending`)."""
    object_type, object_id = label_of(obj), str(obj.pk)
    return {r.action for r in pending() if r.object_type == object_type and r.object_id == object_id
            and r.actor_id == actor.pk}


class AuditDuties:
    """Plugged into `kyso.core.steps` by the audit app."""

    def check(self, actor, step, obj, dry_run: bool = False) -> None:
        done = set(_mine(actor, obj).filter(action__in=step.separate_from).values_list("action", flat=True))
        done |= _done_here(actor, obj) & set(step.separate_from)
        for other in done:
            if steps.exception_allows(actor, step, other, obj):
                if not dry_run:
                    record("steps.four_eyes.exception_used", obj, after={"step": step.name, "other": other})
                continue
            raise Forbidden("steps.four_eyes",
                            _("You did an earlier step on this record that the rules separate from this one: "
                              "another officer must do it."))

    def exclude_done(self, actor, step, qs):
        """`qs` without the records on which `actor` did a step separated from `step` (for queues)."""
        ids = list(AuditRecord.objects.filter(object_type=label_of(qs.model), actor_id=actor.pk,
                                              action__in=step.separate_from).values_list("object_id", flat=True))
        ids += [r.object_id for r in pending() if r.object_type == label_of(qs.model) and r.actor_id == actor.pk
                and r.action in step.separate_from]
        if not ids:
            return qs
        field = qs.model._meta.pk
        return qs.exclude(pk__in=[field.to_python(i) for i in ids])

    def done(self, actor, step, obj) -> None:
        if step.name not in _done_here(actor, obj) and not _mine(actor, obj).filter(action=step.name).exists():
            record(step.name, obj, after={"step": step.name})


duties = AuditDuties()
