"""Deferred (interrupted) PAdES signing: the document is prepared here, its hash signed elsewhere — by the
holder's PKI SIM or his remote-signing key after he confirms on the phone — and the signature put in later.

Between the two halves only data is kept (the prepared PDF, the byte-range digest, the signed attributes),
so the wait for the phone holds no process, lock or key open. The hash the holder signs is SHA-256 of the
DER signed attributes, exactly what a CMS signer signs (RFC 5652 §5.4)."""

from __future__ import annotations

import asyncio
import hashlib
import io
from dataclasses import dataclass

from asn1crypto import cms
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from django.utils.translation import gettext_lazy as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest
from pyhanko.sign.signers.pdf_cms import ExternalSigner
from pyhanko.sign.signers.pdf_signer import PdfSigner, PdfTBSDocument
from pyhanko_certvalidator.registry import SimpleCertificateStore

from kyso.core.errors import InvalidInput

from .keys import to_asn1
from .pdf import LEVELS, Appearance, _refuse_malformed, signing_setup
from .timestamps import KysoTimeStamper


@dataclass
class PreparedPdf:
    """Everything needed to finish the signature once the holder's signature value arrives."""

    pdf: bytes                  # the document with the signature field, its appearance and a blank /Contents
    document_digest: bytes      # SHA-256 over the /ByteRange
    region_start: int
    region_end: int
    signed_attrs: bytes         # DER of the CMS signed attributes
    level: str

    @property
    def to_sign(self) -> bytes:
        """The SHA-256 the holder signs (PKCS#1 v1.5 over its DigestInfo)."""
        return hashlib.sha256(self.signed_attrs).digest()

    def as_dict(self) -> dict:
        return {"document_digest": self.document_digest.hex(), "region_start": self.region_start,
                "region_end": self.region_end, "signed_attrs": self.signed_attrs.hex(), "level": self.level}

    @classmethod
    def from_dict(cls, pdf: bytes, d: dict) -> PreparedPdf:
        return cls(pdf=pdf, document_digest=bytes.fromhex(d["document_digest"]), region_start=int(d["region_start"]),
                   region_end=int(d["region_end"]), signed_attrs=bytes.fromhex(d["signed_attrs"]), level=d["level"])


def _external(cert: x509.Certificate, chain, signature_value: bytes | int) -> ExternalSigner:
    registry = SimpleCertificateStore.from_certs([to_asn1(c) for c in chain])
    return ExternalSigner(to_asn1(cert), registry, signature_value=signature_value)


def _placeholder_size(cert: x509.Certificate) -> int:
    key = cert.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise InvalidInput("signing.deferred.key_type", _("Deferred signing supports RSA keys only."))
    return key.key_size // 8


def prepare_pdf(data: bytes, cert: x509.Certificate, *, chain=(), level: str = "B-T",
                appearance: Appearance | None = None, field_name: str | None = None, reason: str = "",
                location: str = "") -> PreparedPdf:
    """First half: the signature field with its Decree 30 appearance, the digest, the attributes to sign."""
    if level not in ("B-B", "B-T"):
        raise InvalidInput("signing.level.unsupported", _("Unsupported signature level %(level)s for PDF."),
                           level=level if level in LEVELS else str(level)[:10])
    with _refuse_malformed():
        meta, timestamper, style, spec = signing_setup(data, cert, chain, level, appearance, field_name, reason,
                                                       location)
        signer = _external(cert, chain, _placeholder_size(cert))
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        pdf_signer = PdfSigner(meta, signer=signer, timestamper=timestamper, stamp_style=style, new_field_spec=spec)

        async def run():
            prep, tbs, output = await pdf_signer.async_digest_doc_for_signing(writer)
            attrs = await signer.signed_attrs(prep.document_digest, "sha256", use_pades=True)
            return prep, output, attrs

        prep, output, attrs = asyncio.run(run())
    return PreparedPdf(pdf=output.getvalue(), document_digest=prep.document_digest,
                       region_start=prep.reserved_region_start, region_end=prep.reserved_region_end,
                       signed_attrs=attrs.dump(), level=level)


def finish_pdf(prepared: PreparedPdf, cert: x509.Certificate, signature: bytes, *, chain=()) -> bytes:
    """Second half: check the holder's signature value against his certificate, build the CMS (with our
    TSA's signature timestamp for B-T) and write it into the reserved /Contents."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    try:
        cert.public_key().verify(signature, prepared.signed_attrs, padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError, TypeError) as exc:
        raise InvalidInput("signing.deferred.bad_signature",
                           _("The signature returned by the device does not match the certificate and the document."
                             )) from exc
    signer = _external(cert, chain, signature)
    timestamper = KysoTimeStamper() if prepared.level == "B-T" else None
    attrs = cms.CMSAttributes.load(prepared.signed_attrs)

    async def run():
        return await signer.async_sign_prescribed_attributes("sha256", signed_attrs=attrs, timestamper=timestamper)

    sig_cms = asyncio.run(run())
    output = io.BytesIO(prepared.pdf)
    digest = PreparedByteRangeDigest(document_digest=prepared.document_digest,
                                     reserved_region_start=prepared.region_start,
                                     reserved_region_end=prepared.region_end)
    PdfTBSDocument.finish_signing(output, digest, sig_cms)
    return output.getvalue()
