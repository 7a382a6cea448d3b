"""Domain errors: a stable machine code plus a message for people (Vietnamese by default).

Domain modules raise these; the API turns them into `{"error": {"code", "message"}}`,
the web UI into a message on the page, the CLI into `Lỗi [code]: message` on stderr.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class KysoError(Exception):
    """Base of every error that a user can cause and should be told about."""

    http_status = 400
    default_code = "error"
    default_message = _("The request could not be processed.")

    def __init_subclass__(cls, *, status: int | None = None, code: str | None = None, message=None, **kwargs):
        """`class NotFound(KysoError, status=404, code="not_found", message=_("…"))`: a kind's defaults in one line."""
        super().__init_subclass__(**kwargs)
        if status is not None:
            cls.http_status = status
        if code is not None:
            cls.default_code = code
        if message is not None:
            cls.default_message = message

    def __init__(self, code: str | None = None, message=None, /, *, fields: dict | None = None, **params):
        self.code = code or self.default_code
        self._message = message if message is not None else self.default_message
        self.params = params
        self.fields = fields or {}
        super().__init__(self.code)

    @property
    def message(self) -> str:
        text = str(self._message)
        if self.params:
            try:
                text = text % self.params
            except (KeyError, TypeError, ValueError):
                pass
        return text

    def as_dict(self) -> dict:
        """`fields` maps a field to its messages; `field_codes` to a stable code per field."""
        data = {"code": self.code, "message": self.message}
        if self.fields:
            messages, codes = {}, {}
            for name, value in self.fields.items():
                if isinstance(value, tuple) and len(value) == 2:
                    codes[name], value = value[0], [value[1]]
                elif not isinstance(value, list):
                    value = [value]
                messages[name] = [str(m) for m in value]
            data["fields"] = messages
            if codes:
                data["field_codes"] = codes
        return data

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


# The kinds every domain raises: `status` (HTTP), `code` (the default stable code) and `message` (the default msgid)
# declared on the class line.

class InvalidInput(KysoError, status=400, code="invalid_input", message=_("The data is not valid.")):
    """The input itself is wrong (format, range, missing field)."""


class NotFound(KysoError, status=404, code="not_found", message=_("The requested object does not exist.")):
    """The object does not exist, or lies outside the actor's scope (answered alike)."""


class Forbidden(KysoError, status=403, code="forbidden", message=_("You are not allowed to do this.")):
    """The actor's role or unit scope does not allow this."""


class InvalidState(KysoError, status=409, code="invalid_state",
                   message=_("This step is not allowed in the current state.")):
    """A step out of order: the object is not in a state that allows this action."""


class Conflict(KysoError, status=409, code="conflict", message=_("This conflicts with an existing record.")):
    """The action would duplicate or contradict something that already exists."""


class TooManyRequests(KysoError, status=429, code="too_many_requests",
                      message=_("Too many requests from your address: try again later.")):
    """A per-address limit reached (`core.ratelimit`); `retry_after` seconds go into the Retry-After header."""

    retry_after = 60


class IntegrityFailure(KysoError, status=500, code="integrity_failure",
                       message=_("Stored data failed its integrity check.")):
    """Stored data failed an integrity check (hash mismatch, broken chain)."""
