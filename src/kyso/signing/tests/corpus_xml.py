"""XML documents of the verdict corpus: signed by xmlsec1 (templates written by hand) and by plain signxml,
re-encoded in the encodings XML 1.0 allows, and the classes the W3C XMLDSig best practices warn about
(external and file references, XSLT, XPath, HMAC with a public key, wrapping, weak algorithms)."""

from __future__ import annotations

import base64
import codecs
import dataclasses
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from endesive.xades import BES
from lxml import etree
from signxml import DigestAlgorithm, SignatureMethod, XMLSigner
from signxml.xades import XAdESSigner

from kyso.signing.xml import _XAdESSigner

from .helpers import key_pem, pem, run

DS = "http://www.w3.org/2000/09/xmldsig#"
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
ECDSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
ENVELOPED = '<Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>'
EXC_C14N = '<Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>'
XSLT = ('<Transform Algorithm="http://www.w3.org/TR/1999/REC-xslt-19991116"><xsl:stylesheet '
        'xmlns:xsl="http://www.w3.org/1999/XSL/Transform" version="1.0"><xsl:template match="/"><x/></xsl:template>'
        '</xsl:stylesheet></Transform>')
XPATH = ('<Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116">'
         '<XPath>not(ancestor-or-self::node()[local-name()="Signature"])</XPath></Transform>')
BODY = "<MaThuTuc>600</MaThuTuc><Ten>Công ty Ánh Dương</Ten><MucLuong>8500000</MucLuong>"
LATIN1_BODY = "<MaThuTuc>600</MaThuTuc><Ten>Société Ánh</Ten><MucLuong>8500000</MucLuong>"


def template(*, method=RSA_SHA256, digest=SHA256, transforms=ENVELOPED + EXC_C14N, extra_refs="", key_info=True,
             body=BODY) -> bytes:
    refs = (f'<Reference URI=""><Transforms>{transforms}</Transforms><DigestMethod Algorithm="{digest}"/>'
            f'<DigestValue/></Reference>{extra_refs}')
    ki = "<KeyInfo><X509Data/></KeyInfo>" if key_info else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<HoSo xmlns="http://kyso.vss.gov.vn/hoso/1">{body}'
            f'<Signature xmlns="{DS}"><SignedInfo>'
            f'<CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>'
            f'<SignatureMethod Algorithm="{method}"/>{refs}</SignedInfo><SignatureValue/>{ki}</Signature></HoSo>\n'
            ).encode()


def xmlsec_sign(tmp: Path, tpl: bytes, cert, key, *, hmac_key: bytes | None = None) -> bytes:
    (tmp / "tpl.xml").write_bytes(tpl)
    (tmp / "key.pem").write_bytes(key_pem(key))
    (tmp / "cert.pem").write_bytes(pem(cert))
    if hmac_key is not None:
        (tmp / "hmac.bin").write_bytes(hmac_key)
        args = ["--hmackey", tmp / "hmac.bin"]
    else:
        args = ["--privkey-pem", f"{tmp / 'key.pem'},{tmp / 'cert.pem'}"]
    result = run("xmlsec1", "--sign", *args, "--output", tmp / "out.xml", tmp / "tpl.xml")
    assert result.returncode == 0, result.stderr
    return (tmp / "out.xml").read_bytes()


def with_certificate(signed: bytes, cert) -> bytes:
    """Put the certificate into the KeyInfo after signing (KeyInfo is not signed here)."""
    b64 = base64.b64encode(cert.public_bytes(serialization.Encoding.DER))
    return signed.replace(b"</Signature>", b"<KeyInfo><X509Data><X509Certificate>" + b64
                          + b"</X509Certificate></X509Data></KeyInfo></Signature>", 1)


class _BindOther(_XAdESSigner):
    """XAdES whose SigningCertificateV2 names only `bound` while another key signs (substitution)."""

    bound = None

    def add_signing_certificate(self, signed_signature_properties, sig_root, signing_settings):
        settings = dataclasses.replace(signing_settings, cert_chain=[self.bound])
        super().add_signing_certificate(signed_signature_properties, sig_root, settings)


def signxml_sign(cert, key, chain=(), *, xades=False, certs=None, bind=None) -> bytes:
    root = etree.fromstring(template(key_info=False).split(b"<Signature", 1)[0] + b"</HoSo>")
    method = SignatureMethod.ECDSA_SHA256 if "EllipticCurve" in type(key).__name__ else SignatureMethod.RSA_SHA256
    # xades="plain": signxml as it is (it digests SignedProperties with a canonicalisation it does not declare);
    # xades=True: with the declaration added (kyso.signing.xml's subclass, as xmlsec1 needs it)
    cls = XAdESSigner if xades == "plain" else _XAdESSigner if xades else XMLSigner
    if bind is not None:
        cls = type("BindOther", (_BindOther,), {"bound": bind})
    signer = cls(signature_algorithm=method, digest_algorithm=DigestAlgorithm.SHA256,
                 c14n_algorithm="http://www.w3.org/2001/10/xml-exc-c14n#")
    if not xades:
        signer.namespaces = {None: DS}
    pems = [c.public_bytes(serialization.Encoding.PEM).decode() for c in (certs or [cert, *chain])]
    signed = signer.sign(root, key=key, cert=pems, always_add_key_value=False)
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")


def reencode(signed: bytes, codec: str, *, bom: bool = True, declared: str | None = None) -> bytes:
    text = signed.decode("utf-8").replace('encoding="UTF-8"', f'encoding="{declared or codec.upper()}"', 1)
    text = text.replace("encoding='UTF-8'", f"encoding='{declared or codec.upper()}'", 1)
    data = text.encode(codec)
    if bom and codec.startswith("utf-16"):
        data = (codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE) + data
    return data


def wrap_into_object(signed: bytes) -> bytes:
    """XML signature wrapping: the signed original moves under ds:Object, a forged root takes its place."""
    root = etree.fromstring(signed)
    sig = root.find(f"{{{DS}}}Signature")
    root.remove(sig)
    original = etree.tostring(root)
    forged = etree.fromstring(original.replace(b"8500000", b"1"))
    obj = etree.SubElement(sig, f"{{{DS}}}Object")
    obj.append(etree.fromstring(original))
    forged.append(sig)
    return etree.tostring(forged, xml_declaration=True, encoding="UTF-8")


def wrap_duplicate_id(signed_by_id: bytes) -> bytes:
    """Wrapping by a second element carrying the signed Id."""
    return signed_by_id.replace(b"<MucLuong>", b'<MucLuong xmlns:x="urn:x" x:Id="hoso-1">', 1)


def flip_signature_value(signed: bytes) -> bytes:
    start = signed.index(b"<SignatureValue") if b"<SignatureValue" in signed else signed.index(b":SignatureValue")
    start = signed.index(b">", start) + 1
    ch = signed[start + 5:start + 6]
    return signed[:start + 5] + (b"A" if ch != b"A" else b"B") + signed[start + 6:]


def endesive_xades(cert, key, chain=()) -> bytes:
    """XAdES-BES by endesive (its enveloped transform is written as the XPath not(ancestor-or-self::ds:Signature))."""
    def signproc(tosign, algosig):
        return key.sign(tosign, padding.PKCS1v15(), getattr(hashes, algosig.upper())())

    data = template(key_info=False).split(b"<Signature", 1)[0] + b"</HoSo>\n"
    doc = BES().enveloped(data, cert, cert.public_bytes(serialization.Encoding.DER), signproc, None, None)
    return etree.tostring(doc, encoding="UTF-8", xml_declaration=True)
