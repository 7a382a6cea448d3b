"""Automatic audit of model changes, so that no state change escapes the trail.

Apps register their models (`register(Model)`); every save and delete of a registered
model then writes an audit record with before/after snapshots in the same transaction.
A save outside a transaction is refused before it touches the database (fail closed).

Domain services name the business action around their changes:

    with audit.action("lifecycle.request.confirm"):
        request.state = CONFIRMED
        request.save()

Bulk updates (`QuerySet.update`) bypass model signals: code that uses them calls
`kyso.audit.record()` itself.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable

from django.db import models, transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from .chain import AuditUnavailable, append, batch, jsonable

_action_stack: contextvars.ContextVar[tuple] = contextvars.ContextVar("kyso_audit_action", default=())


@dataclass
class Options:
    exclude: set = field(default_factory=set)
    unit_path: Callable | None = None


_registry: dict[type, Options] = {}


def label_of(model_or_instance) -> str:
    meta = model_or_instance._meta
    return f"{meta.app_label}.{meta.model_name}"


def register(model, *, exclude=(), unit_path: Callable | None = None) -> None:
    """Audit every save and delete of `model`. `exclude`: derived or secret fields."""
    opts = Options(exclude=set(exclude) | _auto_now_fields(model), unit_path=unit_path)
    _registry[model] = opts
    uid = label_of(model)
    pre_save.connect(_pre_save, sender=model, weak=False, dispatch_uid=f"audit-pre-{uid}")
    post_save.connect(_post_save, sender=model, weak=False, dispatch_uid=f"audit-post-{uid}")
    pre_delete.connect(_pre_delete, sender=model, weak=False, dispatch_uid=f"audit-predel-{uid}")
    post_delete.connect(_post_delete, sender=model, weak=False, dispatch_uid=f"audit-del-{uid}")


def is_registered(model) -> bool:
    return model in _registry


def _auto_now_fields(model) -> set:
    return {f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)}


def snapshot(instance, exclude=()) -> dict:
    data = {}
    for f in instance._meta.concrete_fields:
        if f.name in exclude:
            continue
        data[f.attname] = jsonable(f.value_from_object(instance))
    return data


def _unit_path(instance, opts: Options) -> str:
    if opts.unit_path is not None:
        try:
            return opts.unit_path(instance) or ""
        except Exception:  # noqa: BLE001 - scoping is best effort, never blocks the change
            return ""
    unit = None
    if hasattr(instance, "path") and label_of(instance) == "org.unit":
        return instance.path
    if hasattr(instance, "unit_id") and instance.unit_id:
        unit = getattr(instance, "unit", None)
    return getattr(unit, "path", "") or ""


@contextmanager
def action(name: str):
    """Name the business action for every change made inside the block; its records are chained together at
    the block's end (`chain.batch`)."""
    token = _action_stack.set(_action_stack.get() + (name,))
    try:
        with batch():
            yield
    finally:
        _action_stack.reset(token)


def current_action() -> str | None:
    stack = _action_stack.get()
    return stack[-1] if stack else None


def _require_transaction(instance) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise AuditUnavailable("audit.not_in_transaction")


def _pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:  # fixture loading
        return
    _require_transaction(instance)
    opts = _registry[sender]
    before = None
    if instance.pk is not None and not instance._state.adding:
        old = sender._base_manager.filter(pk=instance.pk).first()
        if old is not None:
            before = snapshot(old, opts.exclude)
    instance._kyso_audit_before = before


def _post_save(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    opts = _registry[sender]
    before = getattr(instance, "_kyso_audit_before", None)
    after = snapshot(instance, opts.exclude)
    if before is not None and before == after:
        return  # nothing changed: not a state change
    verb = "create" if before is None else "update"
    label = label_of(instance)
    append(
        current_action() or f"{label}.{verb}",
        object_type=label, object_id=instance.pk, object_repr=str(instance)[:255],
        unit_path=_unit_path(instance, opts), before=before, after=after,
    )
    instance._kyso_audit_before = after


def _pre_delete(sender, instance, **kwargs):
    _require_transaction(instance)


def _post_delete(sender, instance, **kwargs):
    opts = _registry[sender]
    label = label_of(instance)
    append(
        current_action() or f"{label}.delete",
        object_type=label, object_id=instance.pk, object_repr=str(instance)[:255],
        unit_path=_unit_path(instance, opts), before=snapshot(instance, opts.exclude), after=None,
    )


def record(action_name: str, obj: models.Model | None = None, *, before=None, after=None, object_type: str = "",
           object_id="", object_repr: str = "", unit_path: str = ""):
    """Explicit audit record: bulk changes, exports, logins, anything not a single model save."""
    if obj is not None:
        opts = _registry.get(type(obj), Options())
        object_type = object_type or label_of(obj)
        object_id = object_id or obj.pk
        object_repr = object_repr or str(obj)[:255]
        unit_path = unit_path or _unit_path(obj, opts)
    return append(action_name, object_type=object_type, object_id=object_id, object_repr=object_repr,
                  unit_path=unit_path, before=before, after=after)
