"""Receipts of dossiers, fast enough for month-end intake (issue 19).

What a receipt guarantees, and when:
1. In the answer to the intake (the same transaction as the dossier): a small XML receipt (code, office,
   procedure, submitter, reception time, due date, the rule that accepted it, every file with its SHA-256
   and its verification result) inside a CMS signature of the receiving office's seal (CAdES B-B, content
   attached, signing-certificate-v2 and signing time). It proves who issued it and what it says; `kyso
   verify` accepts it as it is. Its reception time is the office's word: no third party vouches for it yet.
2. Within half a minute (the periodic job `portal.receipt_timestamps`, every 30 s, or `stamp_pending()`):
   the receipt is in a batch whose hash tree root carries one RFC 3161 time-stamp of our TSA; its RFC 4998
   evidence record (`evidence`, the path from the receipt's SHA-256 to the root plus the token) proves that
   exactly these bytes existed at the token's time. `check` verifies both.
3. On first download: the Form 01 receipt as a PDF for people, rendered then and sealed PAdES B-T (with its
   own time-stamp), kept and served as it is afterwards.

The seal key and certificate are kept in memory per office for SEAL_CACHE_SECONDS: a seal certificate
revoked or renewed is seen by the intake within that time."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from dataclasses import dataclass

from asn1crypto import algos, cms, tsp
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from lxml import etree

from kyso.core import steps
from kyso.core.errors import NotFound
from kyso.files import storage
from kyso.pki.ca import chain
from kyso.signing.seal import unit_seal

from . import documents
from .models import DocKind, Dossier, DossierDocument, Receipt
from .sealing import seal_document, sealing_unit

NS = "urn:kyso:portal:receipt:1"
SEAL_CACHE_SECONDS = 60
HASH = "sha256"


# --- 1. the signed receipt, at intake


@dataclass
class FileLine:
    name: str
    form: str
    sha256: str
    signer: str = ""
    indication: str = ""


def receipt_xml(*, code: str, unit, procedure, channel: str, kind: str, name: str, tax_code: str,
                received_at: dt.datetime, due: dt.date, rule, files: list[FileLine]) -> bytes:
    """The receipt's content: what the PDF receipt shows, in a form a program reads."""
    root = etree.Element(f"{{{NS}}}GiayTiepNhan", nsmap={None: NS})

    def add(parent, tag, text="", **attrs):
        el = etree.SubElement(parent, f"{{{NS}}}{tag}", {k: str(v) for k, v in attrs.items()})
        el.text = str(text)
        return el

    add(root, "MaHoSo", code)
    add(root, "CoQuanTiepNhan", unit.name, ma=unit.gov_code or unit.code)
    add(root, "ThuTuc", procedure.name, ma=procedure.code)
    add(root, "HinhThucNop", channel)
    add(root, "LoaiHoSo", kind)
    add(root, "ToChucCaNhan", name, mst=tax_code)
    add(root, "TiepNhanLuc", timezone.localtime(received_at).isoformat(timespec="seconds"))
    add(root, "NgayHenTra", due.isoformat())
    add(root, "CanCuTiepNhan", rule.citation, ma=rule.code)
    tep = add(root, "DanhSachTep")
    for f in files:
        add(tep, "Tep", f.name, mau=f.form, sha256=f.sha256, nguoiKy=f.signer, ketQua=f.indication)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _tlv(tag: int, content: bytes) -> bytes:
    """One DER element: tag, definite length, content."""
    n = len(content)
    if n < 0x80:
        return bytes([tag, n]) + content
    size = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(size)]) + size + content


@dataclass
class _Seal:
    """An office's seal, with the DER pieces every receipt repeats encoded once."""

    expires: float
    key: object
    not_after: dt.datetime
    sid: bytes = b""              # SignerIdentifier (issuer and serial number)
    certificates: bytes = b""     # [0] IMPLICIT CertificateSet: the seal's certificate and its chain
    signing_cert_attr: bytes = b""  # the signing-certificate-v2 attribute
    signature_algorithm: bytes = b""


_seals: dict[int, _Seal] = {}
_DIGEST_ALGORITHM = algos.DigestAlgorithm({"algorithm": HASH}).dump()
_CONTENT_TYPE_ATTR = cms.CMSAttribute({"type": "content_type", "values": ["data"]}).dump()
_DATA = cms.ContentType("data").dump()
_SIGNED_DATA = cms.ContentType("signed_data").dump()
_SIGNING_TIME = cms.CMSAttributeType("signing_time").dump()
_MESSAGE_DIGEST = cms.CMSAttributeType("message_digest").dump()


def _seal(unit) -> _Seal:
    """The sealing office's key and certificates, from memory while fresh (one look-up a minute per office)."""
    office = sealing_unit(unit)
    now = timezone.now()
    hit = _seals.get(office.pk)
    if hit is not None and hit.expires > time.monotonic() and hit.not_after > now:
        return hit
    issued, key = unit_seal(office)
    cert = asn1_x509.Certificate.load(bytes(issued.der))
    others = [c.public_bytes(Encoding.DER) for c in chain(issued.ca.name)]
    hit = _Seal(time.monotonic() + SEAL_CACHE_SECONDS, key, issued.not_after)
    hit.sid = cms.SignerIdentifier({"issuer_and_serial_number": cms.IssuerAndSerialNumber({
        "issuer": cert.issuer, "serial_number": cert.serial_number})}).dump()
    hit.certificates = _tlv(0xA0, b"".join([cert.dump(), *[d for d in others if d != cert.dump()]]))
    hit.signing_cert_attr = cms.CMSAttribute({"type": "signing_certificate_v2", "values": [tsp.SigningCertificateV2({
        "certs": [tsp.ESSCertIDv2({
            "hash_algorithm": algos.DigestAlgorithm({"algorithm": HASH}),
            "cert_hash": hashlib.sha256(cert.dump()).digest(),
            "issuer_serial": {"issuer": [asn1_x509.GeneralName(name="directory_name", value=cert.issuer)],
                              "serial_number": cert.serial_number},
        })]})]}).dump()
    hit.signature_algorithm = algos.SignedDigestAlgorithm({
        "algorithm": _signature_algorithm(key.public_key())}).dump()
    _seals[office.pk] = hit
    return hit


def _signature_algorithm(public_key) -> str:
    if isinstance(public_key, rsa.RSAPublicKey):
        return "sha256_rsa"
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        return "sha256_ecdsa"
    raise ValueError("unsupported seal key")


def sign(content: bytes, unit) -> bytes:
    """CMS SignedData (RFC 5652) with `content` attached, signed by the office's seal: CAdES B-B (content type,
    message digest, signing time, signing-certificate-v2). One private-key operation, no network, no TSA; the
    DER is put together from pieces encoded once per seal (a receipt is signed in about a millisecond)."""
    seal = _seal(unit)
    when = timezone.now().astimezone(dt.timezone.utc).replace(microsecond=0)
    attrs = sorted([   # DER: the elements of a SET OF in the order of their encodings
        _CONTENT_TYPE_ATTR,
        _tlv(0x30, _SIGNING_TIME + _tlv(0x31, cms.Time(name="utc_time", value=when).dump())),
        _tlv(0x30, _MESSAGE_DIGEST + _tlv(0x31, _tlv(0x04, hashlib.sha256(content).digest()))),
        seal.signing_cert_attr,
    ])
    signed_attrs = b"".join(attrs)
    signature = seal.key.sign(_tlv(0x31, signed_attrs), HASH)
    version = b"\x02\x01\x01"
    signer_info = _tlv(0x30, version + seal.sid + _DIGEST_ALGORITHM + _tlv(0xA0, signed_attrs)
                       + seal.signature_algorithm + _tlv(0x04, signature))
    encap = _tlv(0x30, _DATA + _tlv(0xA0, _tlv(0x04, content)))
    signed_data = _tlv(0x30, version + _tlv(0x31, _DIGEST_ALGORITHM) + encap + seal.certificates
                       + _tlv(0x31, signer_info))
    return _tlv(0x30, _SIGNED_DATA + _tlv(0xA0, signed_data))


def file_name(dossier_code: str) -> str:
    return f"giay-tiep-nhan-{dossier_code}.p7m"


def attach(dossier: Dossier, signed: bytes) -> DossierDocument:
    """Archive the signed receipt and list it among the dossier's documents (kind `receipt`)."""
    stored = storage.store(signed, name=file_name(dossier.code), media_type="application/pkcs7-mime",
                           purpose=f"portal.{DocKind.RECEIPT}", unit_path=dossier.unit.path)
    doc = DossierDocument.objects.create(dossier=dossier, kind=DocKind.RECEIPT, file=stored,
                                         data={"format": "CMS", "level": "B-B"})
    Receipt.objects.create(document=doc, sha256=stored.sha256)
    return doc


def of(dossier: Dossier) -> Receipt:
    """The dossier's signed receipt (NotFound for dossiers received before issue 19, whose receipt is a PDF)."""
    receipt = Receipt.objects.filter(document__dossier=dossier).select_related("document__file", "batch").first()
    if receipt is None:
        raise NotFound("portal.receipt.none", _("Dossier %(code)s has no signed receipt of this kind."),
                       code=dossier.code)
    return receipt


def content_of(signed: bytes) -> bytes:
    """The receipt XML inside a signed receipt."""
    return cms.ContentInfo.load(signed)["content"]["encap_content_info"]["content"].native


# --- 3. the PDF for people, on first download

RENDER = steps.step("portal.receipt.render", label=_("Render the receipt PDF"))


def served_file(doc: DossierDocument):
    """The file a download of `doc` gives: for a receipt, its Form 01 PDF (rendered and sealed PAdES B-T on the
    first download, then kept); every other document as it was issued."""
    if doc.kind != DocKind.RECEIPT:
        return doc.file
    receipt = Receipt.objects.filter(document=doc).select_related("pdf").first()
    if receipt is None:         # receipts issued as PDFs at intake, before issue 19
        return doc.file
    if receipt.pdf_id is not None:
        return receipt.pdf
    return steps.run(RENDER, lambda attempt: _render(receipt.pk))


def _render(receipt_id: int):
    receipt = Receipt.objects.select_for_update().select_related("document__dossier__unit").get(pk=receipt_id)
    if receipt.pdf_id is not None:      # another request rendered it meanwhile
        return receipt.pdf
    dossier = receipt.document.dossier
    doc = documents.receipt(dossier)
    signed = seal_document(doc, dossier.unit, reason=doc.title)
    receipt.pdf = storage.store(signed, name=f"{documents.FILE_NAMES[DocKind.RECEIPT]}-{dossier.code}.pdf",
                                media_type="application/pdf", purpose=f"portal.{DocKind.RECEIPT}",
                                unit_path=dossier.unit.path)
    receipt.save(update_fields=["pdf"])
    return receipt.pdf
