"""XML e-dossiers: enveloped XMLDSig (RSA-SHA256, ECDSA-SHA256) with XAdES-BES signed properties
(B-B), a signature timestamp from our TSA in the unsigned properties (B-T), validation values (B-LT) and an
archive time-stamp (B-LTA) from `xades_lt`.

The B-B signature is built here with lxml, in signxml's XAdES shape (`xades_bb`); signxml signs only what
is itself a ds:Signature root and, in the tests, the corpus' variants. XAdES-T and beyond come from `xades_lt`. Parsing is hardened: no DTD, no entities, no network, size-limited."""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import secrets
from collections.abc import Sequence

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from django.utils.translation import gettext_lazy as _
from lxml import etree
from signxml import DigestAlgorithm, SignatureConstructionMethod, SignatureMethod
from signxml.xades import XAdESSigner

from kyso.core.errors import InvalidInput

from . import xades_lt
from .xades_lt import MAX_XML_BYTES, parse, parser
from .keys import crypto_private_key
from .xmlcrypto import document_c14n

DS = "http://www.w3.org/2000/09/xmldsig#"
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
XADES = "http://uri.etsi.org/01903/v1.3.2#"
LEVELS = ("B-B", "B-T", "B-LT", "B-LTA")


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
    if isinstance(cert.public_key(), ec.EllipticCurvePublicKey):
        return SignatureMethod.ECDSA_SHA256
    return SignatureMethod.RSA_SHA256


def sign_xml(data: bytes, key, cert: x509.Certificate, *, chain: Sequence[x509.Certificate] = (),
             level: str = "B-B") -> bytes:
    """Sign a whole XML document (enveloped signature over URI="") as XAdES B-B, B-T, B-LT or B-LTA."""
    if level not in LEVELS:
        raise InvalidInput("signing.level.unsupported", _("Unsupported signature level %(level)s for XML."), level=level)
    root = parse(data)
    if root.find(f".//{{{DS}}}Signature") is not None and root.tag != f"{{{DS}}}Signature":
        # A second enveloped signature would break the first one's digest (it covers the whole document).
        raise InvalidInput("signing.xml.already_signed", _("The XML document is already signed."))
    if root.tag == f"{{{DS}}}Signature":
        signed = _signxml_sign(root, key, cert, chain)
    else:
        signed = root
        root.append(xades_bb(root, crypto_private_key(key), [cert, *chain]))
    if level != "B-B":
        sig_el = signed.find(f"{{{DS}}}Signature")
        xades_lt.add_signature_timestamp(sig_el)
        if level in xades_lt.LONG_TERM:
            xades_lt.make_long_term(signed, sig_el, level)
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")


def _signxml_sign(root, key, cert: x509.Certificate, chain: Sequence[x509.Certificate]):
    signer = _XAdESSigner(
        method=SignatureConstructionMethod.enveloped,
        signature_algorithm=_signature_method(cert),
        digest_algorithm=DigestAlgorithm.SHA256,
        c14n_algorithm=EXC_C14N,
    )
    pem_chain = [c.public_bytes(serialization.Encoding.PEM).decode() for c in [cert, *chain]]
    return signer.sign(root, key=crypto_private_key(key), cert=pem_chain, always_add_key_value=False)


EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
_SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
_NSMAP = {"ds": DS, "xades": XADES}


def _ds(parent, name: str, text: str | None = None, **attrs):
    el = etree.SubElement(parent, f"{{{DS}}}{name}", attrs)
    el.text = text
    return el


def _xa(parent, name: str, text: str | None = None, **attrs):
    el = etree.SubElement(parent, f"{{{XADES}}}{name}", attrs)
    el.text = text
    return el


def _b64_digest(octets: bytes) -> str:
    return base64.b64encode(hashlib.sha256(octets).digest()).decode()


def _c14n(el) -> bytes:
    """Exclusive C14N without comments (lxml's default keeps them: not the algorithm the signature names)."""
    return etree.tostring(el, method="c14n", exclusive=True, with_comments=False)


def _reference(signed_info, uri: str, transforms: Sequence[str], digest: str, **attrs):
    ref = _ds(signed_info, "Reference", URI=uri, **attrs)
    tr = _ds(ref, "Transforms")
    for alg in transforms:
        _ds(tr, "Transform", Algorithm=alg)
    _ds(ref, "DigestMethod", Algorithm=_SHA256)
    return _ds(ref, "DigestValue", digest)


@functools.lru_cache(maxsize=1024)
def _certificate_texts(cert: x509.Certificate) -> tuple[str, str]:
    """(X509Certificate text in 64-character lines, base64 SHA-256 digest) of a certificate, once per
    certificate: a signer signs many documents with the same chain."""
    der = cert.public_bytes(serialization.Encoding.DER)
    b64 = base64.b64encode(der).decode()
    return "\n".join(b64[i:i + 64] for i in range(0, len(b64), 64)) + "\n", _b64_digest(der)


def xades_bb(root, private_key, certs: Sequence[x509.Certificate]):
    """The enveloped XAdES B-B signature of `root` (not yet appended), built and canonicalised directly with
    lxml: the same structure signxml's XAdES signer gives (with the C14N transforms declared), each part
    canonicalised once, the document itself once (issue 19)."""
    ec_key = isinstance(private_key, ec.EllipticCurvePrivateKey)
    sig, octets = unsigned_xades_bb(root, certs, ec_key=ec_key)
    if ec_key:
        r, s = decode_dss_signature(private_key.sign(octets, ec.ECDSA(hashes.SHA256())))
        size = (private_key.curve.key_size + 7) // 8
        raw = r.to_bytes(size, "big") + s.to_bytes(size, "big")
    else:
        raw = private_key.sign(octets, PKCS1v15(), hashes.SHA256())
    sig.find(f"{{{DS}}}SignatureValue").text = base64.b64encode(raw).decode()
    return sig


def unsigned_xades_bb(root, certs: Sequence[x509.Certificate], *, ec_key: bool):
    """(the XAdES B-B Signature element with an empty SignatureValue, the canonical SignedInfo octets whose
    SHA-256 is to be signed): for a key Kyso never holds — a USB token behind the signer's own browser."""
    tokens = secrets.token_hex(16).upper()
    sig_id, ref_id, key_info_id = f"SignXMLSignature{tokens[:8]}", f"SignXMLReference{tokens[8:16]}", \
        f"SignXMLCertificate{tokens[16:24]}"
    props_id = f"{sig_id}-SignedProperties{tokens[24:]}"
    sig = etree.Element(f"{{{DS}}}Signature", {"Id": sig_id}, nsmap=_NSMAP)
    signed_info = _ds(sig, "SignedInfo")
    _ds(signed_info, "CanonicalizationMethod", Algorithm=EXC_C14N)
    _ds(signed_info, "SignatureMethod", Algorithm=(SignatureMethod.ECDSA_SHA256 if ec_key
                                                   else SignatureMethod.RSA_SHA256).value)
    # URI="": the whole document, its top-level processing instructions included (xmlcrypto.document_c14n)
    document = document_c14n(root, exclusive=True, with_comments=False)
    _reference(signed_info, "", (ENVELOPED, EXC_C14N), _b64_digest(document), Id=ref_id)
    props_digest = _reference(signed_info, f"#{props_id}", (EXC_C14N,), "",
                              Type="http://uri.etsi.org/01903#SignedProperties")
    key_info_digest = _reference(signed_info, f"#{key_info_id}", (EXC_C14N,), "")
    _ds(sig, "SignatureValue")
    key_info = _ds(sig, "KeyInfo", Id=key_info_id)
    x509_data = _ds(key_info, "X509Data")
    parts = [_certificate_texts(c) for c in certs]
    for text, _digest in parts:
        _ds(x509_data, "X509Certificate", text)
    qualifying = _xa(_ds(sig, "Object"), "QualifyingProperties", Target=f"#{sig_id}")
    props = _xa(qualifying, "SignedProperties", Id=props_id)
    ssp = _xa(props, "SignedSignatureProperties")
    _xa(ssp, "SigningTime", dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
    v2 = _xa(ssp, "SigningCertificateV2")
    for _text, cert_digest in parts:
        digest = _xa(_xa(v2, "Cert"), "CertDigest")
        _ds(digest, "DigestMethod", Algorithm=_SHA256)
        _ds(digest, "DigestValue", cert_digest)
    dof = _xa(_xa(props, "SignedDataObjectProperties"), "DataObjectFormat", ObjectReference=f"#{ref_id}")
    _xa(dof, "Description", "Default XAdES payload description")
    _xa(dof, "MimeType", "text/xml")
    props_digest.text = _b64_digest(_c14n(props))
    key_info_digest.text = _b64_digest(_c14n(key_info))
    return sig, _c14n(signed_info)


def signature_timestamp(sig_el) -> tuple[bytes, bytes] | None:
    """(token DER, canonicalised SignatureValue) of an XAdES-T signature, or None."""
    enc = sig_el.find(f".//{{{XADES}}}SignatureTimeStamp/{{{XADES}}}EncapsulatedTimeStamp")
    if enc is None or not (enc.text or "").strip():
        return None
    value = sig_el.find(f"{{{DS}}}SignatureValue")
    return base64.b64decode(enc.text), etree.tostring(value, method="c14n", exclusive=True)


def signing_time(sig_el) -> dt.datetime | None:
    # only the signed one: a SigningTime anywhere else in the signature is anybody's to write
    el = sig_el.find(f".//{{{XADES}}}SignedProperties/{{{XADES}}}SignedSignatureProperties/{{{XADES}}}SigningTime")
    if el is None or not el.text:
        return None
    try:
        return dt.datetime.fromisoformat(el.text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


__all__ = ["sign_xml", "parse", "parser", "MAX_XML_BYTES"]
