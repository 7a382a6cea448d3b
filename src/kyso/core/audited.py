"""Which models the audit trail watches, declared by any app — even those below `audit` in the layers.

`register(Model, exclude=..., unit_path=...)` records the wish; the audit app connects every registration when it
is ready (and any made later at once), so `notify` and `org` need not import `audit`."""

from __future__ import annotations

from typing import Callable

_pending: list[tuple[type, dict]] = []
_sink: Callable | None = None
_recorder: Callable | None = None


def register(model, *, exclude=(), unit_path: Callable | None = None) -> None:
    options = {"exclude": exclude, "unit_path": unit_path}
    if _sink is not None:
        _sink(model, **options)
    else:
        _pending.append((model, options))


def connect(sink: Callable) -> None:
    """Called by the audit app: `sink(model, exclude=, unit_path=)` does the watching."""
    global _sink
    _sink = sink
    while _pending:
        model, options = _pending.pop(0)
        sink(model, **options)


def set_recorder(fn: Callable) -> None:
    """Called by the audit app: `fn(action, obj, after=...)` writes one explicit record (a read of personal data)."""
    global _recorder
    _recorder = fn


def record(action: str, obj, **kwargs):
    """One explicit audit record, for apps below `audit` (org): refused, never skipped, when no trail is plugged in."""
    if _recorder is None:
        raise RuntimeError("kyso.core.audited: no audit trail connected (kyso.audit is not loaded)")
    return _recorder(action, obj, **kwargs)
