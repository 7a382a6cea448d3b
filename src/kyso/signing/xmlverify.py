"""Verification of XML signatures (XMLDSig / XAdES): integrity, key, coverage (no wrapping), timestamp,
certificate. The whole document must be what is signed: an e-dossier signature covers the root."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import re

from asn1crypto import cms
from cryptography import x509
from cryptography.exceptions import InvalidSignature as CryptoInvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import dsa, ec, rsa
from django.utils.translation import gettext as _
from lxml import etree
from pyhanko.sign.validation.generic_cms import validate_tst_signed_data
from signxml import CanonicalizationMethod, DigestAlgorithm, SignatureConfiguration, SignatureMethod, XMLVerifier
from signxml.exceptions import (InvalidDigest, InvalidInput as SignxmlInvalidInput, InvalidSignature,
                                SignXMLException as SignxmlException)
from signxml.util import _remove_sig

from kyso.core import display

from . import algorithms, certcache, xmlstructure, xmlunsigned
from . import report as r
from .certcheck import check_certificate, describe, timestamp_untrusted
from .embedded import MAX_CERTS, xades_level
from .trust import TrustStore
from .xml import DS, XADES, parse, parser, signature_timestamp, signing_time
from .xmlcrypto import (EXC_C14N, confirm, document_c14n, id_attributes, inherited_xml_attributes,
                        subtree_c14n, value_text)

SIGNED_PROPS_TYPES = xmlstructure.SIGNED_PROPS_TYPES


_X509_CERTIFICATES = f"{{{DS}}}KeyInfo//{{{DS}}}X509Certificate"
# KeyInfo carries the signer's certificate and his chain: a handful. As many as the document's own validation
# material takes from one KeyInfo (embedded.MAX_CERTS); more is no signature's need but work for the verifier.
MAX_KEY_INFO_CERTIFICATES = MAX_CERTS


def _certs(sig_el) -> list[x509.Certificate]:
    out = []
    for el in sig_el.findall(_X509_CERTIFICATES):
        try:
            # all of its text: a comment inside the value splits it (the comment is judged by coverage.comment);
            # an element inside is no part of the value (xmlunsigned judges it)
            cert = x509.load_der_x509_certificate(base64.b64decode("".join(value_text(el).split())))
            cert.public_key()       # parsed lazily: a damaged key must fail here, not halfway through
        except (ValueError, UnsupportedAlgorithm):
            continue
        out.append(cert)
    return out


def _coverage(root, sig_el, sig: r.SignatureReport, id_values) -> bool:
    """Refuse signature wrapping: the signature sits in the root and references the whole document (URI="" or
    the root by its Id) — or, enveloping, is the root and references the ds:Object that holds the content —
    plus at most the XAdES SignedProperties, the KeyInfo of this very signature and elements the document
    reference already signs."""
    refs = sig_el.findall(f"{{{DS}}}SignedInfo/{{{DS}}}Reference")
    targets = xmlstructure.id_targets(id_values)
    whole = xmlstructure.content_references(root, sig_el, targets)
    others = [ref for ref in refs if ref not in whole]
    props_ids = {el.get("Id") for el in sig_el.iter(f"{{{XADES}}}SignedProperties") if el.get("Id")}
    key_info_ids = {el.get("Id") for el in sig_el.findall(f"{{{DS}}}KeyInfo") if el.get("Id")}
    bad = [ref for ref in others
           if not ((ref.get("Type") in SIGNED_PROPS_TYPES and (ref.get("URI") or "").lstrip("#") in props_ids)
                   or (ref.get("URI") or "").lstrip("#") in key_info_ids
                   or xmlstructure.inside_signed_document(root, sig_el, ref, targets))]
    # every attribute signxml resolves references by (`id_values`: any Id, ID or id attribute in any
    # namespace): one value twice could point it at a decoy
    duplicate_ids = len(id_values) != len(set(id_values))
    placed = sig_el.getparent() is root or (sig_el is root and bool(whole))
    if not placed or not whole or (sig_el is not root and len(whole) != 1) or bad or duplicate_ids:
        sig.check("coverage.partial", False,
                  _("The signature does not cover the whole document (possible signature wrapping)."),
                  indeterminate=r.SIG_CONSTRAINTS_FAILURE)
        return False
    sig.check("coverage.whole", True, _("The signature covers the whole document."))
    return True


# Every signature method but HMAC (a shared-secret MAC, no signature: a verifier handed the signer's public
# certificate as HMAC key would accept anybody's forgery); SHA-1 is let through here and judged by the
# algorithm policy afterwards (INDETERMINATE, not a format failure).
SIGNATURE_METHODS = frozenset(m for m in SignatureMethod if "HMAC" not in m.name)
_DIGEST_NAME = re.compile(r"(md5|sha3-\d+|sha\d+)", re.I)


def _signed_properties_referenced(sig_el) -> bool:
    """EN 319 132-1, 4.3.1: every SignedProperties is covered by a Reference of SignedInfo (otherwise its
    signing time and signing certificate are anybody's to rewrite)."""
    uris = {(ref.get("URI") or "")[1:] for ref in sig_el.findall(f"{{{DS}}}SignedInfo/{{{DS}}}Reference")
            if (ref.get("URI") or "").startswith("#")}
    props = list(sig_el.iter(f"{{{XADES}}}SignedProperties"))
    return bool(props) and all(p.get("Id") in uris for p in props)


def _comment_in_value(root, content_refs) -> bool:
    """A comment with text right before or after it (<v>85<!---->00000</v>): a reference to the document drops
    comments (XMLDSig 4.4.3.3, canonicalisation without comments), so the signature still verifies, but a reader
    that takes one text node reads another value (the comment was put there after signing, or never signed).
    Only the document reference's own transforms count (by Id and with comments, the comments are signed); a
    WithComments transform elsewhere — another reference's, or one written in an unsigned part — signs none."""
    if all(ref.get("URI") != "" and any((t.get("Algorithm") or "").endswith("#WithComments")
                                        for t in ref.findall(f"{{{DS}}}Transforms/{{{DS}}}Transform"))
           for ref in content_refs):
        return False
    for comment in root.iter(etree.Comment):
        parent = comment.getparent()
        if parent is None:
            continue
        previous = comment.getprevious()
        before = parent.text if previous is None else previous.tail
        if (before or "").strip() or (comment.tail or "").strip():
            return True
    return False


def _unsigned_prolog(root, content_refs) -> bool:
    """A processing instruction beside the root element (xml-stylesheet: what a reader is shown) is signed only
    by URI="" (the whole document); a signature by the root's Id or, enveloping, by its ds:Object does not sign
    it — one added after signing would pass unseen."""
    if any(ref.get("URI") == "" for ref in content_refs):
        return False
    return any(isinstance(node, etree._ProcessingInstruction)
               for node in (*root.itersiblings(preceding=True), *root.itersiblings()))


def _algorithm_names(sig_el) -> tuple[str, list[str]]:
    """(SignatureMethod URI, digest names used by the signature method and the references)."""
    method = sig_el.find(f"{{{DS}}}SignedInfo/{{{DS}}}SignatureMethod")
    uri = (method.get("Algorithm") if method is not None else "") or ""
    uris = [uri] + [dm.get("Algorithm") or "" for dm in
                    sig_el.findall(f"{{{DS}}}SignedInfo/{{{DS}}}Reference/{{{DS}}}DigestMethod")]
    names = []
    for u in uris:
        m = _DIGEST_NAME.search(u.rsplit("#", 1)[-1])
        if m:
            names.append(m.group(1).lower().replace("-", "_"))
    return uri, names


# W3C XMLDSig best practices: only canonicalisation and the enveloped-signature transform; no XSLT (code
# execution, denial of service), no XPath (arbitrary expressions, wrapping), no base64/decrypt transforms.
TRANSFORMS = frozenset({
    "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315", "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments",
    "http://www.w3.org/2006/12/xml-c14n11", "http://www.w3.org/2006/12/xml-c14n11#WithComments",
    "http://www.w3.org/2001/10/xml-exc-c14n#", "http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
})


XPATH = "http://www.w3.org/TR/1999/REC-xpath-19991116"
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
_ENVELOPED_XPATH = re.compile(r"^not\(ancestor-or-self::(?:(\w+):)?Signature\)$")


def enveloped_xpath(transform) -> bool:
    """The one XPath allowed: `not(ancestor-or-self::ds:Signature)` with ds bound to XMLDSig — the old way of
    writing the enveloped-signature transform (endesive, some e-invoice tools). Any other expression is refused."""
    if transform.get("Algorithm") != XPATH:
        return False
    xpath = transform.find(f"{{{DS}}}XPath")
    if xpath is None or len(transform) != 1:
        return False
    m = _ENVELOPED_XPATH.match("".join((xpath.text or "").split()))
    return m is not None and xpath.nsmap.get(m.group(1)) == DS


class _Verifier(XMLVerifier):
    """signxml skips transforms it does not know (it would digest as if an XPath or XSLT were absent): Kyso
    refuses those beforehand, and applies the restricted XPath as the enveloped-signature transform it is.
    `context`: the xml: attributes the signature inherits in the document (signxml takes it out of the document
    before it canonicalises its SignedInfo)."""

    def __init__(self, context: dict | None = None):
        super().__init__()
        self.context = context or {}

    def _apply_transforms(self, payload, *, transforms_node, signature):
        if transforms_node is not None and any(enveloped_xpath(t) for t in transforms_node):
            _remove_sig(signature, idempotent=True)
        if transforms_node is not None and transforms_node.getparent().get("URI") == "" \
                and isinstance(payload, etree._Element):
            # URI="" is the whole document, not the root element signxml hands over (top-level instructions)
            return self._document(payload, transforms_node, signature)
        return super()._apply_transforms(payload, transforms_node=transforms_node, signature=signature)

    def _c14n(self, nodes, algorithm, inclusive_ns_prefixes=None):
        # signxml asks libxml2 for an element's canonical form inside its document; inclusive C14N then goes wrong
        # (`subtree_c14n` says how): each element is canonicalised on its own
        value = getattr(algorithm, "value", str(algorithm))
        return b"".join(subtree_c14n(node, exclusive=value.startswith(EXC_C14N), with_comments=value.endswith(
            "#WithComments"), inclusive_ns_prefixes=inclusive_ns_prefixes, algorithm=value, context=self.context)
            for node in (nodes if isinstance(nodes, list) else [nodes]))

    def _tostring(self, xml_node, **kwargs):
        # signxml copies the document by serialising its root element: keep the top-level instructions
        if isinstance(xml_node, etree._Element) and xml_node.getparent() is None:
            return etree.tostring(xml_node.getroottree(), **kwargs)
        return super()._tostring(xml_node, **kwargs)

    def _document(self, root, transforms_node, signature) -> bytes:
        transforms = [t for t in transforms_node if isinstance(t.tag, str)]
        if any(t.get("Algorithm") == ENVELOPED for t in transforms):
            _remove_sig(signature, idempotent=True)
        c14n = [t for t in transforms if t.get("Algorithm") in TRANSFORMS and t.get("Algorithm") != ENVELOPED]
        alg = c14n[-1].get("Algorithm") if c14n else ""
        prefixes = self._get_inclusive_ns_prefixes(c14n[-1]) if c14n else None
        # URI="" is the document without its comments, whatever the canonicalisation (XMLDSig 4.4.3.3)
        return document_c14n(root, exclusive="xml-exc-c14n" in alg, with_comments=False,
                             inclusive_ns_prefixes=prefixes)


MAX_TRANSFORMS = 4      # enveloped + C14N is what signers write; thousands would be a denial of service


def _forbidden_transforms(sig_el) -> list[str]:
    for transforms in sig_el.findall(f"{{{DS}}}SignedInfo/{{{DS}}}Reference/{{{DS}}}Transforms"):
        if len(transforms) > MAX_TRANSFORMS:
            return [_("%(count)d transforms on one reference") % {"count": len(transforms)}]
    return [t.get("Algorithm") or "" for t in
            sig_el.findall(f"{{{DS}}}SignedInfo/{{{DS}}}Reference/{{{DS}}}Transforms/{{{DS}}}Transform")
            if (t.get("Algorithm") or "") not in TRANSFORMS and not enveloped_xpath(t)]


_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")
_BASE64_ELEMENTS = tuple(f"{{{DS}}}{name}" for name in (
    "SignatureValue DigestValue X509Certificate X509CRL X509SKI Modulus Exponent P Q G Y J Seed PgenCounter "
    "PGPKeyID PGPKeyPacket SPKISexp").split()) + tuple(f"{{{xmlunsigned.DSIG11}}}{name}" for name in (
        "PublicKey", "DEREncodedKeyValue", "X509Digest"))


def _strict_base64(sig_el) -> bool:
    """Base64 values hold only the base64 alphabet and white space (xs:base64Binary): decoders skip other
    characters, which would let a changed file pass unnoticed. The value is one text: an element or an
    instruction with value text after it splits it (a reader of the first text node reads another value)."""
    for el in sig_el.iter(*_BASE64_ELEMENTS):
        if any(not isinstance(c, etree._Comment) and (c.tail or "").strip() for c in el):
            return False
        text = "".join(value_text(el).split())
        if len(text) % 4 or not _BASE64.fullmatch(text):
            return False
    return True


def _known(sig_el) -> bool:
    method = sig_el.find(f"{{{DS}}}SignedInfo/{{{DS}}}SignatureMethod")
    digests = sig_el.findall(f"{{{DS}}}SignedInfo/{{{DS}}}Reference/{{{DS}}}DigestMethod")
    try:
        SignatureMethod(method.get("Algorithm"))
        for dm in digests:
            DigestAlgorithm(dm.get("Algorithm"))
    except (ValueError, AttributeError):
        return False
    return True


def _crypto(data_root, sig_el, certs, sig: r.SignatureReport) -> x509.Certificate | None:
    """signxml's full check, once: with the certificate whose key verifies the signature value, else with the
    first one of the right key type (its verdict says why none does). signxml copies the document for every
    check; run once per certificate of KeyInfo, thousands of decoys took minutes."""
    n_refs = len(sig_el.findall(f"{{{DS}}}SignedInfo/{{{DS}}}Reference"))
    copied = _signature_in(data_root)        # the one signxml checks (location "./")
    context = inherited_xml_attributes(copied) if copied is not None else {}
    method = SignatureMethod(sig_el.find(f"{{{DS}}}SignedInfo/{{{DS}}}SignatureMethod").get("Algorithm"))
    # another certificate of KeyInfo (a CA of the chain, a decoy) whose key is of another type: signxml would
    # call the whole signature malformed instead of trying the next one
    fitting = [cert for cert in certs if _key_fits(cert, method)]
    if not fitting:
        sig.check("integrity.signature", False, _("The signature value does not match the certificate's key."),
                  fail=r.SIG_CRYPTO_FAILURE)
        return None
    cert = _signer(_Verifier(context), copied, fitting, method) or fitting[0]
    # Cryptography only here: the certificate's validity period is judged later, at the signing time
    # proven by a timestamp (POE), not at "now" as signxml would.
    config = SignatureConfiguration(expect_references=n_refs, location="./",
                                    verification_time=cert.not_valid_before_utc,
                                    signature_methods=SIGNATURE_METHODS,
                                    digest_algorithms=frozenset(DigestAlgorithm))
    try:
        _Verifier(context).verify(data_root, x509_cert=cert, expect_config=config, validate_schema=False)
    except InvalidDigest:
        sig.check("integrity.digest", False, _("The document was changed after it was signed (digest mismatch)."),
                  fail=r.HASH_FAILURE)
        return None
    except InvalidSignature:
        sig.check("integrity.signature", False, _("The signature value does not match the certificate's key."),
                  fail=r.SIG_CRYPTO_FAILURE)
        return None
    except SignxmlInvalidInput as exc:
        sig.check("format.invalid", False, _("The signature is malformed."), detail=exc, fail=r.FORMAT_FAILURE)
        return None
    _intact(sig)
    return cert


def _signature_in(data_root):
    """The signature signxml checks (location "./"): the root's first ds:Signature, or the root (enveloping)."""
    root = data_root.getroot()
    return root if root.tag == f"{{{DS}}}Signature" else root.find(f"{{{DS}}}Signature")


def _signer(verifier: _Verifier, signature_ref, certs, method: SignatureMethod) -> x509.Certificate | None:
    """The first certificate whose key verifies the signature value over SignedInfo, canonicalised once as
    signxml does it (the signature element copied on its own, the verifier's own canonicalisation), or None.
    A certificate whose validity period signxml would refuse is skipped, as signxml's loop skipped it."""
    try:
        signature = verifier._fromstring(verifier._tostring(signature_ref))
        signed_info = verifier._find(signature, "SignedInfo")
        c14n_method = verifier._find(signed_info, "CanonicalizationMethod")
        octets = verifier._c14n(signed_info, algorithm=CanonicalizationMethod(c14n_method.get("Algorithm")),
                                inclusive_ns_prefixes=verifier._get_inclusive_ns_prefixes(c14n_method))
        raw = base64.b64decode(verifier._find(signature, "SignatureValue").text)
    except (SignxmlException, etree.LxmlError, ValueError, TypeError):
        return None
    for cert in certs:
        if cert.not_valid_before_utc > cert.not_valid_after_utc:
            continue
        try:
            verifier._verify_signature_with_pubkey(signed_info_c14n=octets, raw_signature=raw,
                                                   signing_certificate=cert, signature_alg=method)
        except (CryptoInvalidSignature, SignxmlException, ValueError, TypeError, UnsupportedAlgorithm):
            continue
        return cert
    return None


def _key_fits(cert: x509.Certificate, method: SignatureMethod) -> bool:
    key = cert.public_key()
    if "ECDSA" in method.name:
        return isinstance(key, ec.EllipticCurvePublicKey)
    if "DSA" in method.name:
        return isinstance(key, dsa.DSAPublicKey)
    return isinstance(key, rsa.RSAPublicKey)


def _intact(sig: r.SignatureReport) -> None:
    sig.check("integrity.digest", True, _("The signed content is intact."))
    sig.check("integrity.signature", True, _("The signature value matches the signer's public key."))


_SIGNED_SIGNATURE_PROPERTIES = f".//{{{XADES}}}SignedProperties/{{{XADES}}}SignedSignatureProperties"


def _signing_cert_digest(sig_el, cert: x509.Certificate, sig: r.SignatureReport) -> None:
    """XAdES: the signed properties name the signing certificate by digest (substitution protection); only the
    signed ones: a SigningCertificate(V2) written in an unsigned place names whatever certificate one likes."""
    digests = [cd for name in ("SigningCertificateV2", "SigningCertificate") for cd in sig_el.findall(
        f"{_SIGNED_SIGNATURE_PROPERTIES}/{{{XADES}}}{name}/{{{XADES}}}Cert/{{{XADES}}}CertDigest")]
    if not digests:
        return
    der = certcache.der(cert)
    for cd in digests:
        alg = (cd.find(f"{{{DS}}}DigestMethod").get("Algorithm") or "").rsplit("#", 1)[-1]
        name = {"sha256": "sha256", "sha512": "sha512", "sha384": "sha384", "sha1": "sha1"}.get(alg, "sha256")
        value = base64.b64decode((cd.find(f"{{{DS}}}DigestValue").text or "").strip())
        if hashlib.new(name, der).digest() == value:
            sig.check("xades.signing_certificate", True, _("The signed properties name this signing certificate."))
            return
    # EN 319 102-1, 5.2.3: the certificate that verifies is not the one the signer bound himself to
    sig.check("xades.signing_certificate", False,
              _("The signed properties name a different signing certificate."),
              indeterminate=r.NO_SIGNING_CERTIFICATE_FOUND)


def _timestamp(sig_el, trust: TrustStore, sig: r.SignatureReport, at: dt.datetime | None = None) -> dt.datetime | None:
    """The signature time-stamp's time when it holds; judged at `at` when an archive time-stamp proves the
    signature existed then (its authority's certificate may have expired since)."""
    found = signature_timestamp(sig_el)
    if not found:
        return None
    token_der, c14n_value = found
    try:
        token = cms.ContentInfo.load(token_der)
        signed_data = token["content"]
        status = asyncio.run(validate_tst_signed_data(
            signed_data, trust.validation_context(at=at), lambda algo: hashlib.new(algo, c14n_value).digest()))
    except Exception as exc:  # noqa: BLE001 - a broken token is reported, not raised
        # FORMAT_FAILURE comes with TOTAL_FAILED (EN 319 102-1, 5.1.3), as a time-stamp that does not match
        sig.check("timestamp.invalid", False, _("The signature timestamp is not valid."), detail=exc,
                  fail=r.FORMAT_FAILURE)
        return None
    if not status.get("intact") or not status.get("valid"):
        sig.check("timestamp.invalid", False, _("The signature timestamp does not match the signature."),
                  fail=r.HASH_FAILURE)
        return None
    if not algorithms.timestamp_holds(sig, signed_data, status.get("signing_cert"),
                                      at=algorithms.judged_at(at, trust)):
        return None
    if status.get("trust_problem_indic") is not None:
        timestamp_untrusted(sig, x509.load_der_x509_certificate(status["signing_cert"].dump()), trust=trust, at=at)
        return None
    when = status["timestamp"]
    sig.check("timestamp.valid", True, _("Signature timestamp from a trusted authority: %(time)s") % {
        "time": display.when(when, seconds=True)})
    return when


def verify_xml(data: bytes, report: r.DocumentReport, trust: TrustStore) -> None:
    root = parse(data)
    sigs = list(root.iter(f"{{{DS}}}Signature"))
    if not sigs and xmlstructure.orphans(root):
        report.fail_document("format.structure", False, _("The file holds parts of an XML signature outside any "
                                                          "Signature element."),
                             indication=r.FAILED, sub=r.FORMAT_FAILURE)
    for sig_el in sigs:
        is_xades = sig_el.find(f".//{{{XADES}}}QualifyingProperties") is not None
        sig = r.SignatureReport(kind="XAdES" if is_xades else "XMLDSig")
        report.signatures.append(sig)
        try:
            _verify_one(data, root, sig_el, sig, is_xades, trust)
        except (etree.LxmlError, ValueError, UnsupportedAlgorithm) as exc:
            # e.g. canonicalisation refusing a relative namespace URI in a damaged file
            sig.check("format.invalid", False, _("The signature is malformed."), detail=exc,
                      fail=r.FORMAT_FAILURE)


def _verify_one(data, root, sig_el, sig, is_xades, trust) -> None:
    missing = xmlstructure.problem(sig_el)
    if missing:
        sig.check("format.structure", False, _("The XML signature does not have the structure XMLDSig requires: "
                                               "the element %(name)s is missing, empty or out of place.")
                  % {"name": missing}, fail=r.FORMAT_FAILURE)
        return
    count = len(sig_el.findall(_X509_CERTIFICATES))
    if count > MAX_KEY_INFO_CERTIFICATES:
        # before any certificate is read: each is a candidate key for the signature value
        sig.check("format.key_info_certificates", False, _("The signature's KeyInfo holds %(count)d certificates; "
                                                           "more than %(max)d are refused.")
                  % {"count": count, "max": MAX_KEY_INFO_CERTIFICATES}, fail=r.FORMAT_FAILURE)
        return
    certs = _certs(sig_el)
    if not certs:
        sig.check("certificate.missing", False, _("The signature carries no signing certificate."),
                  indeterminate=r.NO_SIGNING_CERTIFICATE_FOUND)
        return
    describe(certs[0], sig)
    id_values = id_attributes(root)
    if not _coverage(root, sig_el, sig, id_values):
        return
    if is_xades and not _signed_properties_referenced(sig_el):
        sig.check("format.invalid", False, _("The signed properties of the XAdES signature are not covered by "
                                             "the signature."), fail=r.FORMAT_FAILURE)
        return
    targets = xmlstructure.id_targets(id_values)
    content_refs = xmlstructure.content_references(root, sig_el, targets)
    content = xmlstructure.qname_candidates(root, sig_el, targets)
    prefix = next(filter(None, (xmlstructure.unsigned_qname_prefix(content, ref) for ref in content_refs)), "")
    if prefix:
        sig.check("coverage.qname_prefix", False, _("A value names the namespace prefix %(prefix)s, whose "
                                                    "declaration the canonicalisation does not sign: it can be "
                                                    "rebound after signing and the value read otherwise.")
                  % {"prefix": prefix}, indeterminate=r.SIG_CONSTRAINTS_FAILURE)
        return
    if _comment_in_value(root, content_refs):
        sig.check("coverage.comment", False, _("A comment stands inside a signed value; the comment is not signed "
                                               "and some software then reads another value."),
                  indeterminate=r.SIG_CONSTRAINTS_FAILURE)
        return
    if not _strict_base64(sig_el):
        sig.check("format.base64", False, _("A base64 value of the signature holds characters that are not "
                                            "base64."), fail=r.FORMAT_FAILURE)
        return
    forbidden = _forbidden_transforms(sig_el)
    if forbidden:
        sig.check("format.transform", False, _("The signature uses a transform that is refused (XSLT, XPath or "
                                               "another one besides canonicalisation and the enveloped-signature "
                                               "transform): %(names)s.") % {"names": ", ".join(forbidden)[:200]},
                  fail=r.FORMAT_FAILURE)
        return
    method, digests = _algorithm_names(sig_el)
    if "hmac" in method.lower():
        sig.check("format.hmac", False, _("The XML signature is a keyed MAC (HMAC), not a signature with a "
                                          "certificate; it is refused."), fail=r.FORMAT_FAILURE)
        return
    if not _known(sig_el):
        # an algorithm signxml cannot compute: weak ones (MD5) fail the algorithm policy, others the format
        if algorithms.check(sig, digests, [certs[0].public_key()]):
            sig.check("format.algorithm", False, _("The signature uses an unknown algorithm."),
                      fail=r.FORMAT_FAILURE)
        return
    # the common shape is checked on our tree, once; anything else (or a mismatch, for its exact verdict) by
    # signxml on a copy: parse again so that nothing it does touches our tree
    cert = confirm(root, sig_el, certs, id_values)
    if cert is not None:
        _intact(sig)
    else:
        # the tree, not its root element: signxml copies what it is given, and the document's top-level
        # processing instructions are part of what URI="" signs
        cert = _crypto(etree.fromstring(data, parser()).getroottree(), sig_el, certs, sig)
    if cert is None:
        return
    # the signing certificate is identified before the signature's acceptance is judged (EN 319 102-1, 5.2.3
    # before 5.2.8): a substituted certificate is NO_SIGNING_CERTIFICATE_FOUND whatever else the signature holds
    describe(cert, sig)
    _signing_cert_digest(sig_el, cert, sig)
    unsigned = xmlunsigned.unsigned_content(sig_el, xmlstructure.signed_objects(root, sig_el, targets))
    if unsigned or _unsigned_prolog(root, content_refs):
        # after the digests: a signed part that changed is the stronger verdict (TOTAL_FAILED)
        sig.check("coverage.unsigned_content", False, _("The signature carries content that is not signed "
                                                        "(besides the XMLDSig parts and the XAdES properties); a "
                                                        "reader could take it for signed content."),
                  indeterminate=r.SIG_CONSTRAINTS_FAILURE, detail=unsigned or "processing instruction")
        return
    sig.signing_time = signing_time(sig_el)
    sig.level, existed_at = xades_level(root, sig_el, sig, trust, is_xades)
    ts = _timestamp(sig_el, trust, sig, at=existed_at)
    sig.timestamp_time = ts
    algorithms.judge(sig, digests)
    others = [c for c in certs if c is not cert]
    check_certificate(sig, cert, trust=trust, at=ts, other_certs=others, has_timestamp=ts is not None)

