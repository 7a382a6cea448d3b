"""One way for a page to run a step: the error shape of the step runner, shown to a person.

    result = actions.act(request, lambda: services.confirm(user, req), success=_("Confirmed."), record=req,
                         flow=REQUEST_FLOW, form=form)

On success the page says what happened and — when the record has a workflow — where it went and who holds
it now. On a `KysoError` the message (and per-field messages on the form, which keeps what was typed) is
shown; the failed step has already rolled back its own savepoint, so the request's transaction commits
only what the runner kept on purpose (a wrong PIN counted). Anything that did not come through the runner
(a date refused before the step began) is rolled back whole — `fn` runs in a savepoint of its own, so only
its work goes: the page that follows keeps a usable transaction for what it still does, such as the audited
read of the personal data it shows again with the error.
"""

from __future__ import annotations

from typing import Any, Callable

from django.contrib import messages
from . import steps
from .errors import KysoError


def form_errors(form, exc: KysoError) -> None:
    """Put a domain error on a Django form: per-field messages where the form has the field."""
    for name, value in (exc.fields or {}).items():
        message = value[1] if isinstance(value, tuple) else value
        if isinstance(message, list):
            message = " ".join(str(m) for m in message)
        if name in form.fields:
            form.add_error(name, str(message))
        else:
            form.add_error(None, str(message))
    if not exc.fields:
        form.add_error(None, exc.message)


class Failed:
    """What `act` returns when the step was refused (falsy), with the error for callers that need it."""

    def __init__(self, error: KysoError):
        self.error = error

    def __bool__(self):
        return False


def act(request, fn: Callable[[], Any], *, success=None, flow=None, record=None, form=None) -> Any:
    """Run `fn` (a call into the domain) for a page. Returns its result, or a falsy `Failed`."""
    result, failed = steps.settle(fn)
    if failed is not None:
        if form is not None:
            form_errors(form, failed)
        else:
            messages.error(request, failed.message)
        return Failed(failed)
    if success:
        messages.success(request, str(success))
    target = record if record is not None else result
    if flow is not None and target is not None:
        target.refresh_from_db()
        messages.info(request, flow.where(target))
    return result
