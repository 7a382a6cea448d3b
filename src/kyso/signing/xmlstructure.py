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


EXC_C14N_NS = "http://www.w3.org/2001/10/xml-exc-c14n#"
_QNAME_VALUE = re.compile(r"\s*([A-Za-z_][\w.-]*):[A-Za-z_][\w.-]*\s*")


def unsigned_qname_prefix(root, sig_el, reference) -> str:
    """A value that is a QName (xsi:type="t:Loai", <Loai>t:ChinhThuc</Loai>) whose prefix exclusive C14N does
    not sign: a namespace declaration is signed only where an element or attribute name uses it (or when the
    transform lists its prefix in InclusiveNamespaces), so one used only inside a value can be rebound after
    signing — the value means something else, the digest stays (W3C XML Signature Best Practices). The prefix,
    or ''."""
    transforms = [t for t in reference.findall(f"{{{DS}}}Transforms/{{{DS}}}Transform")
                  if (t.get("Algorithm") or "").startswith(("http://www.w3.org/TR/2001/REC-xml-c14n",
                                                             "http://www.w3.org/2006/12/xml-c14n11", EXC_C14N_NS))]
    if not transforms or not transforms[-1].get("Algorithm").startswith(EXC_C14N_NS):
        return ""           # inclusive canonicalisation signs every namespace in scope
    listed = transforms[-1].find(f"{{{EXC_C14N_NS}}}InclusiveNamespaces")
    inclusive = set((listed.get("PrefixList") or "").split()) if listed is not None else set()
    for el in root.iter():
        if not isinstance(el.tag, str) or el is sig_el or sig_el in el.iterancestors():
            continue
        for value in (el.text, *el.attrib.values()):
            m = _QNAME_VALUE.fullmatch(value or "")
            prefix = m.group(1) if m else None
            if prefix is None or prefix not in el.nsmap or prefix in inclusive or el.prefix == prefix:
                continue
            uri = el.nsmap[prefix]
            if any(name.startswith(f"{{{uri}}}") for name in el.attrib):
                continue    # an attribute of this element uses the prefix: its declaration is rendered here
            return prefix
    return ""
