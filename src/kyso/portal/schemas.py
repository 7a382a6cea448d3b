"""Which form an XML file is (its root namespace) and whether it follows the form's XML schema."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from lxml import etree

from kyso.core.errors import InvalidInput

from .models import ProcedureForm


@lru_cache(maxsize=64)
def _compiled(xsd_sha: str, xsd: str) -> etree.XMLSchema:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.fromstring(xsd.encode(), parser))


def compile_xsd(xsd: str) -> etree.XMLSchema:
    """The compiled schema, or InvalidInput when an administrator's XSD is not a valid schema."""
    try:
        return _compiled(hashlib.sha256(xsd.encode()).hexdigest(), xsd)
    except (etree.XMLSyntaxError, etree.XMLSchemaParseError) as exc:
        line = getattr(exc, "lineno", None) or next((e.line for e in getattr(exc, "error_log", [])), 0)
        raise InvalidInput("portal.form.xsd_invalid", _("The XML schema is not valid (line %(line)s)."),
                           line=line, detail=str(exc)[:200]) from exc


def namespace_of(root) -> str:
    return etree.QName(root).namespace or ""


def form_for(root, forms) -> ProcedureForm | None:
    ns = namespace_of(root)
    return next((f for f in forms if f.namespace == ns), None)


def schema_errors(root, form: ProcedureForm) -> list[str]:
    schema = compile_xsd(form.xsd)
    if schema.validate(root):
        return []
    return [in_words(e) for e in list(schema.error_log)[:5]]


_ELEMENT = re.compile(r"Element '(?:\{[^}]*\})?([^']+)'")
_ATTRIBUTE = re.compile(r"attribute '([^']+)'", re.I)
_EXPECTED = re.compile(r"Expected is(?: one of)? \( ([^)]+) \)")
_LOCAL = re.compile(r"(?:\{[^}]*\})?([\w.-]+)")


def in_words(error) -> str:
    """One of lxml's English schema messages as the submitter reads it: the line, the element, what is wrong and
    what the form expects there (issue 17: no English in what a person reads)."""
    msg = error.message
    found = _ELEMENT.search(msg)
    params = {"line": error.line, "element": found.group(1) if found else "?"}
    expected = _EXPECTED.search(msg)
    if expected:
        params["expected"] = ", ".join(_LOCAL.findall(expected.group(1)))
    attribute = _ATTRIBUTE.search(msg)
    if attribute:
        params["attribute"] = attribute.group(1)
    kind = error.type_name
    if "Missing child element" in msg and expected:
        text = gettext("line %(line)s: «%(element)s» lacks «%(expected)s»")
    elif "This element is not expected" in msg:
        text = (gettext("line %(line)s: «%(element)s» is not expected here; the form expects «%(expected)s»")
                if expected else gettext("line %(line)s: «%(element)s» is not expected here"))
    elif "is required but missing" in msg and attribute:
        text = gettext("line %(line)s: «%(element)s» lacks its attribute «%(attribute)s»")
    elif "is not allowed" in msg and attribute:
        text = gettext("line %(line)s: «%(element)s» has an attribute «%(attribute)s» the form does not allow")
    elif kind == "SCHEMAV_CVC_ELT_1":
        text = gettext("line %(line)s: «%(element)s» is not the root element of this form")
    elif "valid value" in msg or "facet" in msg or kind.startswith(("SCHEMAV_CVC_DATATYPE", "SCHEMAV_CVC_FACET")) or \
            "LENGTH" in kind or "PATTERN" in kind or "ENUMERATION" in kind or "INCLUSIVE" in kind:
        text = gettext("line %(line)s: the value of «%(element)s» is not valid for the form")
    else:
        text = gettext("line %(line)s: «%(element)s» does not follow the form")
    return text % params
