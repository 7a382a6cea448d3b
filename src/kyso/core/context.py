"""Who is acting, from where, in which request: read by the audit trail.

Set by the request middleware for web and API calls, and by `acting_as()` for the CLI,
background tasks and tests. The user of a request is resolved lazily because DRF
authenticates tokens inside the view, after the middleware ran.
"""

from __future__ import annotations

import contextvars
import getpass
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

_current: contextvars.ContextVar["ActorContext | None"] = contextvars.ContextVar("kyso_actor_context", default=None)


def new_request_id() -> str:
    return uuid.uuid4().hex


@dataclass
class ActorContext:
    channel: str  # web, api, cli, task, system
    request_id: str = field(default_factory=new_request_id)
    client_ip: str | None = None
    request: Any = None
    user: Any = None
    label: str = ""

    def resolved_user(self):
        user = self.user
        if user is None and self.request is not None:
            user = getattr(self.request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            return user
        return None

    def actor_label(self) -> str:
        user = self.resolved_user()
        if user is not None:
            return user.get_username()
        if self.label:
            return self.label
        return "anonymous" if self.request is not None else f"{self.channel}:{_os_user()}"


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - containers without a passwd entry
        return "unknown"


def current() -> ActorContext:
    ctx = _current.get()
    if ctx is None:
        ctx = ActorContext(channel="system")
    return ctx


def set_current(ctx: ActorContext | None):
    return _current.set(ctx)


def reset(token) -> None:
    _current.reset(token)


@contextmanager
def acting_as(user=None, *, label: str = "", channel: str = "cli", request_id: str | None = None, client_ip: str | None = None):
    """Run a block on behalf of `user` (or a labelled system actor) outside a web request."""
    ctx = ActorContext(channel=channel, request_id=request_id or new_request_id(), user=user, label=label, client_ip=client_ip)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)
