"""Independent long-term checks: pyHanko's EN 319 102-1 validation on "another machine" (a fresh context
holding only Kyso's root, no network)."""

from __future__ import annotations

import asyncio
import io

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import ades
from pyhanko.sign.validation.policy_decl import (PdfSignatureValidationSpec, RevinfoOnlineFetchingRule,
                                                 RevocationInfoGatheringSpec, SignatureValidationSpec)
from pyhanko_certvalidator.authority import CertTrustAnchor
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.policy_decl import CertRevTrustPolicy, RevocationCheckingPolicy, RevocationCheckingRule
from pyhanko_certvalidator.registry import SimpleTrustManager


def root_only_spec(root) -> PdfSignatureValidationSpec:
    """Trust = Kyso's root alone; revocation data required for every certificate; never fetch."""
    anchor = CertTrustAnchor(asn1_x509.Certificate.load(root.public_bytes(serialization.Encoding.DER)))
    policy = CertValidationPolicySpec(
        trust_manager=SimpleTrustManager.build(trust_roots=[anchor]),
        revinfo_policy=CertRevTrustPolicy(RevocationCheckingPolicy(
            ee_certificate_rule=RevocationCheckingRule.CRL_OR_OCSP_REQUIRED,
            intermediate_ca_cert_rule=RevocationCheckingRule.CRL_OR_OCSP_REQUIRED)))
    spec = SignatureValidationSpec(cert_validation_policy=policy, revinfo_gathering_policy=RevocationInfoGatheringSpec(
        online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY))
    return PdfSignatureValidationSpec(signature_validation_spec=spec)


def lta_results(pdf: bytes, root) -> list:
    """`ades_lta_validation` of every signature (not document time-stamps) in `pdf`."""
    reader = PdfFileReader(io.BytesIO(pdf))
    spec = root_only_spec(root)
    return [asyncio.run(ades.ades_lta_validation(emb, spec)) for emb in reader.embedded_regular_signatures]


def dss_only_status(pdf: bytes, root):
    """pyHanko's validation of the first signature with a context built from the document's DSS alone plus
    the root: revocation data required for signer, CA and TSA, nothing fetched."""
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    reader = PdfFileReader(io.BytesIO(pdf))
    anchor = asn1_x509.Certificate.load(root.public_bytes(serialization.Encoding.DER))
    required = CertRevTrustPolicy(RevocationCheckingPolicy(
        ee_certificate_rule=RevocationCheckingRule.CRL_OR_OCSP_REQUIRED,
        intermediate_ca_cert_rule=RevocationCheckingRule.CRL_OR_OCSP_REQUIRED))

    def context():
        return DocumentSecurityStore.read_dss(reader).as_validation_context(
            {"trust_roots": [anchor], "allow_fetching": False, "revinfo_policy": required})

    emb = reader.embedded_regular_signatures[0]
    return validate_pdf_signature(emb, signer_validation_context=context(), ts_validation_context=context())
