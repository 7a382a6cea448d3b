"""Who did which step on which record, read from the audit trail: the four-eyes rule of the step runner.

The trail already says, for every change, the action, the object and the actor; a step separated from
another (requester/approver, drafter/reviewer, processor/approver) is refused to whoever appears in the
trail as having done the other one on the same record — or, for a `steps.Related` one, on a record this
one holds (the review of a request and the approval of the list holding it)."""

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


def _same(step) -> list[str]:
    return [s for s in step.separate_from if isinstance(s, str)]


def _related(step) -> list[steps.Related]:
    return [s for s in step.separate_from if isinstance(s, steps.Related)]


def _model_at(model, via: str):
    """The model `via` (a lookup from `model`, as in a query) leads to."""
    for part in via.split("__"):
        model = model._meta.get_field(part).related_model
    return model


def _ids_done(actor, model, action: str, ids=None) -> list[str]:
    """The ids of the `model` records (among `ids`, when given) on which `actor` did `action`, written or pending."""
    object_type = label_of(model)
    rows = AuditRecord.objects.filter(object_type=object_type, actor_id=actor.pk, action=action)
    if ids is not None:
        rows = rows.filter(object_id__in=ids)
    out = list(rows.values_list("object_id", flat=True).distinct())
    out += [r.object_id for r in pending() if r.object_type == object_type and r.actor_id == actor.pk
            and r.action == action and (ids is None or r.object_id in ids)]
    return out


def _refuse(message) -> Forbidden:
    return Forbidden("steps.four_eyes", message)


SAME = _("You did an earlier step on this record that the rules separate from this one: another officer must do it.")
HELD = _("You did an earlier step on a record this one holds that the rules separate from this one: another officer "
         "must do it.")


class AuditDuties:
    """Plugged into `kyso.core.steps` by the audit app."""

    def check(self, actor, step, obj, dry_run: bool = False) -> None:
        same = _same(step)
        done = {(a, SAME) for a in _mine(actor, obj).filter(action__in=same).values_list("action", flat=True)}
        done |= {(a, SAME) for a in _done_here(actor, obj) & set(same)}
        for rel in _related(step):
            held = [str(pk) for pk in type(obj)._default_manager.filter(pk=obj.pk).values_list(rel.via, flat=True)
                    if pk is not None]
            if held and _ids_done(actor, _model_at(type(obj), rel.via), rel.step, held):
                done.add((rel.step, HELD))
        for other, message in sorted(done, key=lambda d: d[0]):
            if steps.exception_allows(actor, step, other, obj):
                if not dry_run:
                    record("steps.four_eyes.exception_used", obj, after={"step": step.name, "other": other})
                continue
            raise _refuse(message)

    def exclude_done(self, actor, step, qs):
        """`qs` without the records on which `actor` did a step separated from `step` (for queues)."""
        ids = list(AuditRecord.objects.filter(object_type=label_of(qs.model), actor_id=actor.pk,
                                              action__in=_same(step)).values_list("object_id", flat=True))
        ids += [r.object_id for r in pending() if r.object_type == label_of(qs.model) and r.actor_id == actor.pk
                and r.action in _same(step)]
        if ids:
            field = qs.model._meta.pk
            qs = qs.exclude(pk__in=[field.to_python(i) for i in ids])
        for rel in _related(step):
            model = _model_at(qs.model, rel.via)
            # only the records the queue's rows hold: an officer's trail may name tens of thousands of requests
            candidates = [str(pk) for pk in qs.values_list(rel.via, flat=True).distinct() if pk is not None]
            held = _ids_done(actor, model, rel.step, candidates) if candidates else []
            if held:
                qs = qs.exclude(**{f"{rel.via}__in": [model._meta.pk.to_python(i) for i in held]})
        return qs

    def done(self, actor, step, obj) -> None:
        if step.name not in _done_here(actor, obj) and not _mine(actor, obj).filter(action=step.name).exists():
            record(step.name, obj, after={"step": step.name})


duties = AuditDuties()
