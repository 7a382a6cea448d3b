"""The structure XMLDSig gives a signature (W3C XML Signature 1.1, section 4, the schema's sequences): a file
whose signature lacks a part or holds parts out of order claims a signature it does not carry in full — it is
TOTAL_FAILED / FORMAT_FAILURE (EN 319 102-1, 5.2.2), before any key, certificate or digest is looked at."""

from __future__ import annotations

import re

from .xml import DS

# element -> the sequence of its XMLDSig children (local names, space-separated), as the schema gives it
_SEQUENCES = {
    "Signature": re.compile(r"SignedInfo SignatureValue( KeyInfo)?( Object)*"),
    "SignedInfo": re.compile(r"CanonicalizationMethod SignatureMethod( Reference)+"),
    "Reference": re.compile(r"(Transforms )?DigestMethod DigestValue"),
    "Transforms": re.compile(r"Transform( Transform)*"),
}
_REQUIRED = {"Signature": ("SignedInfo", "SignatureValue"),
             "SignedInfo": ("CanonicalizationMethod", "SignatureMethod", "Reference"),
             "Reference": ("DigestMethod", "DigestValue"), "Transforms": ("Transform",)}
_NEEDS_ALGORITHM = ("CanonicalizationMethod", "SignatureMethod", "DigestMethod", "Transform")
_NEEDS_VALUE = ("SignatureValue", "DigestValue")


def _local(el) -> str:
    """The local name of an XMLDSig element; anything else (another namespace, text-less nodes) as '?'."""
    if not isinstance(el.tag, str) or not el.tag.startswith(f"{{{DS}}}"):
        return "?"
    return el.tag[len(DS) + 2:]


def _children(el) -> str:
    return " ".join(_local(c) for c in el if isinstance(c.tag, str))


def problem(sig_el) -> str:
    """The first part of the signature that is missing or out of place (an element name), or ''."""
    todo = [sig_el]
    while todo:
        el = todo.pop(0)
        name = _local(el)
        shape = _SEQUENCES.get(name)
        if shape is not None and not shape.fullmatch(_children(el)):
            present = _children(el).split()
            # a required part missing is named; otherwise the element whose parts are out of order or foreign
            return next((part for part in _REQUIRED[name] if part not in present), name)
        if name in _NEEDS_ALGORITHM and not (el.get("Algorithm") or "").strip():
            return name
        if name in _NEEDS_VALUE and not "".join((el.text or "").split()):
            return name
        if shape is not None:
            todo.extend(c for c in el if isinstance(c.tag, str))
    return ""


def orphans(root) -> bool:
    """XMLDSig elements (SignedInfo, SignatureValue …) outside any Signature: the remains of a signature."""
    for el in root.iter(f"{{{DS}}}*"):
        if _local(el) == "Signature":
            continue
        if not any(_local(a) == "Signature" for a in el.iterancestors()):
            return True
    return False
