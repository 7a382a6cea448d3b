"""Who did which step on which record, read from the audit trail: the four-eyes rule of the step runner.

The trail already says, for every change, the action, the object and the actor; a step separated from
another (requester/approver, drafter/reviewer, processor/approver) is refused to whoever appears in the
trail as having done the other one on the same record — or, for a `steps.Related` one, on a record this
one holds (the review of a request and the approval of the list holding it)."""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Cast
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


def _ids_done(actor_id, model, action: str, ids=None) -> list[str]:
    """The ids of the `model` records (among `ids`, when given) on which user `actor_id` did `action`, written or
    pending."""
    object_type = label_of(model)
    rows = AuditRecord.objects.filter(object_type=object_type, actor_id=actor_id, action=action)
    if ids is not None:
        rows = rows.filter(object_id__in=ids)
    out = list(rows.values_list("object_id", flat=True).distinct())
    out += [r.object_id for r in pending() if r.object_type == object_type and r.actor_id == actor_id
            and r.action == action and (ids is None or r.object_id in ids)]
    return out


def _correlates(model) -> bool:
    """Whether the trail's `object_id` (text) can be matched in SQL to the record's key: an integer or a text key
    reads the same in both (a UUID does not on SQLite, which stores it without hyphens)."""
    pk = model._meta.pk
    return isinstance(pk, (models.AutoField, models.BigAutoField, models.IntegerField, models.CharField))


def _did(user_id, model, actions: list[str], ref) -> Q:
    """The `model` records (key `ref`, an outer reference) on which user `user_id` did one of `actions`: a
    sub-query on the trail by (object type, object id) — its index — and the steps not yet written."""
    object_type = label_of(model)
    written = AuditRecord.objects.filter(object_type=object_type, object_id=Cast(ref, models.CharField()),
                                         actor_id=user_id, action__in=actions)
    return Q(Exists(written))


def _waiting(user_id, model, actions: list[str]) -> list:
    object_type = label_of(model)
    return [model._meta.pk.to_python(r.object_id) for r in pending()
            if r.object_type == object_type and r.actor_id == user_id and r.action in actions]


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
            if held and _ids_done(actor.pk, _model_at(type(obj), rel.via), rel.step, held):
                done.add((rel.step, HELD))
        for other, message in sorted(done, key=lambda d: d[0]):
            if steps.exception_allows(actor, step, other, obj):
                if not dry_run:
                    record("steps.four_eyes.exception_used", obj, after={"step": step.name, "other": other})
                continue
            raise _refuse(message)

    def barred(self, user_id, step, model, excused=frozenset()):
        """The `model` records on which user `user_id` did a step separated from `step` — on the record itself, or
        (`Related`) on a record it holds — other than the steps in `excused`: a condition for queries, so that a
        queue, or the question whether anyone else at an office may still take the step, is one statement
        whatever the length of the trail (issue 19). None when no separated step is left."""
        terms: list[Q] = []
        same = [s for s in _same(step) if s not in excused]
        if same:
            if _correlates(model):
                terms.append(_did(user_id, model, same, OuterRef("pk")))
            else:
                ids = list(AuditRecord.objects.filter(object_type=label_of(model), actor_id=user_id, action__in=same)
                           .values_list("object_id", flat=True))
                terms.append(Q(pk__in=[model._meta.pk.to_python(i) for i in ids]))
            waiting = _waiting(user_id, model, same)
            if waiting:
                terms.append(Q(pk__in=waiting))
        for rel in _related(step):
            if rel.step in excused:
                continue
            held = _model_at(model, rel.via)
            # the records this one holds, each looked up in the trail by its key: one sub-query per row, never
            # the list of every request an officer ever reviewed
            inner = model._default_manager.filter(pk=OuterRef("pk"))
            if _correlates(held):
                terms.append(Q(Exists(inner.filter(_did(user_id, held, [rel.step], OuterRef(rel.via))))))
            else:
                done = _ids_done(user_id, held, rel.step)
                terms.append(Q(Exists(inner.filter(**{f"{rel.via}__in": [held._meta.pk.to_python(i) for i in done]}))))
            waiting = _waiting(user_id, held, [rel.step])
            if waiting:
                terms.append(Q(Exists(inner.filter(**{f"{rel.via}__in": waiting}))))
        return reduce(or_, terms) if terms else None

    def done(self, actor, step, obj) -> None:
        if step.name not in _done_here(actor, obj) and not _mine(actor, obj).filter(action=step.name).exists():
            record(step.name, obj, after={"step": step.name})


duties = AuditDuties()
