"""Reading an ETSI TS 119 102-2 validation report in the tests: its shape against the schema's types (as
pyHanko's generated bindings of the v1.2.1 XSD give them: every element in the order of its type's sequence,
every required part present) and its indications, to compare with the JSON report."""

from __future__ import annotations

import ast
import functools
import importlib.util
import re
from pathlib import Path

from lxml import etree

VR = "http://uri.etsi.org/19102/v1.2.1#"
DS = "http://www.w3.org/2000/09/xmldsig#"


class Field:
    def __init__(self, name, ns, kind, type_name, required, many):
        self.name, self.ns, self.kind, self.type_name, self.required, self.many = (
            name, ns, kind, type_name, required, many)


@functools.cache
def schema() -> dict[str, list[Field]]:
    """Complex type -> its elements and attributes in the XSD's order, read from pyHanko's bindings of the
    TS 119 102-2 v1.2.1 schema (and XAdES for DigestAlgAndValueType)."""
    base = Path(importlib.util.find_spec("pyhanko").submodule_search_locations[0]) / "generated" / "etsi"
    types: dict[str, list[Field]] = {}
    bases: dict[str, list[str]] = {}
    for module in ("ts_11910202.py", "xades.py"):
        for node in ast.parse((base / module).read_text()).body:
            if not isinstance(node, ast.ClassDef):
                continue
            bases[node.name] = [ast.unparse(b) for b in node.bases]
            fields = types.setdefault(node.name, [])
            for st in node.body:
                if not (isinstance(st, ast.AnnAssign) and isinstance(st.value, ast.Call)):
                    continue
                meta = next((kw.value for kw in st.value.keywords if kw.arg == "metadata"), None)
                if not isinstance(meta, ast.Dict):
                    continue
                m = {ast.literal_eval(k): v for k, v in zip(meta.keys, meta.values)}
                get = lambda key: ast.literal_eval(m[key]) if key in m else None  # noqa: E731
                if get("type") not in ("Element", "Attribute"):
                    continue
                annotation = ast.unparse(st.annotation)
                found = re.search(r"\b([A-Z]\w*)\b", annotation)
                required = bool(get("required")) or ((get("min_occurs") or 0) >= 1 and get("sequence") is None)
                fields.append(Field(get("name") or st.target.id, get("namespace") or "", get("type"),
                                    found.group(1) if found else "", required, annotation.startswith("tuple")))
    for name, parents in bases.items():
        for parent in reversed(parents):
            if parent in types:
                types[name] = types[parent] + types[name]
    return types


def assert_schema_shaped(el, type_name: str = "ValidationReportType", path: str = "ValidationReport") -> None:
    fields = schema()[type_name]
    elements = [f for f in fields if f.kind == "Element"]
    last, seen = -1, set()
    for child in el:
        if not isinstance(child.tag, str):
            continue
        ns, local = child.tag[1:].split("}")
        where = f"{path}/{local}"
        idx = next((i for i, f in enumerate(elements) if f.name == local and f.ns == ns), None)
        assert idx is not None, f"{where}: no such element in {type_name}"
        assert idx > last or (idx == last and elements[idx].many), f"{where}: out of the schema's order"
        last = idx
        seen.add(idx)
        if elements[idx].type_name in schema() and elements[idx].type_name.endswith("Type"):
            assert_schema_shaped(child, elements[idx].type_name, where)
    for i, f in enumerate(elements):
        assert not f.required or i in seen, f"{path}: required {f.name} missing"
    for f in fields:
        if f.kind == "Attribute" and f.required:
            assert el.get(f.name), f"{path}: required attribute {f.name} missing"


def indications(xml: bytes) -> list[tuple[str, str | None]]:
    """(main, sub) of every SignatureValidationReport, the URIs turned back into EN 319 102-1 names."""
    root = etree.fromstring(xml)
    out = []
    for status in root.iterfind(f"{{{VR}}}SignatureValidationReport/{{{VR}}}SignatureValidationStatus"):
        main = status.findtext(f"{{{VR}}}MainIndication").rsplit(":", 1)[1]
        sub = status.findtext(f"{{{VR}}}SubIndication")
        out.append(({"total-passed": "TOTAL_PASSED", "total-failed": "TOTAL_FAILED",
                     "indeterminate": "INDETERMINATE"}[main], sub.rsplit(":", 1)[1] if sub else None))
    return out


def expected_indications(report: dict) -> list[tuple[str, str | None]]:
    """What the JSON report says: per signature, or the document's when there is none."""
    if report["signatures"]:
        return [(s["indication"], s["sub_indication"]) for s in report["signatures"]]
    return [(report["indication"], report["sub_indication"])]
