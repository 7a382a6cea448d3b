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


class InvalidInput(KysoError):
    """The input itself is wrong (format, range, missing field)."""

    http_status = 400
    default_code = "invalid_input"
    default_message = _("The data is not valid.")


class NotFound(KysoError):
    http_status = 404
    default_code = "not_found"
    default_message = _("The requested object does not exist.")


class Forbidden(KysoError):
    """The actor's role or unit scope does not allow this."""

    http_status = 403
    default_code = "forbidden"
    default_message = _("You are not allowed to do this.")


class InvalidState(KysoError):
    """A step out of order: the object is not in a state that allows this action."""

    http_status = 409
    default_code = "invalid_state"
    default_message = _("This step is not allowed in the current state.")


class Conflict(KysoError):
    """The action would duplicate or contradict something that already exists."""

    http_status = 409
    default_code = "conflict"
    default_message = _("This conflicts with an existing record.")


class IntegrityFailure(KysoError):
    """Stored data failed an integrity check (hash mismatch, broken chain)."""

    http_status = 500
    default_code = "integrity_failure"
    default_message = _("Stored data failed its integrity check.")
