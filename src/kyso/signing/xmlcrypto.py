"""The cryptographic check of an XML signature of the common shape, on the tree already parsed: each reference
canonicalised once in place (exclusive C14N by lxml, the document without copying it), its digest compared,
the SignedInfo verified with the certificate's key. It only ever *confirms*: any other shape, and any mismatch,
returns None and the caller runs signxml's full check, which gives the exact verdict (issue 19: signxml copies
and re-parses the whole document three times per reference).

The common shape, that of Kyso's own signatures, xmlsec1's and most e-dossier tools: the first ds:Signature
child of the root; exclusive C14N (with or without comments, no InclusiveNamespaces) for SignedInfo and every
reference; references to the whole document (URI="", enveloped-signature transform) and to elements by Id;
RSA PKCS#1 v1.5 or ECDSA with SHA-256/384/512; X.509 certificates in KeyInfo, no KeyValue."""

from __future__ import annotations

import base64
import hashlib

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa, utils
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from lxml import etree

DS = "http://www.w3.org/2000/09/xmldsig#"
DSIG11 = "http://www.w3.org/2009/xmldsig11#"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
EXC_C14N_COMMENTS = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments"
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
_MORE = "http://www.w3.org/2001/04/xmldsig-more#"
SIGNATURE_METHODS = {
    _MORE + "rsa-sha256": ("rsa", hashes.SHA256), _MORE + "rsa-sha384": ("rsa", hashes.SHA384),
    _MORE + "rsa-sha512": ("rsa", hashes.SHA512), _MORE + "ecdsa-sha256": ("ec", hashes.SHA256),
    _MORE + "ecdsa-sha384": ("ec", hashes.SHA384), _MORE + "ecdsa-sha512": ("ec", hashes.SHA512),
}
DIGESTS = {
    "http://www.w3.org/2001/04/xmlenc#sha256": hashlib.sha256,
    "http://www.w3.org/2001/04/xmldsig-more#sha384": hashlib.sha384,
    "http://www.w3.org/2001/04/xmlenc#sha512": hashlib.sha512,
}
_ID_VALUES = etree.XPath("//@*[local-name()='Id' or local-name()='ID' or local-name()='id']")
_INCLUSIVE_NS = "{http://www.w3.org/2001/10/xml-exc-c14n#}InclusiveNamespaces"


def id_attributes(root) -> list:
    """Every Id/ID/id attribute value of the document (any namespace), as lxml "smart strings" that know their
    element: one XPath pass in C instead of a Python loop over every element."""
    return _ID_VALUES(root)


def _c14n_flag(method) -> bool | None:
    """with_comments for an exclusive C14N method element, None for anything else."""
    if method is None or method.find(_INCLUSIVE_NS) is not None:
        return None
    return {EXC_C14N: False, EXC_C14N_COMMENTS: True}.get(method.get("Algorithm"))


def value_text(el) -> str:
    """The text of a value element (a base64 value): its own text runs, not what a child element holds — an
    element inside a value is no part of it (xmlunsigned judges it)."""
    return "".join([el.text or "", *(child.tail or "" for child in el)])


def _b64(el) -> bytes | None:
    """A base64 value written as one text: anything inside it (an element, a comment, an instruction) is not the
    common shape, and signxml gives the verdict."""
    if el is None or len(el):
        return None
    try:
        return base64.b64decode("".join((el.text or "").split()), validate=True)
    except ValueError:
        return None


def _verify_value(cert: x509.Certificate, kind: str, hash_cls, raw: bytes, data: bytes) -> bool:
    try:
        key = cert.public_key()
        if kind == "rsa" and isinstance(key, rsa.RSAPublicKey):
            key.verify(raw, data, PKCS1v15(), hash_cls())
            return True
        if kind == "ec" and isinstance(key, ec.EllipticCurvePublicKey):
            size = (key.curve.key_size + 7) // 8
            if len(raw) != 2 * size:
                return False
            r, s = int.from_bytes(raw[:size], "big"), int.from_bytes(raw[size:], "big")
            key.verify(utils.encode_dss_signature(r, s), data, ec.ECDSA(hash_cls()))
            return True
    except (InvalidSignature, UnsupportedAlgorithm, ValueError):
        return False
    return False


def document_c14n(root, *, exclusive: bool, with_comments: bool, inclusive_ns_prefixes=None) -> bytes:
    """What URI="" digests: the whole document (XMLDSig 4.4.3.2), processing instructions before and after the
    root element included (and comments, with comments), not the root element alone — an xml-stylesheet
    instruction added after signing changes what a reader is shown."""
    return etree.tostring(root.getroottree(), method="c14n", exclusive=exclusive, with_comments=with_comments,
                          inclusive_ns_prefixes=inclusive_ns_prefixes)


XML_NS = "http://www.w3.org/XML/1998/namespace"
C14N11 = "http://www.w3.org/2006/12/xml-c14n11"


def inherited_xml_attributes(el) -> dict:
    """The xml: attributes (xml:lang, xml:space…) `el` inherits from its ancestors, the nearest first."""
    inherited = {}
    for ancestor in el.iterancestors():
        for name, value in ancestor.attrib.items():
            if name.startswith(f"{{{XML_NS}}}") and name not in inherited:
                inherited[name] = value
    return inherited


def subtree_c14n(el, *, exclusive: bool, with_comments: bool, inclusive_ns_prefixes=None,
                 algorithm: str = "", context: dict | None = None) -> bytes:
    """The canonical form of one element and its descendants (a SignedInfo, a reference by Id).

    Inclusive C14N (1.0 and 1.1) is not asked of libxml2 on the element inside its document: libxml2 2.14 then
    writes `xmlns=""` on descendants that are in the default namespace (no other verifier does; every inclusive
    signature of xmlsec1, .NET or Java failed as SIG_CRYPTO_FAILURE). The element is written on its own — lxml
    declares on it every namespace in scope, as inclusive C14N does — with the xml: attributes it inherits
    (C14N 1.0: all of them; 1.1: xml:lang and xml:space), read back and canonicalised as a whole document.
    `context`: the xml: attributes the element's ancestors had in the document, when it has been taken out of it
    (an enveloped signature is removed before its SignedInfo is canonicalised)."""
    if exclusive or el.getparent() is None:
        return etree.tostring(el, method="c14n", exclusive=exclusive, with_comments=with_comments,
                              inclusive_ns_prefixes=inclusive_ns_prefixes)
    inherited = {**(context or {}), **inherited_xml_attributes(el)}
    if algorithm.startswith(C14N11):
        inherited = {k: v for k, v in inherited.items() if k in (f"{{{XML_NS}}}lang", f"{{{XML_NS}}}space")}
    alone = etree.fromstring(etree.tostring(el, with_tail=False),
                             etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                                             remove_comments=not with_comments))
    for name, value in inherited.items():
        if name not in alone.attrib:
            alone.set(name, value)
    return etree.tostring(alone.getroottree(), method="c14n", exclusive=False, with_comments=with_comments)


def enveloped_document_c14n(root, sig_el, *, exclusive: bool = True) -> bytes:
    """C14N (exclusive by default, never comments) of the document without the signature (the enveloped-signature transform), computed
    on the tree itself: the signature is taken out and put back exactly where it was (tail text included)."""
    parent = sig_el.getparent()
    index = parent.index(sig_el)
    prev = sig_el.getprevious()
    saved = prev.tail if prev is not None else parent.text
    tail = sig_el.tail
    if tail is not None:
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(sig_el)
    try:
        return document_c14n(root, exclusive=exclusive, with_comments=False)
    finally:
        parent.insert(index, sig_el)
        sig_el.tail = tail
        if prev is not None:
            prev.tail = saved
        else:
            parent.text = saved


def _reference_ok(root, sig_el, ref, ids: dict) -> bool:
    uri = ref.get("URI")
    transforms = ref.find(f"{{{DS}}}Transforms")
    algs = [t.get("Algorithm") for t in transforms.findall(f"{{{DS}}}Transform")] if transforms is not None else []
    c14n = [t for t in (transforms if transforms is not None else ()) if t.get("Algorithm") in (EXC_C14N,
                                                                                              EXC_C14N_COMMENTS)]
    enveloped = algs.count(ENVELOPED)
    if len(c14n) != 1 or len(algs) != 1 + enveloped or enveloped > 1:
        return False
    with_comments = _c14n_flag(c14n[0])
    method = ref.find(f"{{{DS}}}DigestMethod")
    digest = DIGESTS.get(method.get("Algorithm")) if method is not None else None
    expected = _b64(ref.find(f"{{{DS}}}DigestValue"))
    if with_comments is None or digest is None or expected is None:
        return False
    if uri == "" and enveloped:
        octets = enveloped_document_c14n(root, sig_el)     # URI="": never comments (XMLDSig 4.4.3.3)
    elif uri and uri.startswith("#") and not uri.startswith("#xpointer(") and not enveloped:
        target = ids.get(uri[1:])
        if target is None:
            return False
        octets = etree.tostring(target, method="c14n", exclusive=True, with_comments=with_comments)
    else:
        return False
    return digest(octets).digest() == expected


def confirm(root, sig_el, certs: list[x509.Certificate], id_values) -> x509.Certificate | None:
    """The certificate whose key verifies `sig_el` when the signature has the common shape and every digest
    and the signature value match; None when this check does not decide (then signxml does).

    `id_values`: `id_attributes(root)`, already checked to hold no value twice."""
    if sig_el.getparent() is not root or root.find(f"{{{DS}}}Signature") is not sig_el:
        return None
    info = root.getroottree().docinfo
    if info.internalDTD is not None or info.externalDTD is not None:
        return None
    signed_info = sig_el.find(f"{{{DS}}}SignedInfo")
    if signed_info is None:
        return None
    with_comments = _c14n_flag(signed_info.find(f"{{{DS}}}CanonicalizationMethod"))
    method = signed_info.find(f"{{{DS}}}SignatureMethod")
    spec = SIGNATURE_METHODS.get(method.get("Algorithm")) if method is not None else None
    raw = _b64(sig_el.find(f"{{{DS}}}SignatureValue"))
    key_info = sig_el.find(f"{{{DS}}}KeyInfo")
    if with_comments is None or spec is None or raw is None or key_info is None \
            or key_info.find(f"{{{DS}}}KeyValue") is not None \
            or key_info.find(f"{{{DSIG11}}}DEREncodedKeyValue") is not None:
        return None
    data = etree.tostring(signed_info, method="c14n", exclusive=True, with_comments=with_comments)
    chosen = None
    for cert in certs:
        if cert.not_valid_before_utc > cert.not_valid_after_utc:
            continue
        if _verify_value(cert, spec[0], spec[1], raw, data):
            chosen = cert
            break
    refs = signed_info.findall(f"{{{DS}}}Reference")
    if chosen is None or not refs:
        return None
    ids = {str(v): v.getparent() for v in id_values}
    if all(_reference_ok(root, sig_el, ref, ids) for ref in refs):
        return chosen
    return None


__all__ = ["confirm", "document_c14n", "enveloped_document_c14n", "id_attributes", "inherited_xml_attributes",
           "subtree_c14n", "value_text"]
