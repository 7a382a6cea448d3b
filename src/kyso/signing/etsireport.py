"""Kyso's verification result as an ETSI TS 119 102-2 validation report (XML, namespace
http://uri.etsi.org/19102/v1.2.1#): per signature a SignatureValidationReport — SignatureIdentifier,
ValidationConstraintsEvaluationReport (Kyso's checks), ValidationTimeInfo, SignersDocument, SignatureAttributes,
SignerInformation, SignatureQuality, SignatureValidationProcess, SignatureValidationStatus — and the
SignatureValidationObjects they reference (certificates, CRLs, OCSP responses). Elements come in the order of
the schema's sequences; the indications are the report's (`DocumentReport`), as URIs of clause 4.

What the report does not keep (the signature value, the digest of the signed data) is read again from the
file; a part that cannot be read (a malformed signature) is left out, as the schema allows."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp
from lxml import etree
from pyhanko.pdf_utils.reader import PdfFileReader

from . import cades
from . import report as r
from .report import ALGORITHM_POLICY, DocumentReport, SignatureReport
from .xml import DS, parse
from .xmlinput import to_utf8

VR = "http://uri.etsi.org/19102/v1.2.1#"
NSMAP = {"vr": VR, "ds": DS}
MAIN = "urn:etsi:019102:mainindication:"
MAIN_INDICATIONS = {r.PASSED: MAIN + "total-passed", r.FAILED: MAIN + "total-failed",
                    r.INDETERMINATE: MAIN + "indeterminate"}
# an individual constraint has no "total" (clause 4.3.5.4)
CONSTRAINT_INDICATIONS = {True: MAIN + "passed", False: MAIN + "failed", None: MAIN + "indeterminate"}
SUB = "urn:etsi:019102:subindication:"
APPLIED = "urn:etsi:019102:constraintStatus:applied"
POE_VALIDATION = "urn:etsi:019102:poetype:validation"
OBJECT_TYPE = "urn:etsi:019102:validationObject:"
PROCESS = "urn:etsi:019102:validationprocess:"
KYSO = "urn:kyso:vn:"            # Kyso's own identifiers (constraints, policy, signature level)
DIGEST_URIS = {
    "md5": "http://www.w3.org/2001/04/xmldsig-more#md5", "sha1": "http://www.w3.org/2000/09/xmldsig#sha1",
    "sha224": "http://www.w3.org/2001/04/xmldsig-more#sha224", "sha256": "http://www.w3.org/2001/04/xmlenc#sha256",
    "sha384": "http://www.w3.org/2001/04/xmldsig-more#sha384", "sha512": "http://www.w3.org/2001/04/xmlenc#sha512",
}


@dataclass
class Evidence:
    """What the file says about one signature: its value and the digest of the data it signs."""
    value: bytes = b""
    digest_uri: str = ""
    digest: bytes = b""


def _vr(parent, name: str, text: str | None = None, **attrib):
    el = etree.SubElement(parent, f"{{{VR}}}{name}", {k: v for k, v in attrib.items() if v is not None})
    if text is not None:
        el.text = text
    return el


def _time(value: dt.datetime) -> str:
    return value.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")


def _digest_pair(parent, name: str, uri: str, value: bytes) -> None:
    pair = _vr(parent, name)
    etree.SubElement(pair, f"{{{DS}}}DigestMethod", Algorithm=uri)
    etree.SubElement(pair, f"{{{DS}}}DigestValue").text = base64.b64encode(value).decode()


# --- what the file holds ------------------------------------------------------------------------------------


def _pdf_evidence(data: bytes) -> dict[str, Evidence]:
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    out = {}
    for emb in reader.embedded_regular_signatures:
        try:
            md = emb.md_algorithm
            out[emb.field_name] = Evidence(emb.signer_info["signature"].native, DIGEST_URIS.get(md, ""),
                                           emb.compute_digest())
        except Exception:  # noqa: BLE001 - a malformed signature: its report keeps what is known
            continue
    return out


def _xml_evidence(data: bytes) -> list[Evidence]:
    out = []
    for sig_el in parse(to_utf8(data)).iter(f"{{{DS}}}Signature"):
        ev = Evidence()
        value = sig_el.find(f"{{{DS}}}SignatureValue")
        ev.value = base64.b64decode("".join((value.text or "").split())) if value is not None else b""
        for ref in sig_el.findall(f"{{{DS}}}SignedInfo/{{{DS}}}Reference"):
            method, digest = ref.find(f"{{{DS}}}DigestMethod"), ref.find(f"{{{DS}}}DigestValue")
            if ref.get("Type") is None and method is not None and digest is not None:
                ev.digest_uri = method.get("Algorithm") or ""
                ev.digest = base64.b64decode("".join((digest.text or "").split()))
                break
        out.append(ev)
    return out


def _cms_evidence(data: bytes) -> list[Evidence]:
    signed = cades.load(data)["content"]
    out = []
    for info in signed["signer_infos"]:
        ev = Evidence(info["signature"].native)
        for attr in info["signed_attrs"] or []:
            if attr["type"].native == "message_digest":
                ev.digest_uri = DIGEST_URIS.get(info["digest_algorithm"]["algorithm"].native, "")
                ev.digest = attr["values"][0].native
        out.append(ev)
    return out


def evidence(report: DocumentReport, data: bytes) -> list[Evidence]:
    """One Evidence per signature of `report` (empty where the file cannot say)."""
    try:
        if report.format == "pdf":
            found = _pdf_evidence(data)
            return [found.get(s.field_name, Evidence()) for s in report.signatures]
        found = _xml_evidence(data) if report.format == "xml" else _cms_evidence(data)
    except Exception:  # noqa: BLE001 - a file that cannot be read again: the indications still stand
        found = []
    return [found[i] if i < len(found) else Evidence() for i in range(len(report.signatures))]


# --- validation objects -------------------------------------------------------------------------------------


class Objects:
    """The SignatureValidationObjects of the report, each once, by a stable id (a digest of its bytes)."""

    def __init__(self):
        self.items: dict[str, tuple[str, bytes]] = {}

    def add(self, kind: str, der: bytes) -> str:
        ident = f"vo-{kind}-{hashlib.sha256(der).hexdigest()[:32]}"
        self.items.setdefault(ident, (kind, der))
        return ident

    def chain(self, cert: x509.Certificate, trust) -> tuple[list[str], str | None]:
        """Ids of the signer's certificate and the CAs above it found in the trust store (the last one the
        trust anchor when it is a root), and the revocation data the store holds for them."""
        pool = [*(trust.intermediates if trust else []), *(trust.roots if trust else [])]
        path, seen = [cert], {cert.fingerprint(hashes.SHA256())}
        while path[-1].issuer != path[-1].subject:
            parent = next((c for c in pool if c.subject == path[-1].issuer), None)
            if parent is None or parent.fingerprint(hashes.SHA256()) in seen:
                break
            seen.add(parent.fingerprint(hashes.SHA256()))
            path.append(parent)
        ids = [self.add("certificate", c.public_bytes(serialization.Encoding.DER)) for c in path]
        anchor = ids[-1] if trust is not None and trust.is_root(path[-1]) else None
        self._revocation(path, trust)
        return ids, anchor

    def _revocation(self, path: list[x509.Certificate], trust) -> None:
        issuers = {c.subject for c in path}
        serials = {c.serial_number for c in path}
        for der in (trust.crls if trust else []):
            try:
                if x509.load_der_x509_crl(der).issuer in issuers:
                    self.add("CRL", der)
            except ValueError:
                continue
        for der in (trust.ocsps if trust else []):
            try:
                response = ocsp.load_der_ocsp_response(der)
                if response.response_status == ocsp.OCSPResponseStatus.SUCCESSFUL and \
                        response.serial_number in serials:
                    self.add("OCSPResponse", der)
            except ValueError:
                continue

    def write(self, parent) -> None:
        if not self.items:
            return
        objects = _vr(parent, "SignatureValidationObjects")
        for ident, (kind, der) in self.items.items():
            vo = _vr(objects, "ValidationObject", id=ident)
            _vr(vo, "ObjectType", OBJECT_TYPE + kind)
            _vr(_vr(vo, "ValidationObjectRepresentation"), "base64", base64.b64encode(der).decode())




# --- the report ---------------------------------------------------------------------------------------------


def _status(parent, name: str, indication: str, sub: str | None, chain: tuple[list[str], str | None] | None = None):
    status = _vr(parent, name)
    _vr(status, "MainIndication", MAIN_INDICATIONS[indication])
    if sub:
        _vr(status, "SubIndication", SUB + sub)
    if chain is not None:
        ids, anchor = chain
        data = _vr(_vr(status, "AssociatedValidationReportData"), "CertificateChain")
        _vr(data, "SigningCertificate", VOReference=ids[0])
        for ident in ids[1:len(ids) - (1 if anchor else 0)]:
            _vr(data, "IntermediateCertificate", VOReference=ident)
        if anchor:
            _vr(data, "TrustAnchor", VOReference=anchor)


def _constraints(parent, checks: list[r.Check]) -> None:
    if not checks:
        return
    evaluation = _vr(parent, "ValidationConstraintsEvaluationReport")
    for check in checks:
        constraint = _vr(evaluation, "ValidationConstraint")
        _vr(constraint, "ValidationConstraintIdentifier", f"{KYSO}constraint:{check.code}")
        _vr(_vr(constraint, "ConstraintStatus"), "Status", APPLIED)
        _vr(_vr(constraint, "ValidationStatus"), "MainIndication", CONSTRAINT_INDICATIONS[check.ok])


def _process(level: str) -> str:
    """Basic validation, validation with time (a time-stamp) or with long-term data (EN 319 102-1, 5.3-5.6)."""
    return PROCESS + ("LTA" if level == "B-LTA" else "LTVM" if level in ("B-T", "B-LT") else "Basic")


def _signature(root, report: DocumentReport, sig: SignatureReport, ev: Evidence, objects: Objects) -> None:
    out = _vr(root, "SignatureValidationReport")
    if ev.value:
        ident = _vr(out, "SignatureIdentifier", id=f"sig-{hashlib.sha256(ev.value).hexdigest()[:32]}")
        _digest_pair(ident, "DigestAlgAndValue", DIGEST_URIS["sha256"], hashlib.sha256(ev.value).digest())
        etree.SubElement(ident, f"{{{DS}}}SignatureValue").text = base64.b64encode(ev.value).decode()
        _vr(ident, "HashOnly", "false")
        _vr(ident, "DocHashOnly", "false")
    _constraints(out, sig.checks)
    validated = report.validated_at or dt.datetime.now(dt.timezone.utc)
    times = _vr(out, "ValidationTimeInfo")
    _vr(times, "ValidationTime", _time(validated))
    best = _vr(times, "BestSignatureTime")      # proven by a time-stamp, else the validation time
    _vr(best, "POETime", _time(sig.timestamp_time or validated))
    _vr(best, "TypeOfProof", POE_VALIDATION)
    if ev.digest and ev.digest_uri:
        _digest_pair(_vr(out, "SignersDocument"), "DigestAlgAndValue", ev.digest_uri, ev.digest)
    if sig.signing_time or sig.timestamp_time or sig.reason:
        attributes = _vr(out, "SignatureAttributes")
        if sig.signing_time:
            _vr(_vr(attributes, "SigningTime", Signed="true"), "Time", _time(sig.signing_time))
        if sig.timestamp_time:
            _vr(_vr(attributes, "SignatureTimeStamp", Signed="false"), "TimeStampValue", _time(sig.timestamp_time))
        if sig.reason:
            _vr(_vr(attributes, "Reason", Signed="true"), "ReasonElement", sig.reason)
    chain = None
    if sig.certificate is not None:
        chain = objects.chain(sig.certificate, report.trust)
        info = _vr(out, "SignerInformation")
        _vr(info, "SignerCertificate", VOReference=chain[0][0])
        if sig.signer:
            _vr(info, "Signer", sig.signer)
    if sig.level:
        _vr(_vr(out, "SignatureQuality"), "SignatureQualityInformation", f"{KYSO}signatureLevel:{sig.kind}-{sig.level}")
    process = _vr(out, "SignatureValidationProcess")
    _vr(process, "SignatureValidationProcessID", _process(sig.level))
    _vr(process, "SignatureValidationServicePolicy", f"{KYSO}policy:{ALGORITHM_POLICY.split()[0]}")
    _status(out, "SignatureValidationStatus", sig.indication, sig.sub_indication, chain)


def etsi_report(report: DocumentReport, data: bytes) -> bytes:
    """The TS 119 102-2 ValidationReport of `report` (verified from `data`), UTF-8 XML."""
    root = etree.Element(f"{{{VR}}}ValidationReport", nsmap=NSMAP)
    objects = Objects()
    for sig, ev in zip(report.signatures, evidence(report, data)):
        _signature(root, report, sig, ev, objects)
    if not report.signatures:
        # the schema wants one SignatureValidationReport: the document's own verdict and checks (no signature
        # found, or none that could be read)
        out = _vr(root, "SignatureValidationReport")
        _constraints(out, report.document_checks)
        validated = report.validated_at or dt.datetime.now(dt.timezone.utc)
        times = _vr(out, "ValidationTimeInfo")
        _vr(times, "ValidationTime", _time(validated))
        best = _vr(times, "BestSignatureTime")
        _vr(best, "POETime", _time(validated))
        _vr(best, "TypeOfProof", POE_VALIDATION)
        _status(out, "SignatureValidationStatus", report.indication, report.sub_indication)
    objects.write(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
