"""Text that Kyso keeps must be printable: no control characters anywhere (issue 16, findings 8 and 9).

A control character (other than tab, line feed and carriage return) saved into a name or a title later broke the
DOCX and XLSX documents built from it. It is refused at every door, with the same code:
- every API body (JSON, form, multipart) by `kyso.core.api.parsers`;
- every save of a Kyso model (`refuse_control_characters`, a pre_save guard installed by `kyso.core`), whatever
  the path — page, API, CLI, import, create or edit;
- Django and DRF fields may name `no_control_characters` as a validator.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from kyso.core.errors import InvalidInput

# C0 controls except tab, line feed and carriage return; DEL and the C1 controls.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CODE = "control_characters"
MESSAGE = _("The text contains control characters (invisible characters that cannot be printed).")


def has_control_characters(value) -> bool:
    return isinstance(value, str) and CONTROL_CHARS.search(value) is not None


def no_control_characters(value) -> None:
    """A Django/DRF validator."""
    if has_control_characters(value):
        raise ValidationError(MESSAGE, code=CODE)


def control_characters_error(names) -> InvalidInput:
    names = list(names)
    return InvalidInput(f"invalid_input.{CODE}", MESSAGE, fields={n: (CODE, MESSAGE) for n in names})


def check_text(data: dict) -> None:
    """Refuse a mapping (a request body, a form's data) holding a string with control characters anywhere."""
    bad = [name for name, value in data.items() if _contains(value)]
    if bad:
        raise control_characters_error(bad)


def _contains(value, depth: int = 0) -> bool:
    if isinstance(value, str):
        return has_control_characters(value)
    if depth > 50:
        return False
    if isinstance(value, dict):
        return any(_contains(k, depth + 1) or _contains(v, depth + 1) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_contains(v, depth + 1) for v in value)
    return False


def refuse_control_characters(sender, instance, raw=False, **kwargs) -> None:
    """pre_save: no text field of a Kyso model is saved with control characters (create and edit alike)."""
    if raw or not sender.__module__.startswith("kyso."):
        return
    bad = [f.name for f in sender._meta.concrete_fields
           if isinstance(f, (models.CharField, models.TextField)) and has_control_characters(getattr(instance, f.attname))]
    if bad:
        raise control_characters_error(bad)
