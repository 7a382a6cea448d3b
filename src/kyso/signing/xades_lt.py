"""XAdES long-term levels (ETSI EN 319 132-1): B-LT adds xades:CertificateValues and xades:RevocationValues
(every certificate up to the root and revocation data for the signer, each CA and the time-stamping authority);
B-LTA adds a xadesv141:ArchiveTimeStamp over the signature and everything before it (§ 5.5.2); `extend`
renews an archive with a xadesv141:TimeStampValidationData holding fresh material and a new ArchiveTimeStamp.

Only unsigned properties are added: the core XMLDSig signature (and what xmlsec1 checks) is untouched. The
octets of every ds:Reference are recomputed here and checked against its DigestValue before a time-stamp is
asked for, so an archive time-stamp never covers something other than what was signed."""

from __future__ import annotations

import base64
import copy
import hashlib
import threading

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.utils.translation import gettext_lazy as _
from lxml import etree

from kyso.core.errors import InvalidInput, InvalidState

from .material import Material, cms_certificates, cms_signer, gather
from .timestamps import token_for
from .xmlcrypto import enveloped_document_c14n
from .xmlinput import encoding_conflict

DS = "http://www.w3.org/2000/09/xmldsig#"
XADES = "http://uri.etsi.org/01903/v1.3.2#"
XADES141 = "http://uri.etsi.org/01903/v1.4.1#"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
C14N_ALGORITHMS = {
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315": (False, False),
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments": (False, True),
    EXC_C14N: (True, False),
    EXC_C14N + "WithComments": (True, True),
}
DIGESTS = {
    "http://www.w3.org/2000/09/xmldsig#sha1": "sha1",
    "http://www.w3.org/2001/04/xmlenc#sha256": "sha256",
    "http://www.w3.org/2001/04/xmldsig-more#sha384": "sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512": "sha512",
}
ID_ATTRIBUTES = ("Id", "ID", "id")
MAX_XML_BYTES = 20 * 1024 * 1024


_PARSERS = threading.local()


def parser() -> etree.XMLParser:
    """The hardened parser, one per thread (lxml parsers may be reused, not shared between threads)."""
    found = getattr(_PARSERS, "parser", None)
    if found is None:
        found = _PARSERS.parser = etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False,
            remove_comments=False, remove_pis=False, collect_ids=False)
    return found


def parse(data: bytes) -> etree._Element:
    """Parse untrusted XML: refuse DTDs (XXE, entity expansion) and oversized input with a clear error."""
    if len(data) > MAX_XML_BYTES:
        raise InvalidInput("signing.input.too_large", _("The file is larger than the allowed %(mb)s MB."),
                           mb=MAX_XML_BYTES // (1024 * 1024))
    head = data[:4096].lstrip()
    start = data[:65536].upper()
    if b"<!DOCTYPE" in start or b"<!ENTITY" in start:
        raise InvalidInput("signing.input.xml_dtd",
                           _("XML documents with a DTD or entity declarations are refused (XXE protection)."))
    declared = encoding_conflict(data)
    if declared:
        raise InvalidInput("signing.input.xml_encoding",
                           _("The XML declaration names the encoding %(encoding)s, but the file starts with the UTF-8 "
                             "byte-order mark: the text cannot be read one way only."), encoding=declared[:40])
    if not head.startswith(b"<"):
        raise InvalidInput("signing.input.not_xml", _("The file is not an XML document."))
    try:
        root = etree.fromstring(data, parser())
    except etree.XMLSyntaxError as exc:
        line, column = (exc.position if exc.position else (exc.lineno or 0, 0))
        raise InvalidInput("signing.input.xml_malformed",
                           _("The XML document is malformed (line %(line)s, column %(column)s)."),
                           line=line, column=column, detail=str(exc)[:200]) from exc
    if root is None:
        raise InvalidInput("signing.input.xml_malformed", _("The XML document is empty."))
    info = root.getroottree().docinfo
    if info.internalDTD is not None or info.externalDTD is not None or info.doctype:
        # a DTD past the first bytes looked at (after a long comment): refused all the same
        raise InvalidInput("signing.input.xml_dtd",
                           _("XML documents with a DTD or entity declarations are refused (XXE protection)."))
    return root
LONG_TERM = ("B-LT", "B-LTA")


def _q(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


def c14n(el, algorithm: str = EXC_C14N) -> bytes:
    if algorithm not in C14N_ALGORITHMS:
        raise InvalidInput("signing.xades.c14n", _("Unsupported canonicalisation %(alg)s."), alg=algorithm[:100])
    exclusive, comments = C14N_ALGORITHMS[algorithm]
    return etree.tostring(el, method="c14n", exclusive=exclusive, with_comments=comments)


def _by_id(root, ident: str):
    for el in root.iter():
        if isinstance(el.tag, str) and any(el.get(a) == ident for a in ID_ATTRIBUTES):
            return el
    return None


def _path_from(root, el) -> list[int]:
    path = []
    while el is not root:
        parent = el.getparent()
        path.append(parent.index(el))
        el = parent
    return path[::-1]


def _follow(root, path: list[int]):
    for i in path:
        root = root[i]
    return root


def reference_octets(root, sig_el, ref) -> bytes:
    """The octets a same-document ds:Reference digests (URI="" or "#id", enveloped and C14N transforms)."""
    uri = ref.get("URI")
    algorithms = [t.get("Algorithm") for t in ref.findall(f"{{{DS}}}Transforms/{{{DS}}}Transform")]
    if uri == "":
        node = root
    elif uri and uri.startswith("#") and (node := _by_id(root, uri[1:])) is not None:
        pass
    else:
        raise InvalidInput("signing.xades.reference", _("The signature references data outside the document."))
    c14ns = [a for a in algorithms if a in C14N_ALGORITHMS]
    if uri == "" and ENVELOPED in algorithms and not any(a not in C14N_ALGORITHMS and a != ENVELOPED
                                                         for a in algorithms):
        # the whole document, top-level processing instructions included, never comments (XMLDSig 4.4.3.3)
        algorithm = c14ns[-1] if c14ns else "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
        return enveloped_document_c14n(root, sig_el, exclusive=C14N_ALGORITHMS[algorithm][0])
    if ENVELOPED in algorithms:
        path = _path_from(root, sig_el)
        node = copy.deepcopy(root if node is root else node)
        if node.tag == root.tag and path:
            target = _follow(node, path)
            target.getparent().remove(target)
    c14ns = [a for a in algorithms if a in C14N_ALGORITHMS]
    if any(a not in C14N_ALGORITHMS and a != ENVELOPED for a in algorithms):
        raise InvalidInput("signing.xades.transform", _("The signature uses a transform Kyso cannot reproduce."))
    # a node-set becomes octets by inclusive C14N 1.0 without comments when no transform says otherwise
    algorithm = c14ns[-1] if c14ns else "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
    if uri == "" and C14N_ALGORITHMS[algorithm][1]:
        algorithm = algorithm.removesuffix("WithComments")     # URI="" drops comments (XMLDSig § 4.4.3.3)
    return c14n(node, algorithm)


def check_references(root, sig_el) -> list[bytes]:
    """The octets of every reference, each checked against its DigestValue."""
    out = []
    for ref in sig_el.findall(f"{{{DS}}}SignedInfo/{{{DS}}}Reference"):
        octets = reference_octets(root, sig_el, ref)
        name = DIGESTS.get(ref.find(f"{{{DS}}}DigestMethod").get("Algorithm"))
        value = base64.b64decode((ref.findtext(f"{{{DS}}}DigestValue") or "").strip())
        if name is None or hashlib.new(name, octets).digest() != value:
            raise InvalidState("signing.xades.reference_mismatch",
                               _("A reference of the signature does not match the document; it cannot be archived."))
        out.append(octets)
    return out


def _usp(sig_el, create: bool = False):
    qp = sig_el.find(f".//{{{XADES}}}QualifyingProperties")
    if qp is None:
        raise InvalidInput("signing.xades.not_xades", _("The XML signature is not a XAdES signature."))
    unsigned = qp.find(_q(XADES, "UnsignedProperties"))
    if unsigned is None and create:
        unsigned = etree.SubElement(qp, _q(XADES, "UnsignedProperties"))
    usp = unsigned.find(_q(XADES, "UnsignedSignatureProperties")) if unsigned is not None else None
    if usp is None and create:
        usp = etree.SubElement(unsigned, _q(XADES, "UnsignedSignatureProperties"))
    return usp


def archive_input(root, sig_el, before=None, algorithm: str = EXC_C14N) -> bytes:
    """The message imprint input of a xadesv141:ArchiveTimeStamp (EN 319 132-1 § 5.5.2.2): the referenced data,
    SignedInfo, SignatureValue, KeyInfo, the unsigned signature properties before it, the other ds:Objects."""
    parts = check_references(root, sig_el)
    for name in ("SignedInfo", "SignatureValue", "KeyInfo"):
        el = sig_el.find(_q(DS, name))
        if el is not None:
            parts.append(c14n(el, algorithm))
    usp = _usp(sig_el)
    for child in (usp if usp is not None else []):
        if child is before:
            break
        if isinstance(child.tag, str):
            parts.append(c14n(child, algorithm))
    for obj in sig_el.findall(_q(DS, "Object")):
        if obj.find(_q(XADES, "QualifyingProperties")) is None:
            parts.append(c14n(obj, algorithm))
    return b"".join(parts)


# --- what the signature holds


def _b64(el) -> bytes:
    return base64.b64decode("".join((el.text or "").split()))


def tokens(sig_el, *, archive_only: bool = False) -> list:
    from asn1crypto import cms

    paths = (f".//{{{XADES}}}SignatureTimeStamp/{{{XADES}}}EncapsulatedTimeStamp",
             f".//{{{XADES141}}}ArchiveTimeStamp/{{{XADES}}}EncapsulatedTimeStamp")
    return [cms.ContentInfo.load(_b64(el)) for path in paths[archive_only:] for el in sig_el.findall(path)]


def key_info_certs(sig_el) -> list[x509.Certificate]:
    return [x509.load_der_x509_certificate(_b64(el)) for el in sig_el.findall(f"{{{DS}}}KeyInfo//{{{DS}}}X509Certificate")]


def embedded_values(sig_el) -> Material:
    """Certificates and revocation data already in the signature (CertificateValues, RevocationValues, and
    every TimeStampValidationData), as DER."""
    out = Material()
    for el in sig_el.iter(_q(XADES, "EncapsulatedX509Certificate")):
        out.add_cert(x509.load_der_x509_certificate(_b64(el)))
    out.crls += [_b64(el) for el in sig_el.iter(_q(XADES, "EncapsulatedCRLValue"))]
    out.ocsps += [_b64(el) for el in sig_el.iter(_q(XADES, "EncapsulatedOCSPValue"))]
    return out


def _material(sig_el, signer: x509.Certificate, *, refuse_revoked: bool) -> Material:
    ends, known = [signer], key_info_certs(sig_el)
    for token in tokens(sig_el):
        ends.append(cms_signer(token["content"]))
        known += cms_certificates(token["content"])
    return gather(ends, known=known, refuse_revoked=refuse_revoked)


def _values(parent, material: Material, *, skip: Material | None = None) -> None:
    skip = skip or Material()
    certs = [c for c in material.certs if c not in skip.certs]
    crls = [c for c in material.crls if c not in skip.crls]
    ocsps = [o for o in material.ocsps if o not in skip.ocsps]
    if certs:
        values = etree.SubElement(parent, _q(XADES, "CertificateValues"))
        for cert in certs:
            enc = etree.SubElement(values, _q(XADES, "EncapsulatedX509Certificate"))
            enc.text = base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()
    if crls or ocsps:
        rev = etree.SubElement(parent, _q(XADES, "RevocationValues"))
        for tag, inner, items in (("CRLValues", "EncapsulatedCRLValue", crls),
                                  ("OCSPValues", "EncapsulatedOCSPValue", ocsps)):
            if items:
                group = etree.SubElement(rev, _q(XADES, tag))
                for der in items:
                    etree.SubElement(group, _q(XADES, inner)).text = base64.b64encode(der).decode()


def signer_of(sig_el) -> x509.Certificate:
    certs = key_info_certs(sig_el)
    if not certs:
        raise InvalidInput("signing.xades.no_certificate", _("The signature carries no signing certificate."))
    return certs[0]


def add_validation_values(root, sig_el, *, refuse_revoked: bool = True) -> None:
    """B-LT: CertificateValues and RevocationValues after the signature time-stamp."""
    usp = _usp(sig_el, create=True)
    if usp.find(_q(XADES, "CertificateValues")) is not None:
        return
    holder = etree.Element("holder")
    _values(holder, _material(sig_el, signer_of(sig_el), refuse_revoked=refuse_revoked))
    for child in list(holder):
        usp.append(child)


def add_archive_timestamp(root, sig_el) -> None:
    """B-LTA: a xadesv141:ArchiveTimeStamp over the signature and all unsigned properties before it."""
    usp = _usp(sig_el, create=True)
    imprint_input = archive_input(root, sig_el, algorithm=EXC_C14N)
    token = token_for(imprint_input)
    ats = etree.SubElement(usp, _q(XADES141, "ArchiveTimeStamp"), nsmap={"xades141": XADES141})
    etree.SubElement(ats, _q(DS, "CanonicalizationMethod"), Algorithm=EXC_C14N)
    etree.SubElement(ats, _q(XADES, "EncapsulatedTimeStamp")).text = base64.b64encode(token.dump()).decode()


def _add_timestamp_validation_data(sig_el, *, refuse_revoked: bool) -> None:
    """Fresh material for the signer and every time-stamp, beyond what is already in the signature."""
    usp = _usp(sig_el, create=True)
    fresh = _material(sig_el, signer_of(sig_el), refuse_revoked=refuse_revoked)
    tsvd = etree.Element(_q(XADES141, "TimeStampValidationData"), nsmap={"xades141": XADES141})
    _values(tsvd, fresh, skip=embedded_values(sig_el))
    if len(tsvd):
        usp.append(tsvd)


def make_long_term(root, sig_el, level: str) -> None:
    """After the SignatureTimeStamp: B-LT values, then (B-LTA) an archive time-stamp."""
    add_validation_values(root, sig_el, refuse_revoked=True)
    if level == "B-LTA":
        add_archive_timestamp(root, sig_el)


def add_signature_timestamp(sig_el) -> None:
    """XAdES-T: a SignatureTimeStamp over the canonicalised ds:SignatureValue (ETSI EN 319 132-1, 5.3)."""
    token = token_for(c14n(sig_el.find(_q(DS, "SignatureValue")), EXC_C14N))
    usp = _usp(sig_el, create=True)
    ts = etree.Element(_q(XADES, "SignatureTimeStamp"))
    etree.SubElement(ts, _q(DS, "CanonicalizationMethod"), Algorithm=EXC_C14N)
    etree.SubElement(ts, _q(XADES, "EncapsulatedTimeStamp")).text = base64.b64encode(token.dump()).decode()
    usp.insert(0, ts)


def extend(root) -> bytes:
    """Renew every XAdES signature of a document: a signature time-stamp when it has none, validation values when
    it has none, fresh validation data for everything already there, then a new archive time-stamp."""
    sigs = [s for s in root.iter(_q(DS, "Signature")) if s.find(f".//{{{XADES}}}QualifyingProperties") is not None]
    if not sigs:
        raise InvalidInput("signing.extend.unsigned", _("The document has no signature to extend."))
    for sig_el in sigs:
        check_references(root, sig_el)
        usp = _usp(sig_el)
        if usp is None or usp.find(_q(XADES, "SignatureTimeStamp")) is None:
            add_signature_timestamp(sig_el)
        if _usp(sig_el).find(_q(XADES, "CertificateValues")) is None:
            add_validation_values(root, sig_el, refuse_revoked=False)
        else:
            _add_timestamp_validation_data(sig_el, refuse_revoked=False)
        add_archive_timestamp(root, sig_el)
        # the new time-stamp's own authority (a renewed TSA certificate) and its revocation data
        _add_timestamp_validation_data(sig_el, refuse_revoked=False)
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8")
