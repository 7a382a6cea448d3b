"""CMS countersignatures (RFC 5652, 11.4): a SignerInfo in the unsigned attribute countersignature of another
signs that one's signature value. pyHanko passes over them, so a forged countersignature beside a valid signature
gave TOTAL_PASSED; each is judged here as a signature of its own (EN 319 102-1): its certificate, the digest of the
countersigned value, its signature value, its certificate's chain and the algorithm policy."""

from __future__ import annotations

import hashlib

from asn1crypto import cms
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from django.utils.translation import gettext as _
from pyhanko_certvalidator.sig_validate import DefaultSignatureValidator, SignatureValidationContext

from . import algorithms
from . import report as r
from .certcheck import check_certificate, describe
from .material import cms_certificate
from .trust import TrustStore


def countersignatures(signer_info) -> list:
    return [value for attr in (signer_info["unsigned_attrs"] or []) if attr["type"].native == "counter_signature"
            for value in attr["values"]]


def _intact(counter, cert, countersigned: bytes) -> str:
    """'' when the countersignature holds, else the sub-indication of what fails."""
    md = counter["digest_algorithm"]["algorithm"].native
    attrs = counter["signed_attrs"]
    if attrs.native is None:
        data = countersigned                        # no signed attributes: the value itself is signed
    else:
        digests = [a["values"] for a in attrs if a["type"].native == "message_digest"]
        if len(digests) != 1 or len(digests[0]) != 1:
            return r.FORMAT_FAILURE
        if digests[0][0].native != hashlib.new(md, countersigned).digest():
            return r.HASH_FAILURE
        data = attrs.untag().dump()
    try:
        DefaultSignatureValidator().validate_signature(
            counter["signature"].native, data, cert.public_key, counter["signature_algorithm"],
            SignatureValidationContext(contextual_md_algorithm=md, prehashed=False))
    except InvalidSignature:
        return r.SIG_CRYPTO_FAILURE
    except (ValueError, NotImplementedError, TypeError):
        return r.FORMAT_FAILURE
    return ""


def verify(signed: cms.SignedData, signer_info, report: r.DocumentReport, trust: TrustStore) -> None:
    """Judge every countersignature of `signer_info` (one level: a countersignature of a countersignature is
    another's concern) as a signature of the file."""
    for counter in countersignatures(signer_info):
        sig = r.SignatureReport(kind="CMS")
        report.signatures.append(sig)
        cert = cms_certificate(signed, counter["sid"])
        if cert is None:
            sig.check("certificate.missing", False, _("The signature does not carry its signer's certificate."),
                      indeterminate=r.NO_SIGNING_CERTIFICATE_FOUND)
            continue
        crypto_cert = x509.load_der_x509_certificate(cert.dump())
        describe(crypto_cert, sig)
        failed = _intact(counter, cert, signer_info["signature"].native)
        if failed == r.HASH_FAILURE:
            sig.check("integrity.digest", False, _("The countersignature does not cover the signature it "
                                                   "countersigns."), fail=r.HASH_FAILURE)
            continue
        if failed:
            sig.check("integrity.signature", False, _("The signature value does not match the certificate's key."),
                      fail=failed)
            continue
        sig.check("integrity.signature", True, _("The signature value matches the signer's public key."))
        others = [x509.load_der_x509_certificate(c.chosen.dump()) for c in (signed["certificates"] or [])
                  if c.name == "certificate" and c.chosen is not cert]
        check_certificate(sig, crypto_cert, trust=trust, at=None, other_certs=others)
        algorithms.judge(sig, algorithms.signer_info_digests(counter))
