"""Tamper-evident audit trail: `action()` names a business step, `record()` writes one."""


def action(name):
    from .capture import action as _action

    return _action(name)


def record(*args, **kwargs):
    from .capture import record as _record

    return _record(*args, **kwargs)
