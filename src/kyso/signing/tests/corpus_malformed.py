"""Malformed signed files of the verdict corpus: signed XML and CMS cut short or with their structure broken
(EN 319 102-1: a file that claims a signature gets an indication — TOTAL_FAILED / FORMAT_FAILURE — never a
refusal), and XML signatures missing a part the XMLDSig schema requires."""

from __future__ import annotations

import base64

from asn1crypto import cms
from lxml import etree

DS = "http://www.w3.org/2000/09/xmldsig#"


def cut_at(signed: bytes, marker: bytes, offset: int = 0) -> bytes:
    """The file cut `offset` bytes after the first `marker` (a place that still claims a signature)."""
    return signed[:signed.index(marker) + len(marker) + offset]


def cut_fraction(signed: bytes, fraction: float) -> bytes:
    return signed[:int(len(signed) * fraction)]


def _edit(signed: bytes, change) -> bytes:
    root = etree.fromstring(signed)
    sig = root.find(f".//{{{DS}}}Signature")
    change(sig)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _remove(path: str):
    def change(sig):
        for el in sig.findall(path, {"ds": DS}):
            el.getparent().remove(el)
    return change


def without(signed: bytes, path: str) -> bytes:
    """The signature with the elements at `path` (relative to ds:Signature, prefix ds) removed."""
    return _edit(signed, _remove(path))


def emptied(signed: bytes, path: str) -> bytes:
    """The text of the elements at `path` removed (an empty DigestValue or SignatureValue)."""
    def change(sig):
        for el in sig.findall(path, {"ds": DS}):
            el.text = None
    return _edit(signed, change)


def empty_signature(signed: bytes) -> bytes:
    """`<Signature/>`: the signature element left, everything in it gone."""
    def change(sig):
        for child in list(sig):
            sig.remove(child)
    return _edit(signed, change)


def key_info_first(signed: bytes) -> bytes:
    """KeyInfo moved before SignatureValue (the schema's order broken)."""
    def change(sig):
        sig.insert(1, sig.find(f"{{{DS}}}KeyInfo"))
    return _edit(signed, change)


def orphan_signed_info(signed: bytes) -> bytes:
    """The Signature element renamed away: its SignedInfo and SignatureValue stand alone in the document."""
    root = etree.fromstring(signed)
    sig = root.find(f".//{{{DS}}}Signature")
    sig.tag = "{urn:kyso:khac}ChuKy"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def der_cut(signed: bytes, fraction: float) -> bytes:
    return signed[:int(len(signed) * fraction)]


def pem_cut(signed_der: bytes, fraction: float) -> bytes:
    """PEM cut short: no END line, the base64 stops halfway."""
    pem = b"-----BEGIN PKCS7-----\n" + base64.encodebytes(signed_der) + b"-----END PKCS7-----\n"
    return pem[:int(len(pem) * fraction)]


def der_trailing(signed: bytes) -> bytes:
    """Bytes after the end of the DER structure."""
    return signed + b"\x00\x01garbage"


def signer_infos_not_a_set(signed: bytes) -> bytes:
    """SignedData whose signerInfos field is a INTEGER where a SET must be: the outer ContentInfo still says
    signedData."""
    info = cms.ContentInfo.load(signed)
    der = info["content"]["signer_infos"].dump()
    return signed.replace(der, b"\x02" + der[1:], 1)


def without_signer_infos(signed: bytes) -> bytes:
    """A well-formed SignedData with an empty signerInfos: no signature at all (SIGNED_DATA_NOT_FOUND)."""
    info = cms.ContentInfo.load(signed)
    info["content"]["signer_infos"] = []
    return info.dump(force=True)
