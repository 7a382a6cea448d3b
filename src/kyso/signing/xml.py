"""XML e-dossiers: enveloped XMLDSig (RSA-SHA256, ECDSA-SHA256) with XAdES-BES signed properties
(B-B) and a signature timestamp from our TSA in the unsigned properties (B-T).

signxml builds and checks the XMLDSig/XAdES structure; XAdES-T is added here because signxml does
BES only. Parsing is hardened: no DTD, no entities, no network, size-limited."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Sequence

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.utils.translation import gettext_lazy as _
from lxml import etree
from signxml import DigestAlgorithm, SignatureConstructionMethod, SignatureMethod
from signxml.xades import XAdESSigner

from kyso.core.errors import InvalidInput

from .keys import crypto_private_key
from .timestamps import token_for

DS = "http://www.w3.org/2000/09/xmldsig#"
XADES = "http://uri.etsi.org/01903/v1.3.2#"
MAX_XML_BYTES = 20 * 1024 * 1024


def parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=False, remove_pis=False, collect_ids=False)


def parse(data: bytes) -> etree._Element:
    """Parse untrusted XML: refuse DTDs (XXE, entity expansion) and oversized input with a clear error."""
    if len(data) > MAX_XML_BYTES:
        raise InvalidInput("signing.input.too_large", _("The file is larger than the allowed %(mb)s MB."),
                           mb=MAX_XML_BYTES // (1024 * 1024))
    head = data[:4096].lstrip()
    if b"<!DOCTYPE" in data[:65536].upper() or b"<!ENTITY" in data[:65536].upper():
        raise InvalidInput("signing.input.xml_dtd",
                           _("XML documents with a DTD or entity declarations are refused (XXE protection)."))
    if not head.startswith(b"<"):
        raise InvalidInput("signing.input.not_xml", _("The file is not an XML document."))
    try:
        root = etree.fromstring(data, parser())
    except etree.XMLSyntaxError as exc:
        raise InvalidInput("signing.input.xml_malformed", _("The XML document is malformed: %(detail)s"),
                           detail=str(exc)[:200]) from exc
    if root is None:
        raise InvalidInput("signing.input.xml_malformed", _("The XML document is malformed: %(detail)s"), detail="empty")
    return root


class _XAdESSigner(XAdESSigner):
    """signxml's XAdES signer digests SignedProperties and KeyInfo with the chosen canonicalisation but
    does not declare it in the reference, so other verifiers (xmlsec1) apply the default inclusive C14N
    and find a mismatch. Declare the transform explicitly."""

    def _add_reference_to_signed_info(self, sig_root, node_to_reference, **attrs):
        super()._add_reference_to_signed_info(sig_root, node_to_reference, **attrs)
        reference = self._find(sig_root, "SignedInfo").findall(f"{{{DS}}}Reference")[-1]
        transforms = etree.Element(f"{{{DS}}}Transforms")
        etree.SubElement(transforms, f"{{{DS}}}Transform", Algorithm=self.c14n_alg.value)
        reference.insert(0, transforms)


def _signature_method(cert: x509.Certificate) -> SignatureMethod:
    from cryptography.hazmat.primitives.asymmetric import ec

    if isinstance(cert.public_key(), ec.EllipticCurvePublicKey):
        return SignatureMethod.ECDSA_SHA256
    return SignatureMethod.RSA_SHA256


def sign_xml(data: bytes, key, cert: x509.Certificate, *, chain: Sequence[x509.Certificate] = (),
             level: str = "B-B") -> bytes:
    """Sign a whole XML document (enveloped signature over URI="") as XAdES B-B or B-T."""
    if level not in ("B-B", "B-T"):
        raise InvalidInput("signing.level.unsupported", _("Unsupported signature level %(level)s for XML."), level=level)
    root = parse(data)
    if root.find(f".//{{{DS}}}Signature") is not None and root.tag != f"{{{DS}}}Signature":
        # A second enveloped signature would break the first one's digest (it covers the whole document).
        raise InvalidInput("signing.xml.already_signed", _("The XML document is already signed."))
    signer = _XAdESSigner(
        method=SignatureConstructionMethod.enveloped,
        signature_algorithm=_signature_method(cert),
        digest_algorithm=DigestAlgorithm.SHA256,
        c14n_algorithm="http://www.w3.org/2001/10/xml-exc-c14n#",
    )
    pem_chain = [c.public_bytes(serialization.Encoding.PEM).decode() for c in [cert, *chain]]
    signed = signer.sign(root, key=crypto_private_key(key), cert=pem_chain, always_add_key_value=False)
    if level == "B-T":
        _add_signature_timestamp(signed)
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")


def _add_signature_timestamp(root: etree._Element) -> None:
    """XAdES-T: a SignatureTimeStamp over the canonicalised ds:SignatureValue (ETSI EN 319 132-1, 5.3)."""
    sig = root.find(f".//{{{DS}}}Signature")
    value = sig.find(f"{{{DS}}}SignatureValue")
    c14n = etree.tostring(value, method="c14n", exclusive=True)
    token = token_for(c14n)
    qp = sig.find(f".//{{{XADES}}}QualifyingProperties")
    unsigned = qp.find(f"{{{XADES}}}UnsignedProperties")
    if unsigned is None:
        unsigned = etree.SubElement(qp, f"{{{XADES}}}UnsignedProperties")
    usp = etree.SubElement(unsigned, f"{{{XADES}}}UnsignedSignatureProperties")
    ts = etree.SubElement(usp, f"{{{XADES}}}SignatureTimeStamp")
    etree.SubElement(ts, f"{{{DS}}}CanonicalizationMethod", Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#")
    enc = etree.SubElement(ts, f"{{{XADES}}}EncapsulatedTimeStamp")
    enc.text = base64.b64encode(token.dump()).decode()


def signature_timestamp(sig_el) -> tuple[bytes, bytes] | None:
    """(token DER, canonicalised SignatureValue) of an XAdES-T signature, or None."""
    enc = sig_el.find(f".//{{{XADES}}}SignatureTimeStamp/{{{XADES}}}EncapsulatedTimeStamp")
    if enc is None or not (enc.text or "").strip():
        return None
    value = sig_el.find(f"{{{DS}}}SignatureValue")
    return base64.b64decode(enc.text), etree.tostring(value, method="c14n", exclusive=True)


def signing_time(sig_el) -> dt.datetime | None:
    el = sig_el.find(f".//{{{XADES}}}SigningTime")
    if el is None or not el.text:
        return None
    try:
        return dt.datetime.fromisoformat(el.text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


__all__ = ["sign_xml", "parse"]
