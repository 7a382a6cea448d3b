"""Which form an XML file is (its root namespace) and whether it follows the form's XML schema."""

from __future__ import annotations

import hashlib
from functools import lru_cache

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
        raise InvalidInput("portal.form.xsd_invalid", _("The XML schema is not valid: %(detail)s"),
                           detail=str(exc)[:200]) from exc


def namespace_of(root) -> str:
    return etree.QName(root).namespace or ""


def form_for(root, forms) -> ProcedureForm | None:
    ns = namespace_of(root)
    return next((f for f in forms if f.namespace == ns), None)


def schema_errors(root, form: ProcedureForm) -> list[str]:
    schema = compile_xsd(form.xsd)
    if schema.validate(root):
        return []
    return [f"dòng {e.line}: {e.message}" for e in list(schema.error_log)[:5]]
