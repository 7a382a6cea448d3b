"""Offline long-term verification (ETSI EN 319 102-1 § 5.5–5.6): the validation data a document carries — PDF
DSS (and its VRI), XAdES CertificateValues / RevocationValues / TimeStampValidationData, CAdES SignedData
certificates and crls (CRLs and OCSP responses), and the certificates each PDF or XML signature carries (the CA
above a time-stamping unit whose token holds only its own certificate) — goes into the verifier's context, so
that a B-LT/B-LTA document verifies on an installation that holds only the root and has no network. Certificates
from a document are only ever intermediates: a root comes from the trust store, never from the document.

Also the level actually found in a signature (B-B … B-LTA), and the XAdES archive time-stamps checked."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import io
import logging

from asn1crypto import cms
from cryptography import x509
from django.utils.translation import gettext as _
from lxml import etree
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.generic_cms import validate_tst_signed_data

from kyso.core import display

from . import algorithms, cades, report as r
from .material import SIGNATURE_TIME_STAMP, Material
from .trust import TrustStore
from .xades_lt import (DS, XADES, XADES141, C14N_ALGORITHMS, EXC_C14N, archive_input, embedded_values,
                       key_info_certs, parse)

log = logging.getLogger("kyso.signing")
MAX_CERTS = 500
MAX_REVINFO = 500
OCSP_RESPONSE_FORMAT = "1.3.6.1.5.5.7.16.2"     # id-ri-ocsp-response (RFC 5940)
SIGNING_CERTIFICATE = "1.2.840.113549.1.9.16.2.12"
SIGNING_CERTIFICATE_V2 = "1.2.840.113549.1.9.16.2.47"


def _pdf_material(data: bytes) -> Material:
    out = Material()
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    _signature_certs(reader, out)
    if reader.root.get("/DSS") is None:
        return out
    dss = DocumentSecurityStore.read_dss(reader)
    for cert in list(dss.load_certs())[:MAX_CERTS]:
        out.add_cert(x509.load_der_x509_certificate(cert.dump()))
    out.ocsps += [ref.get_object().data for ref in dss.ocsps[:MAX_REVINFO]]
    out.crls += [ref.get_object().data for ref in dss.crls[:MAX_REVINFO]]
    return out


def _signature_certs(reader, out: Material) -> None:
    """The certificates each signature carries (its CMS certificate set): a time-stamp token usually holds only
    its authority's own certificate, and the CA above it is in the signature (EN 319 102-1, 5.2.6: the chain is
    built from the certificates the signature holds as well)."""
    try:
        signatures = list(reader.embedded_signatures)
    except Exception as exc:  # noqa: BLE001 - the verifier reports unreadable signatures itself
        log.debug("signatures unreadable for their certificates: %s", exc)
        return
    for emb in signatures:
        try:
            for cert in cms_material(emb.signed_data).certs:
                out.add_cert(cert)
        except Exception as exc:  # noqa: BLE001 - one broken signature keeps nothing from the others away
            log.debug("certificates of %s unreadable: %s", emb.field_name, exc)


_XML_VALUES = (b"X509Certificate", b"EncapsulatedCRLValue", b"EncapsulatedOCSPValue")


def _xml_material(data: bytes) -> Material:
    out = Material()
    if not any(name in data for name in _XML_VALUES):
        return out      # no element `embedded_values` reads can be there (no DTD, no entities): no parse
    for sig_el in parse(data).iter(f"{{{DS}}}Signature"):
        out.merge(embedded_values(sig_el))
        for cert in key_info_certs(sig_el)[:MAX_CERTS]:   # as in a PDF: the CA above the time-stamping unit
            out.add_cert(cert)
    return out


def cms_material(signed_data: cms.SignedData) -> Material:
    """Certificates and revocation data (CRLs, OCSP responses as id-ri-ocsp-response) of a SignedData."""
    out = Material()
    for choice in list(signed_data["certificates"] or [])[:MAX_CERTS]:
        if choice.name == "certificate":
            out.add_cert(x509.load_der_x509_certificate(choice.chosen.dump()))
    for choice in list(signed_data["crls"] or [])[:MAX_REVINFO]:
        if choice.name == "crl":
            out.crls.append(choice.chosen.dump())
        elif choice.name == "other" and choice.chosen["other_rev_info_format"].dotted == OCSP_RESPONSE_FORMAT:
            out.ocsps.append(choice.chosen["other_rev_info"].dump())
    return out


def _cms_material(data: bytes) -> Material:
    return cms_material(cades.load(data)["content"])


def document_material(data: bytes, fmt: str) -> Material:
    """What the document carries; nothing (and a log line) when it cannot be read — the verifier reports that."""
    try:
        return {"pdf": _pdf_material, "xml": _xml_material, "cms": _cms_material}[fmt](data)
    except (PdfError, ValueError, TypeError, KeyError, etree.LxmlError) as exc:
        log.debug("no embedded validation material read: %s", exc)
    except Exception as exc:  # noqa: BLE001 - hostile input: the verifier itself reports what is broken
        log.debug("no embedded validation material read: %s", exc)
    return Material()


def _names_readable(cert) -> bool:
    """A certificate of the file whose names parse: cryptography reads them lazily, and a damaged subject would
    raise here, outside the verdict (the signature's own check reports the broken certificate)."""
    try:
        cert.issuer, cert.subject  # noqa: B018 - parsed on access
    except ValueError:
        return False
    return True


def with_document_material(trust: TrustStore, data: bytes, fmt: str) -> TrustStore:
    """`trust` plus the document's own certificates (as intermediates only) and revocation data."""
    material = document_material(data, fmt)
    if not (material.certs or material.crls or material.ocsps):
        return trust
    inter = [c for c in material.certs
             if _names_readable(c) and c.issuer != c.subject and c not in trust.intermediates]
    return TrustStore(list(trust.roots), [*trust.intermediates, *inter],
                      [*trust.crls, *[c for c in material.crls if c not in trust.crls]], trust.allow_fetching,
                      [*trust.ocsps, *[o for o in material.ocsps if o not in trust.ocsps]], trust.now)


# --- levels


def pdf_level(emb, status) -> str:
    """B-B, B-T, B-LT (a DSS), B-LTA (a document time-stamp after the signature)."""
    if getattr(status, "timestamp_validity", None) is None:
        return "B-B"
    reader = emb.reader
    if reader.root.get("/DSS") is None:
        return "B-T"
    later = [ts for ts in reader.embedded_timestamp_signatures if ts.signed_revision > emb.signed_revision]
    return "B-LTA" if later else "B-LT"


def _usp(sig_el):
    return sig_el.find(f".//{{{XADES}}}UnsignedSignatureProperties")


def xades_level(root, sig_el, sig: r.SignatureReport, trust: TrustStore,
                is_xades: bool) -> tuple[str, dt.datetime | None]:
    """The level the signature really has — B-T with a SignatureTimeStamp, B-LT with CertificateValues and
    RevocationValues as well, B-LTA when its archive time-stamps hold — and the earliest time they prove the
    signature existed. The newest archive time-stamp is judged now, each older one at the time of the next
    newer one (EN 319 102-1, 5.6.2): an authority whose certificate expired after the archive was renewed
    still counts."""
    usp = _usp(sig_el)
    if not is_xades:
        return "XMLDSig", None
    if usp is None or usp.find(f"{{{XADES}}}SignatureTimeStamp") is None:
        return "B-B", None
    if usp.find(f"{{{XADES}}}CertificateValues") is None or usp.find(f"{{{XADES}}}RevocationValues") is None:
        return "B-T", None
    archives = usp.findall(f"{{{XADES141}}}ArchiveTimeStamp")
    proven = None
    for ats in reversed(archives):                  # appended in order: the last one is the newest
        when = _archive_timestamp(root, sig_el, ats, trust, sig, at=proven)
        if not when:
            return "B-LT", proven
        proven = when
    return ("B-LTA" if archives else "B-LT"), proven


def _archive_timestamp(root, sig_el, ats, trust: TrustStore, sig: r.SignatureReport, at=None):
    method = ats.find(f"{{{DS}}}CanonicalizationMethod")
    algorithm = method.get("Algorithm") if method is not None else EXC_C14N
    enc = ats.find(f"{{{XADES}}}EncapsulatedTimeStamp")
    try:
        if algorithm not in C14N_ALGORITHMS or enc is None:
            raise ValueError("unsupported archive time-stamp")
        octets = archive_input(root, sig_el, before=ats, algorithm=algorithm)
        token = cms.ContentInfo.load(base64.b64decode("".join((enc.text or "").split())))
    except Exception as exc:  # noqa: BLE001 - a broken archive time-stamp is reported, not raised
        return _broken(sig, exc)
    return _archive_token(token, octets, trust, sig, at=at)


def _broken(sig: r.SignatureReport, exc: Exception) -> bool:
    """An archive time-stamp that cannot be read, or whose input cannot be rebuilt from what the signature holds
    now (a CAdES ats-hash-index naming a value that changed): it proves nothing. FORMAT_FAILURE goes with
    TOTAL_FAILED only (EN 319 102-1, table 5); the signature itself is intact: INDETERMINATE as any archive
    time-stamp that does not hold."""
    sig.check("timestamp.archive_invalid", False,
              _("The archive time-stamp is not valid."), detail=exc,
              indeterminate=r.SIG_CONSTRAINTS_FAILURE)
    return False


def _archive_token(token: cms.ContentInfo, octets: bytes, trust: TrustStore, sig: r.SignatureReport,
                   at: dt.datetime | None = None):
    """One archive time-stamp: over exactly `octets`, from an authority trusted at `at` (now when None).
    Its time when it holds, else False."""
    try:
        status = asyncio.run(validate_tst_signed_data(
            token["content"], trust.validation_context(at=at), lambda algo: hashlib.new(algo, octets).digest()))
    except Exception as exc:  # noqa: BLE001 - a broken archive time-stamp is reported, not raised
        return _broken(sig, exc)
    intact = bool(status.get("intact") and status.get("valid"))
    weak = algorithms.token_weak(token["content"], status.get("signing_cert"),
                                 at=algorithms.judged_at(at, trust)) if intact else []
    problem = status.get("trust_problem_indic")
    return archive_check(sig, intact=intact, when=None if problem is not None else status["timestamp"],
                         detail=problem, weak=weak)


def archive_check(sig: r.SignatureReport, *, intact: bool, when: dt.datetime | None, detail=None, weak=()):
    """Record how an archive time-stamp (XAdES, CAdES) or a document time-stamp after the signature (PAdES)
    stands: it matches what it covers (else the signature or its validation data changed after it was
    time-stamped), its algorithms meet the policy (`weak`: those that do not) and its authority is trusted at the
    time it is judged (`detail`: pyHanko's trust problem, which tells an expired certificate from no chain). Its
    time when it holds, else False."""
    if not intact:
        sig.check("timestamp.archive_invalid", False,
                  _("The archive time-stamp does not match the signature and its validation data."), detail=detail,
                  indeterminate=r.SIG_CONSTRAINTS_FAILURE)
        return False
    if weak:
        algorithms.weak_timestamp(sig, list(weak), archive=True)
        return False
    if when is None and getattr(detail, "name", None) == r.OUT_OF_BOUNDS_NO_POE:
        # EN 319 102-1, 5.6 through 5.2.6: the chain is found, its certificate had expired at the time judged
        sig.check("timestamp.archive_expired", False,
                  _("The certificate of the archive time-stamp's authority had expired at the time the time-stamp "
                    "is judged, and nothing proves the time-stamp existed before then."),
                  detail=detail, indeterminate=r.OUT_OF_BOUNDS_NO_POE)
        return False
    if when is None:
        sig.check("timestamp.archive_untrusted", False, _("The authority of the archive time-stamp is not trusted."),
                  detail=detail, indeterminate=r.NO_CERTIFICATE_CHAIN_FOUND)
        return False
    sig.check("timestamp.archive", True, _("Archive time-stamp from a trusted authority: %(time)s") % {
        "time": display.when(when, seconds=True)})
    return when


def cms_level(signed_data: cms.SignedData, sig: r.SignatureReport, trust: TrustStore,
              content: bytes | None) -> tuple[str, dt.datetime | None]:
    """CMS (no signing-certificate attribute), B-B, B-T (signature time-stamp), B-LT (revocation values as
    well), B-LTA (archive-time-stamps-v3 that hold; they need the signed content) — and the earliest time they
    prove the signature existed: the newest judged now, each older one at the time of the next newer one."""
    info = signed_data["signer_infos"][0]
    signed = {a["type"].dotted for a in info["signed_attrs"] or []}
    if not signed & {SIGNING_CERTIFICATE, SIGNING_CERTIFICATE_V2}:
        return "CMS", None
    if SIGNATURE_TIME_STAMP not in {a["type"].dotted for a in info["unsigned_attrs"] or []}:
        return "B-B", None
    if not signed_data["crls"]:
        return "B-T", None
    archives = cades.archive_timestamps(signed_data)
    if signed_data["encap_content_info"]["content"].native is not None:
        content = signed_data["encap_content_info"]["content"].native
    if not archives or content is None:
        return "B-LT", None
    proven = None
    # Unsigned attributes are a SET: DER orders them by their bytes, not by age; the newest is the latest genTime.
    for token, _position in sorted(archives, key=_gen_time, reverse=True):
        try:
            octets, _alg = cades.archive_imprint(signed_data, token, content)
        except Exception as exc:  # noqa: BLE001 - reported
            _broken(sig, exc)
            return "B-LT", proven
        when = _archive_token(token, octets, trust, sig, at=proven)
        if not when:
            return "B-LT", proven
        proven = when
    return "B-LTA", proven


def _gen_time(item) -> dt.datetime:
    try:
        return item[0]["content"]["encap_content_info"]["content"].parsed["gen_time"].native
    except Exception:  # noqa: BLE001 - an unreadable token sorts first and is reported when judged
        return dt.datetime.max.replace(tzinfo=dt.timezone.utc)


__all__ = ["with_document_material", "document_material", "cms_material", "pdf_level", "xades_level", "cms_level",
           "archive_check"]
