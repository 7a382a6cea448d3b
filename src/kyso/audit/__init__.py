"""Tamper-evident audit trail: `action()` names a business step, `record()` writes one."""


def action(name):
    from .capture import action as _action  # lazy: Django imports this package before the audit models exist

    return _action(name)


def record(*args, **kwargs):
    from .capture import record as _record  # lazy: Django imports this package before the audit models exist

    return _record(*args, **kwargs)
