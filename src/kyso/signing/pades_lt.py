"""PAdES long-term levels (ETSI EN 319 142-1): B-LT puts the validation material of every signature and
time-stamp into the Document Security Store; B-LTA adds a document time-stamp over it; `extend` renews an
archive — fresh validation data (also for the last document time-stamp) and a new document time-stamp, each
in its own incremental revision, so every earlier signature stays byte-for-byte as it was."""

from __future__ import annotations

import datetime as dt
import io

from asn1crypto import cms
from django.utils.translation import gettext_lazy as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.signers.pdf_signer import PdfTimeStamper
from pyhanko.sign.validation.dss import DocumentSecurityStore

from kyso.core.errors import InvalidInput

from .material import Material, cms_certificates, cms_signer, gather, timestamp_tokens
from .timestamps import KysoTimeStamper

LONG_TERM = ("B-LT", "B-LTA")


def _material_of(emb, *, refuse_revoked: bool) -> Material:
    """Certificates and revocation data for one embedded signature or document time-stamp and its TSAs."""
    signed_data = emb.signed_data
    ends = [cms_signer(signed_data, emb.signer_info)]
    known = cms_certificates(signed_data)
    tokens: list[cms.ContentInfo] = timestamp_tokens(emb.signer_info)
    for token in tokens:
        ends.append(cms_signer(token["content"]))
        known += cms_certificates(token["content"])
    # A revoked signer is refused when it signs now; an archived signature whose certificate was revoked
    # after it was made keeps that fact as evidence.
    return gather(ends, known=known, refuse_revoked=refuse_revoked)


def _write_dss(data: bytes, material: Material, vri_for=None) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    contents = vri_for.pkcs7_content.hex().encode("ascii") if vri_for is not None else None
    DocumentSecurityStore.supply_dss_in_writer(writer, contents, certs=material.asn1_certs(),
                                               ocsps=material.asn1_ocsps(), crls=material.asn1_crls())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _signatures(data: bytes):
    return list(PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures)


def add_validation_data(data: bytes, *, only_last: bool = False, refuse_revoked: bool = False) -> bytes:
    """A DSS revision with the material of every signature and document time-stamp (or of the last one)."""
    sigs = _signatures(data)
    if not sigs:
        raise InvalidInput("signing.extend.unsigned", _("The document has no signature to extend."))
    material = Material()
    for emb in sigs[-1:] if only_last else sigs:
        material.merge(_material_of(emb, refuse_revoked=refuse_revoked and emb is sigs[-1]))
    return _write_dss(data, material, vri_for=sigs[-1])


def add_document_timestamp(data: bytes) -> bytes:
    """A document time-stamp (ETSI.RFC3161) from our TSA, then a DSS revision with its own material."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    name = f"LTA-{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%S%f}"
    stamped = PdfTimeStamper(KysoTimeStamper(), field_name=name).timestamp_pdf(writer, "sha256").getvalue()
    return add_validation_data(stamped, only_last=True)


def make_long_term(signed: bytes, level: str) -> bytes:
    """After signing at B-T: the DSS (B-LT), then a document time-stamp (B-LTA)."""
    out = add_validation_data(signed, only_last=True, refuse_revoked=True)
    return add_document_timestamp(out) if level == "B-LTA" else out


def extend(data: bytes) -> bytes:
    """Renew a B-LT/B-LTA PDF: fresh validation data for everything in it, then a new document time-stamp."""
    sigs = _signatures(data)
    if not sigs:
        raise InvalidInput("signing.extend.unsigned", _("The document has no signature to extend."))
    if not any(emb.sig_object_type == "/Sig" for emb in sigs):
        raise InvalidInput("signing.extend.no_signature", _("The document has no signature, only time-stamps."))
    return add_document_timestamp(add_validation_data(data))
