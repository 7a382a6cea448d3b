"""The parts of an XML signature no digest covers — the Signature element's own text and attributes,
SignatureValue, KeyInfo (unless a reference signs it), every ds:Object the signature does not sign as its
content, and in it the XAdES unsigned properties — may hold exactly what XMLDSig (W3C XML Signature 1.1, 4)
and XAdES (EN 319 132-1, 4.4 and 5.3–5.5) put there. Anything else is content a reader could take for the
signed dossier while nothing signs it: a forged <HoSo> appended inside SignatureValue or an unsigned property
(//MucLuong finds it first; Somorovsky et al. 2012), free text between the signature's parts (an XSLT's default
rules show it), a foreign attribute. The caller answers it as for a forged dossier in a ds:Object:
INDETERMINATE / SIG_CONSTRAINTS_FAILURE (EN 319 102-1, 5.2.8)."""

from __future__ import annotations

from lxml import etree

from .xml import DS, XADES

DSIG11 = "http://www.w3.org/2009/xmldsig11#"
XADES141 = "http://uri.etsi.org/01903/v1.4.1#"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"


def _q(ns: str, names: str) -> frozenset[str]:
    return frozenset(f"{{{ns}}}{name}" for name in names.split())


_TEXT = None


def _shape(tags: frozenset[str], children: frozenset[str] | None, attributes: str = "") -> dict:
    """element -> (the elements it may hold, None for a value: text only; the attributes it may have)."""
    return {tag: (children, frozenset(attributes.split())) for tag in tags}


# KeyInfo and what it may hold (XMLDSig 1.1, 4.5; dsig11 4.5.2.3, 4.5.7, 4.5.8); dsig11:ECParameters (explicit
# curve parameters) is checked as a vocabulary only
_KEY_INFO = {
    **_shape(_q(DS, "KeyInfo"), _q(DS, "KeyName KeyValue RetrievalMethod X509Data PGPData SPKIData MgmtData")
             | _q(DSIG11, "DEREncodedKeyValue KeyInfoReference"), "Id"),
    **_shape(_q(DS, "KeyValue"), _q(DS, "RSAKeyValue DSAKeyValue") | _q(DSIG11, "ECKeyValue")),
    **_shape(_q(DS, "RSAKeyValue"), _q(DS, "Modulus Exponent")),
    **_shape(_q(DS, "DSAKeyValue"), _q(DS, "P Q G Y J Seed PgenCounter")),
    **_shape(_q(DSIG11, "ECKeyValue"), _q(DSIG11, "ECParameters NamedCurve PublicKey"), "Id"),
    **_shape(_q(DS, "RetrievalMethod"), _q(DS, "Transforms"), "URI Type"),
    **_shape(_q(DS, "Transforms"), _q(DS, "Transform")),
    **_shape(_q(DS, "Transform"), _q(DS, "XPath") | _q(EXC_C14N, "InclusiveNamespaces"), "Algorithm"),
    **_shape(_q(DS, "X509Data"), _q(DS, "X509IssuerSerial X509SKI X509SubjectName X509Certificate X509CRL")
             | _q(DSIG11, "X509Digest")),
    **_shape(_q(DS, "X509IssuerSerial"), _q(DS, "X509IssuerName X509SerialNumber")),
    **_shape(_q(DS, "PGPData"), _q(DS, "PGPKeyID PGPKeyPacket")),
    **_shape(_q(DS, "SPKIData"), _q(DS, "SPKISexp")),
    **_shape(_q(DSIG11, "NamedCurve"), frozenset(), "URI"),
    **_shape(_q(DSIG11, "KeyInfoReference"), frozenset(), "URI Id"),
    **_shape(_q(EXC_C14N, "InclusiveNamespaces"), frozenset(), "PrefixList"),
    **_shape(_q(DS, "KeyName MgmtData X509IssuerName X509SerialNumber X509SubjectName XPath X509SKI X509Certificate "
                    "X509CRL Modulus Exponent P Q G Y J Seed PgenCounter PGPKeyID PGPKeyPacket SPKISexp")
             | _q(DSIG11, "PublicKey"), _TEXT),
    **_shape(_q(DSIG11, "DEREncodedKeyValue"), _TEXT, "Id"),
    **_shape(_q(DSIG11, "X509Digest"), _TEXT, "Algorithm"),
}
_EC_PARAMETERS = f"{{{DSIG11}}}ECParameters"

# The unsigned signature properties XAdES defines (EN 319 132-1, 5.3–5.5 and Annex; XAdES 1.3.2 and 1.4.1).
UNSIGNED_PROPERTIES = _q(XADES, "SignatureTimeStamp CounterSignature CertificateValues RevocationValues "
                                "AttrAuthoritiesCertValues AttributeRevocationValues CompleteCertificateRefs "
                                "CompleteRevocationRefs AttributeCertificateRefs AttributeRevocationRefs "
                                "SigAndRefsTimeStamp RefsOnlyTimeStamp ArchiveTimeStamp") \
    | _q(XADES141, "ArchiveTimeStamp TimeStampValidationData CompleteCertificateRefsV2 "
                   "AttributeCertificateRefsV2 SigAndRefsTimeStampV2 RefsOnlyTimeStampV2")
# what the unsigned properties are written in: XAdES, XMLDSig (digests, canonicalisation methods, a
# countersignature), exclusive C14N's InclusiveNamespaces
_PROPERTY_NAMESPACES = (f"{{{XADES}}}", f"{{{XADES141}}}", f"{{{DS}}}", f"{{{DSIG11}}}", f"{{{EXC_C14N}}}")

_OBJECT = f"{{{DS}}}Object"
_QUALIFYING = f"{{{XADES}}}QualifyingProperties"
_SIGNED_PROPERTIES = f"{{{XADES}}}SignedProperties"
_UNSIGNED_PROPERTIES = f"{{{XADES}}}UnsignedProperties"
_UNSIGNED_SIGNATURE_PROPERTIES = f"{{{XADES}}}UnsignedSignatureProperties"


def _name(el) -> str:
    if not isinstance(el.tag, str):
        return "?"
    q = etree.QName(el)
    return q.localname if q.namespace in (DS, XADES, XADES141, DSIG11) else el.tag


def _where(el, sig_el, what: str = "") -> str:
    """The place, for the report's detail: Signature/SignatureValue/{urn:…}HoSo."""
    path = [_name(a) for a in (el, *el.iterancestors()) if a is sig_el or sig_el in a.iterancestors()]
    return "/".join(reversed(path)) + what


def _elements(el):
    return [c for c in el if isinstance(c.tag, str)]


def _text_in(el) -> bool:
    """Non-white text directly inside `el` (before, between or after what it holds)."""
    return bool((el.text or "").strip()) or any((c.tail or "").strip() for c in el)


def _bare(el, sig_el, attributes) -> str:
    """An attribute the element's schema does not give it (a namespaced one always), or text directly in it
    beside its parts: the place, or ''."""
    bad = next((name for name in el.attrib if name not in attributes), "")
    if bad:
        return _where(el, sig_el, f"/@{bad}")
    return _where(el, sig_el, "/text()") if _text_in(el) else ""


def _plain(el, sig_el) -> str:
    """`el` and everything in it written in the XMLDSig/XAdES vocabularies: no element of another namespace, no
    namespaced attribute, text only in values (never beside elements)."""
    for node in el.iter():
        if not isinstance(node.tag, str):
            continue
        if not node.tag.startswith(_PROPERTY_NAMESPACES):
            return _where(node, sig_el)
        bad = next((name for name in node.attrib if name.startswith("{")), "")
        if bad:
            return _where(node, sig_el, f"/@{bad}")
        if _elements(node) and _text_in(node):
            return _where(node, sig_el, "/text()")
    return ""


def _key_info(el, sig_el) -> str:
    """KeyInfo exactly as XMLDSig writes it. A key name or management data is XMLDSig's own free text, a hint
    that real signers (xmlsec1 templates, .NET's KeyInfoName) write unsigned: its text is allowed, an element in it
    is not."""
    shape = _KEY_INFO.get(el.tag)
    if shape is None:
        return _where(el, sig_el)
    children, attributes = shape
    if children is _TEXT:
        bad = next((name for name in el.attrib if name not in attributes), "")
        if bad:
            return _where(el, sig_el, f"/@{bad}")
        if _elements(el):
            return _where(el, sig_el)
        return ""
    found = _bare(el, sig_el, attributes)
    for child in _elements(el):
        if found:
            break
        if child.tag not in children:
            return _where(child, sig_el)
        found = _plain(child, sig_el) if child.tag == _EC_PARAMETERS else _key_info(child, sig_el)
    return found


def _only(parts, tags) -> str | None:
    """The first of `parts` out of the sequence `tags` (each at most once, in this order), or None."""
    order = [tags.index(p.tag) if p.tag in tags else -1 for p in parts]
    for i, (part, n) in enumerate(zip(parts, order)):
        if n < 0 or (i and n <= order[i - 1]):
            return part
    return None


def _qualifying(el, sig_el) -> str:
    """QualifyingProperties: SignedProperties (signed: the caller has checked that a reference covers it), then
    UnsignedProperties holding one UnsignedSignatureProperties with XAdES's own unsigned properties only."""
    found = _bare(el, sig_el, {"Target", "Id"})
    parts = _elements(el)
    odd = _only(parts, [_SIGNED_PROPERTIES, _UNSIGNED_PROPERTIES])
    if found or odd is not None:
        return found or _where(odd, sig_el)
    for unsigned in (p for p in parts if p.tag == _UNSIGNED_PROPERTIES):
        found = _bare(unsigned, sig_el, {"Id"})
        odd = _only(_elements(unsigned), [_UNSIGNED_SIGNATURE_PROPERTIES])
        if found or odd is not None:
            return found or _where(odd, sig_el)
        for usp in _elements(unsigned):
            found = _bare(usp, sig_el, {"Id"})
            if found:
                return found
            for prop in _elements(usp):
                found = _where(prop, sig_el) if prop.tag not in UNSIGNED_PROPERTIES else _plain(prop, sig_el)
                if found:
                    return found
    return ""


def _object(obj, sig_el, qualifying) -> str:
    """An Object the signature does not sign: nothing but `qualifying`, the signature's one
    xades:QualifyingProperties."""
    found = _bare(obj, sig_el, {"Id", "MimeType", "Encoding"})
    for child in _elements(obj):
        if found:
            break
        found = _qualifying(child, sig_el) if child is qualifying else _where(child, sig_el)
    return found


def _signature_value(el, sig_el) -> str:
    """SignatureValue: its Id and its value (judged as a value by coverage.comment and format.base64)."""
    bad = next((name for name in el.attrib if name != "Id"), "")
    if bad:
        return _where(el, sig_el, f"/@{bad}")
    return next((_where(child, sig_el) for child in _elements(el)), "")


def unsigned_content(sig_el, signed_objects=frozenset()) -> str:
    """Where the signature carries content outside the XMLDSig/XAdES shape that nothing signs (a place for the
    report's detail), or ''. Called once every reference's digest holds. `signed_objects`: the Objects an enveloping signature signs as its content."""
    found = _bare(sig_el, sig_el, {"Id"})
    qualifying = next((el for obj in sig_el.findall(_OBJECT) if obj not in signed_objects
                       for el in obj if el.tag == _QUALIFYING), None)
    for part in _elements(sig_el):
        if found:
            break
        if part.tag == f"{{{DS}}}SignatureValue":
            found = _signature_value(part, sig_el)
        elif part.tag == f"{{{DS}}}KeyInfo":
            found = _key_info(part, sig_el)
        elif part.tag == _OBJECT and part not in signed_objects:
            found = _object(part, sig_el, qualifying)
    return found
