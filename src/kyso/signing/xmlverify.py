"""Verification of XML signatures (XMLDSig / XAdES): integrity, key, coverage (no wrapping), timestamp,
certificate. The whole document must be what is signed: an e-dossier signature covers the root."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib

from asn1crypto import cms
from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from django.utils.translation import gettext as _
from lxml import etree
from pyhanko.sign.validation.generic_cms import validate_tst_signed_data
from signxml import SignatureConfiguration, XMLVerifier
from signxml.exceptions import InvalidDigest, InvalidInput as SignxmlInvalidInput, InvalidSignature

from . import report as r
from .certcheck import check_certificate, describe
from .trust import TrustStore
from .xml import DS, XADES, parse, signature_timestamp, signing_time

ID_ATTRIBUTES = ("Id", "ID", "id", "{http://www.w3.org/XML/1998/namespace}id")
ID_LOCAL_NAMES = {"Id", "ID", "id"}     # signxml matches these local names in any namespace
SIGNED_PROPS_TYPES = {"http://uri.etsi.org/01903#SignedProperties", "http://uri.etsi.org/01903/v1.3.2#SignedProperties"}


def _certs(sig_el) -> list[x509.Certificate]:
    out = []
    for el in sig_el.findall(f"{{{DS}}}KeyInfo//{{{DS}}}X509Certificate"):
        try:
            cert = x509.load_der_x509_certificate(base64.b64decode("".join((el.text or "").split())))
            cert.public_key()       # parsed lazily: a damaged key must fail here, not halfway through
        except (ValueError, UnsupportedAlgorithm):
            continue
        out.append(cert)
    return out


def _coverage(root, sig_el, sig: r.SignatureReport) -> bool:
    """Refuse signature wrapping: the signature sits in the root and references the whole document
    (URI=""), plus at most the XAdES SignedProperties and the KeyInfo of this very signature."""
    refs = sig_el.findall(f"{{{DS}}}SignedInfo/{{{DS}}}Reference")
    root_ids = {v for v in (root.get(a) for a in ID_ATTRIBUTES) if v}
    # the whole document: URI="" or a reference to the root element itself by its Id (xmlsec1 --id-attr)
    whole = [ref for ref in refs if ref.get("URI") == "" or (ref.get("URI") or "").startswith("#")
             and ref.get("URI")[1:] in root_ids and ref.get("Type") not in SIGNED_PROPS_TYPES]
    others = [ref for ref in refs if ref not in whole]
    props_ids = {el.get("Id") for el in sig_el.iter(f"{{{XADES}}}SignedProperties") if el.get("Id")}
    key_info_ids = {el.get("Id") for el in sig_el.findall(f"{{{DS}}}KeyInfo") if el.get("Id")}
    bad = [ref for ref in others
           if not ((ref.get("Type") in SIGNED_PROPS_TYPES and (ref.get("URI") or "").lstrip("#") in props_ids)
                   or (ref.get("URI") or "").lstrip("#") in key_info_ids)]
    # every attribute signxml resolves references by: one value twice could point it at a decoy
    ids = [v for el in root.iter() if isinstance(el.tag, str) for k, v in el.attrib.items()
           if etree.QName(k).localname in ID_LOCAL_NAMES]
    duplicate_ids = len(ids) != len(set(ids))
    if sig_el.getparent() is not root or len(whole) != 1 or bad or duplicate_ids:
        sig.check("coverage.partial", False,
                  _("The signature does not cover the whole document (possible signature wrapping)."),
                  indeterminate=r.SIG_CONSTRAINTS_FAILURE)
        return False
    sig.check("coverage.whole", True, _("The signature covers the whole document."))
    return True


def _crypto(data_root, sig_el, certs, sig: r.SignatureReport) -> x509.Certificate | None:
    n_refs = len(sig_el.findall(f"{{{DS}}}SignedInfo/{{{DS}}}Reference"))
    last_error = None
    for cert in certs:
        # Cryptography only here: the certificate's validity period is judged later, at the signing time
        # proven by a timestamp (POE), not at "now" as signxml would.
        config = SignatureConfiguration(expect_references=n_refs, location="./",
                                        verification_time=cert.not_valid_before_utc)
        try:
            XMLVerifier().verify(data_root, x509_cert=cert, expect_config=config, validate_schema=False)
        except InvalidDigest:
            sig.check("integrity.digest", False, _("The document was changed after it was signed (digest mismatch)."),
                      fail=r.HASH_FAILURE)
            return None
        except InvalidSignature as exc:
            last_error = exc
            continue
        except SignxmlInvalidInput as exc:
            sig.check("format.invalid", False, _("The signature is malformed: %(detail)s") % {"detail": str(exc)[:200]},
                      fail=r.FORMAT_FAILURE)
            return None
        sig.check("integrity.digest", True, _("The signed content is intact."))
        sig.check("integrity.signature", True, _("The signature value matches the signer's public key."))
        return cert
    if last_error is not None:
        sig.check("integrity.signature", False, _("The signature value does not match the certificate's key."),
                  fail=r.SIG_CRYPTO_FAILURE)
    return None


def _signing_cert_digest(sig_el, cert: x509.Certificate, sig: r.SignatureReport) -> None:
    """XAdES: the signed properties name the signing certificate by digest (substitution protection)."""
    digests = sig_el.findall(f".//{{{XADES}}}SigningCertificateV2/{{{XADES}}}Cert/{{{XADES}}}CertDigest") + \
        sig_el.findall(f".//{{{XADES}}}SigningCertificate/{{{XADES}}}Cert/{{{XADES}}}CertDigest")
    if not digests:
        return
    from cryptography.hazmat.primitives import serialization

    der = cert.public_bytes(serialization.Encoding.DER)
    for cd in digests:
        alg = (cd.find(f"{{{DS}}}DigestMethod").get("Algorithm") or "").rsplit("#", 1)[-1]
        name = {"sha256": "sha256", "sha512": "sha512", "sha384": "sha384", "sha1": "sha1"}.get(alg, "sha256")
        value = base64.b64decode((cd.find(f"{{{DS}}}DigestValue").text or "").strip())
        if hashlib.new(name, der).digest() == value:
            sig.check("xades.signing_certificate", True, _("The signed properties name this signing certificate."))
            return
    sig.check("xades.signing_certificate", False,
              _("The signed properties name a different signing certificate."), fail=r.SIG_CRYPTO_FAILURE)


def _timestamp(sig_el, trust: TrustStore, sig: r.SignatureReport) -> dt.datetime | None:
    found = signature_timestamp(sig_el)
    if not found:
        return None
    token_der, c14n_value = found
    try:
        token = cms.ContentInfo.load(token_der)
        signed_data = token["content"]
        status = asyncio.run(validate_tst_signed_data(
            signed_data, trust.validation_context(), lambda algo: hashlib.new(algo, c14n_value).digest()))
    except Exception as exc:  # noqa: BLE001 - a broken token is reported, not raised
        sig.check("timestamp.invalid", False, _("The signature timestamp is not valid: %(detail)s") % {"detail": str(exc)[:200]},
                  indeterminate=r.FORMAT_FAILURE)
        return None
    if not status.get("intact") or not status.get("valid"):
        sig.check("timestamp.invalid", False, _("The signature timestamp does not match the signature."),
                  fail=r.HASH_FAILURE)
        return None
    if status.get("trust_problem_indic") is not None:
        sig.check("timestamp.untrusted", False, _("The time-stamping authority is not trusted."),
                  indeterminate=r.NO_CERTIFICATE_CHAIN_FOUND)
        return None
    when = status["timestamp"]
    sig.check("timestamp.valid", True, _("Signature timestamp from a trusted authority: %(time)s") % {
        "time": when.astimezone(dt.timezone(dt.timedelta(hours=7))).isoformat()})
    return when


def verify_xml(data: bytes, report: r.DocumentReport, trust: TrustStore) -> None:
    root = parse(data)
    sigs = list(root.iter(f"{{{DS}}}Signature"))
    for sig_el in sigs:
        is_xades = sig_el.find(f".//{{{XADES}}}QualifyingProperties") is not None
        sig = r.SignatureReport(kind="XAdES" if is_xades else "XMLDSig")
        report.signatures.append(sig)
        try:
            _verify_one(data, root, sig_el, sig, is_xades, trust)
        except (etree.LxmlError, ValueError, UnsupportedAlgorithm) as exc:
            # e.g. canonicalisation refusing a relative namespace URI in a damaged file
            sig.check("format.invalid", False, _("The signature is malformed: %(detail)s") % {"detail": str(exc)[:200]},
                      fail=r.FORMAT_FAILURE)


def _verify_one(data, root, sig_el, sig, is_xades, trust) -> None:
    certs = _certs(sig_el)
    if not certs:
        sig.check("certificate.missing", False, _("The signature carries no signing certificate."),
                  indeterminate=r.NO_SIGNING_CERTIFICATE_FOUND)
        return
    describe(certs[0], sig)
    if not _coverage(root, sig_el, sig):
        return
    # signxml verifies a copy: parse again so that nothing it does touches our tree
    cert = _crypto(etree.fromstring(data, _safe_parser()), sig_el, certs, sig)
    if cert is None:
        return
    describe(cert, sig)
    _signing_cert_digest(sig_el, cert, sig)
    sig.signing_time = signing_time(sig_el)
    ts = _timestamp(sig_el, trust, sig)
    sig.timestamp_time = ts
    sig.level = "B-T" if ts else ("B-B" if is_xades else "XMLDSig")
    others = [c for c in certs if c is not cert]
    check_certificate(sig, cert, trust=trust, at=ts, other_certs=others, has_timestamp=ts is not None)


def _safe_parser():
    from .xml import parser

    return parser()
