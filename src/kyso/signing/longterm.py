"""Renewing a signed document for the long term, whatever its format (ETSI EN 319 142-1 / 132-1 / 122-1):
fresh validation data and a new archive time-stamp over everything already there."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kyso.core.errors import InvalidInput

from . import cades, pades_lt, xades_lt
from .pdf import _refuse_malformed
from .xml import parse
from .verify import MAX_BYTES, detect


def extend(data: bytes, content: bytes | None = None) -> bytes:
    """`kyso sign extend`: the same document, renewed (earlier signatures and time-stamps untouched); a detached
    CAdES signature needs the signed `content`."""
    if len(data) > MAX_BYTES:
        raise InvalidInput("signing.input.too_large", _("The file is larger than the allowed %(mb)s MB."),
                           mb=MAX_BYTES // (1024 * 1024))
    fmt = detect(data)
    if fmt == "pdf":
        with _refuse_malformed():
            return pades_lt.extend(data)
    if fmt == "xml":
        return xades_lt.extend(parse(data))
    if fmt == "cms":
        return cades.extend(data, content)
    raise InvalidInput("signing.extend.format", _("Extending is not available for this format."))
