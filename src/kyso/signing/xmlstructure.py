"""The structure XMLDSig gives a signature (W3C XML Signature 1.1, section 4, the schema's sequences): a file
whose signature lacks a part or holds parts out of order claims a signature it does not carry in full — it is
TOTAL_FAILED / FORMAT_FAILURE (EN 319 102-1, 5.2.2), before any key, certificate or digest is looked at."""

from __future__ import annotations

import re

from lxml import etree

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


def unsigned_qname_prefix(content, reference) -> str:
    """A value that is a QName (xsi:type="t:Loai", <Loai>t:ChinhThuc</Loai>) whose prefix exclusive C14N does
    not sign: a namespace declaration is signed only where an element or attribute name uses it (or when the
    transform lists its prefix in InclusiveNamespaces), so one used only inside a value can be rebound after
    signing — the value means something else, the digest stays (W3C XML Signature Best Practices). The prefix,
    or ''. `content`: the elements of the signed content that may hold one (`qname_candidates`)."""
    transforms = [t for t in reference.findall(f"{{{DS}}}Transforms/{{{DS}}}Transform")
                  if (t.get("Algorithm") or "").startswith(("http://www.w3.org/TR/2001/REC-xml-c14n",
                                                             "http://www.w3.org/2006/12/xml-c14n11", EXC_C14N_NS))]
    if not transforms or not transforms[-1].get("Algorithm").startswith(EXC_C14N_NS):
        return ""           # inclusive canonicalisation signs every namespace in scope
    listed = transforms[-1].find(f"{{{EXC_C14N_NS}}}InclusiveNamespaces")
    inclusive = set((listed.get("PrefixList") or "").split()) if listed is not None else set()
    for el in content:
        if not isinstance(el.tag, str):
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


OBJECT = f"{{{DS}}}Object"
SIGNED_PROPS_TYPES = {"http://uri.etsi.org/01903#SignedProperties", "http://uri.etsi.org/01903/v1.3.2#SignedProperties"}


def id_targets(id_values) -> dict:
    """Id value -> its element, for every Id/ID/id attribute in any namespace (xml:id, wsu:Id …): what signxml
    resolves a reference `#value` to (`id_values`: xmlcrypto.id_attributes, checked to hold no value twice)."""
    return {str(v): v.getparent() for v in id_values}


def _target(ref, targets):
    uri = ref.get("URI") or ""
    return targets.get(uri[1:]) if uri.startswith("#") and not uri.startswith("#xpointer(") else None


def content_references(root, sig_el, targets) -> list:
    """The references that sign the document's content. Enveloped (the signature a child of the root): URI="" or
    the root element by an Id. Enveloping (the signature is the root, RFC 3275 / XMLDSig 1.1, 2): the ds:Object
    children of the signature, each by its Id — the content is what they hold."""
    refs = [ref for ref in sig_el.findall(f"{{{DS}}}SignedInfo/{{{DS}}}Reference")
            if ref.get("Type") not in SIGNED_PROPS_TYPES]
    if sig_el is root:
        return [ref for ref in refs if _signed_object(_target(ref, targets), sig_el) is not None]
    return [ref for ref in refs if ref.get("URI") == "" or _target(ref, targets) is root]


def _signed_object(target, sig_el):
    """The ds:Object of `sig_el` that a reference to `target` signs whole: the Object itself, or the one element
    it holds (nothing else in it but white space) — Java and .NET enveloping signers reference either."""
    if target is None:
        return None
    if target.tag == OBJECT and target.getparent() is sig_el:
        return target
    obj = target.getparent()
    if obj is None or obj.tag != OBJECT or obj.getparent() is not sig_el:
        return None
    alone = [c for c in obj if c is not target]
    if alone or (obj.text or "").strip() or (target.tail or "").strip():
        return None
    return obj


def signed_objects(root, sig_el, targets) -> set:
    """The ds:Object elements an enveloping signature signs as its content (empty for any other signature)."""
    if sig_el is not root:
        return set()
    return {_signed_object(_target(ref, targets), sig_el) for ref in content_references(root, sig_el, targets)}


def inside_signed_document(root, sig_el, ref, targets) -> bool:
    """A reference by Id to an element the document reference already signs (an enveloped signature's whole
    document outside the signature): it adds nothing unsigned."""
    target = _target(ref, targets)
    return (target is not None and sig_el is not root and target is not sig_el
            and sig_el not in target.iterancestors() and root in (target, *target.iterancestors()))


_WITH_COLON = etree.XPath("descendant-or-self::*[contains(text(), ':') or @*[contains(., ':')]]")


def qname_candidates(root, sig_el, targets):
    """The elements of the signed content — the document outside the signature, or the enveloping signature's
    signed ds:Object elements and what they hold — whose text or an attribute holds a colon: the only ones a
    QName value can be in (`unsigned_qname_prefix`). libxml2 finds them; walking every element in Python made a
    1 MB dossier's verification eight times slower."""
    objects = signed_objects(root, sig_el, targets)
    if objects:
        return [el for obj in objects for el in _WITH_COLON(obj) if el is not obj]
    return [el for el in _WITH_COLON(root) if el is not sig_el and sig_el not in el.iterancestors()]
