"""The verdict corpus, third part: variants of XML signature wrapping and of CMS pitfalls not in the first two
parts (W3C "XML Signature Best Practices"; Somorovsky et al., "On Breaking SAML", USENIX Security 2012;
McIntosh & Austel 2005; RFC 5652). Whatever is not what was signed, or hides unsigned content a reader would
take for signed, is not TOTAL_PASSED; a malformed file is TOTAL_FAILED / FORMAT_FAILURE; legitimately signed
variants pass. Each case: the indication and sub-indication ETSI EN 319 102-1 gives, CLI and API agreeing."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
import socket

import pytest
from asn1crypto import algos, cms, core, tsp, x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from django.core.management import call_command
from lxml import etree

from kyso.signing.cades import sign_cms
from kyso.signing.timestamps import token_for
from kyso.signing.verify import verify_bytes
from kyso.signing.xml import unsigned_xades_bb

from . import corpus_cms as C
from . import corpus_xml as X
from .helpers import key_pem, pem, person_cert, run
from .corpus_kit import RsaKit
from .test_verdict_corpus import FAILED, FORMAT, INDET, PASSED, SIG_CONSTRAINTS, assert_built_case, assert_refused

CRYPTO = "CRYPTO_CONSTRAINTS_FAILURE_NO_POE"
HASH, SIG_CRYPTO, NO_CERT = "HASH_FAILURE", "SIG_CRYPTO_FAILURE", "NO_SIGNING_CERTIFICATE_FOUND"
DS = X.DS
XADES = "http://uri.etsi.org/01903/v1.3.2#"
HOSO = "http://kyso.vss.gov.vn/hoso/1"
C14N = '<Transform Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>'
C14N11 = '<Transform Algorithm="http://www.w3.org/2006/12/xml-c14n11"/>'


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Nothing in a signature is ever fetched: any connection attempt fails the test."""
    def refuse(self, address, *args):
        if isinstance(address, tuple) and address[0] not in ("127.0.0.1", "::1", "localhost"):
            raise AssertionError(f"network access to {address}")
        if isinstance(address, tuple) and address[1] == 9:
            raise AssertionError(f"network access to {address}")
        return real(self, address, *args)
    real = socket.socket.connect
    monkeypatch.setattr(socket.socket, "connect", refuse)


# ---- XML helpers ----------------------------------------------------------------------------------------------

def _tpl(**kw) -> bytes:
    return X.template(**kw)


def _sig_bounds(signed: bytes) -> tuple[int, int]:
    return signed.index(b"<Signature"), signed.index(b"</Signature>") + len(b"</Signature>")


def _in_signature(signed: bytes, extra: bytes) -> bytes:
    """`extra` appended at the end of the ds:Signature (after KeyInfo: an unsigned place)."""
    return signed.replace(b"</Signature>", extra + b"</Signature>", 1)


def _hand_sign(k, tpl: bytes, *, c14n_method="http://www.w3.org/2001/10/xml-exc-c14n#") -> bytes:
    """A template signed by hand (lxml + cryptography): the document reference (URI="", enveloped, exc-c14n)
    and references by Id digested, any other reference given a digest of nothing (never resolved), SignedInfo
    canonicalised with exclusive C14N and signed RSA-SHA256 whatever CanonicalizationMethod it names."""
    root = etree.fromstring(tpl)
    sig = root.find(f"{{{DS}}}Signature")
    si = sig.find(f"{{{DS}}}SignedInfo")
    si.find(f"{{{DS}}}CanonicalizationMethod").set("Algorithm", c14n_method)
    for ref in si.findall(f"{{{DS}}}Reference"):
        uri = ref.get("URI")
        if uri == "":
            parent = sig.getparent()
            index = parent.index(sig)
            parent.remove(sig)
            octets = etree.tostring(root, method="c14n", exclusive=True, with_comments=False)
            parent.insert(index, sig)
        else:
            octets = b""
        ref.find(f"{{{DS}}}DigestValue").text = base64.b64encode(hashlib.sha256(octets).digest()).decode()
    data = etree.tostring(si, method="c14n", exclusive=True, with_comments=False)
    sig.find(f"{{{DS}}}SignatureValue").text = base64.b64encode(
        k.key.sign(data, padding.PKCS1v15(), hashes.SHA256())).decode()
    x509_data = sig.find(f"{{{DS}}}KeyInfo/{{{DS}}}X509Data")
    etree.SubElement(x509_data, f"{{{DS}}}X509Certificate").text = base64.b64encode(
        k.cert.public_bytes(serialization.Encoding.DER)).decode()
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _extra_ref(uri: str) -> str:
    return (f'<Reference URI="{uri}"><DigestMethod Algorithm="{X.SHA256}"/><DigestValue/></Reference>')


def _xmlsec_id(k, tpl: bytes, *id_attrs: str) -> bytes:
    (k.tmp / "tpl.xml").write_bytes(tpl)
    (k.tmp / "key.pem").write_bytes(key_pem(k.key))
    (k.tmp / "cert.pem").write_bytes(pem(k.cert))
    args = [a for spec in id_attrs for a in ("--id-attr:" + spec.split("=")[0], spec.split("=")[1])]
    result = run("xmlsec1", "--sign", *args, "--privkey-pem", f"{k.tmp / 'key.pem'},{k.tmp / 'cert.pem'}",
                 "--output", k.tmp / "out.xml", k.tmp / "tpl.xml")
    assert result.returncode == 0, result.stderr
    return (k.tmp / "out.xml").read_bytes()


def _by_root_id(k, tpl: bytes | None = None) -> bytes:
    tpl = (tpl or _tpl()).replace(f'<HoSo xmlns="{HOSO}">'.encode(), f'<HoSo xmlns="{HOSO}" Id="hoso-1">'.encode()) \
        .replace(b'<Reference URI="">', b'<Reference URI="#hoso-1">')
    return _xmlsec_id(k, tpl, f"Id={HOSO}:HoSo")


def _key_info_signed_with_comments(k) -> bytes:
    """The document reference drops comments, the KeyInfo reference keeps them (a legitimate signer's choice)."""
    ref = ('<Reference URI="#ki"><Transforms><Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#'
           f'WithComments"/></Transforms><DigestMethod Algorithm="{X.SHA256}"/><DigestValue/></Reference>')
    tpl = _tpl(extra_refs=ref).replace(b"<KeyInfo>", b'<KeyInfo Id="ki">')
    return _xmlsec_id(k, tpl, f"Id={DS}:KeyInfo")


def _xades(k) -> bytes:
    return X.signxml_sign(k.cert, k.key, xades=True)


def _xades_prefix(signed: bytes) -> bytes:
    return b"xades:" if b"<xades:SignedProperties" in signed else b""


def _ds_prefix(signed: bytes) -> bytes:
    return b"ds:" if b"<ds:Signature" in signed else b""


def _xades_fake_signing_time(k) -> bytes:
    """An unsigned xades:SigningTime put in an ds:Object before the signed properties."""
    signed = _xades(k)
    ds = _ds_prefix(signed)
    fake = (b'<%sObject><xades:QualifyingProperties xmlns:xades="%s"><xades:UnsignedProperties>'
            b'<xades:UnsignedSignatureProperties><xades:SigningTime>2020-01-01T00:00:00Z</xades:SigningTime>'
            b'</xades:UnsignedSignatureProperties></xades:UnsignedProperties></xades:QualifyingProperties>'
            b'</%sObject>') % (ds, XADES.encode(), ds)
    return signed.replace(b"<%sObject>" % ds, fake + b"<%sObject>" % ds, 1)


def _same_key_other_cert(k):
    return person_cert(k.key.public_key(), name="Kẻ Mạo Danh")


def _xades_key_info_unsigned(k) -> bytes:
    """Kyso's XAdES B-B shape without the reference to KeyInfo (SignedProperties still name the certificate)."""
    root = etree.fromstring(X.template(key_info=False).split(b"<Signature", 1)[0] + b"</HoSo>")
    sig, _octets = unsigned_xades_bb(root, [k.cert], ec_key=False)
    si = sig.find(f"{{{DS}}}SignedInfo")
    si.remove(si.findall(f"{{{DS}}}Reference")[-1])
    data = etree.tostring(si, method="c14n", exclusive=True, with_comments=False)
    sig.find(f"{{{DS}}}SignatureValue").text = base64.b64encode(
        k.key.sign(data, padding.PKCS1v15(), hashes.SHA256())).decode()
    root.append(sig)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _xades_cert_swapped(k, *, unsigned_binding: bool) -> bytes:
    """XAdES signed by k (SigningCertificateV2 names k.cert, KeyInfo unsigned); KeyInfo's certificate swapped
    for another certificate of the same key; with `unsigned_binding`, an unsigned SigningCertificateV2 naming
    the swapped certificate added in the unsigned properties."""
    signed = _xades_key_info_unsigned(k)
    other = _same_key_other_cert(k)
    old = base64.b64encode(k.cert.public_bytes(serialization.Encoding.DER))
    new = base64.b64encode(other.public_bytes(serialization.Encoding.DER))
    root = etree.fromstring(signed)
    for el in root.iter(f"{{{DS}}}X509Certificate"):
        if "".join((el.text or "").split()).encode() == old:
            el.text = new.decode()
    if unsigned_binding:
        qp = root.find(f".//{{{XADES}}}QualifyingProperties")
        usp = etree.SubElement(etree.SubElement(qp, f"{{{XADES}}}UnsignedProperties"),
                               f"{{{XADES}}}UnsignedSignatureProperties")
        cd = etree.SubElement(etree.SubElement(etree.SubElement(usp, f"{{{XADES}}}SigningCertificateV2"),
                                               f"{{{XADES}}}Cert"), f"{{{XADES}}}CertDigest")
        etree.SubElement(cd, f"{{{DS}}}DigestMethod", Algorithm=X.SHA256)
        etree.SubElement(cd, f"{{{DS}}}DigestValue").text = base64.b64encode(
            hashlib.sha256(other.public_bytes(serialization.Encoding.DER)).digest()).decode()
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _pi_before_root(signed: bytes, pi: bytes = b'<?xml-stylesheet type="text/xsl" href="hien-thi.xsl"?>') -> bytes:
    head, rest = signed.split(b"?>", 1)
    return head + b"?>\n" + pi + rest


def _qname_tpl(prefix_uri: str) -> bytes:
    body = X.BODY + "<LoaiHoSo>t:ChinhThuc</LoaiHoSo>"
    return _tpl(body=body).replace(f'<HoSo xmlns="{HOSO}">'.encode(),
                                   f'<HoSo xmlns="{HOSO}" xmlns:t="{prefix_uri}">'.encode())


def _qname_prefix_rebound(k) -> bytes:
    """A QName in a value (t:ChinhThuc) whose prefix exclusive C14N does not sign: rebinding t changes the
    value's meaning, the digest stays."""
    return k.xmlsec(_qname_tpl("urn:loai:A")).replace(b'xmlns:t="urn:loai:A"', b'xmlns:t="urn:loai:B"')


def _qname_inclusive(k) -> bytes:
    """The same, signed with InclusiveNamespaces PrefixList="t": the prefix is signed, rebinding it breaks it."""
    tr = ('<Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"><ec:InclusiveNamespaces '
          'xmlns:ec="http://www.w3.org/2001/10/xml-exc-c14n#" PrefixList="t"/></Transform>')
    return k.xmlsec(_qname_tpl("urn:loai:A").replace(X.EXC_C14N.encode(), tr.encode()))


def _with_comments_tpl() -> bytes:
    return _tpl(transforms=X.ENVELOPED + '<Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#WithComments"/>'
                ).replace(b"<MucLuong>", b"<!--ghi chu--><MucLuong>", 1)


def _deep(k) -> bytes:
    signed = k.xmlsec()
    return signed.replace(b"<MaThuTuc>", b"<a>" * 3000 + b"</a>" * 3000 + b"<MaThuTuc>", 1)


def _dtd_after_64k(k) -> bytes:
    signed = k.xmlsec()
    head, rest = signed.split(b"?>", 1)
    return (head + b"?>\n<!--" + b"x" * 70000 + b'-->\n<!DOCTYPE HoSo [<!ENTITY a "b">'
            b'<!ENTITY x SYSTEM "file:///etc/hostname">]>' + rest)


def _utf7_dtd(k) -> bytes:
    signed = k.xmlsec()
    head, rest = signed.split(b"?>", 1)
    dtd = '<!DOCTYPE HoSo [<!ENTITY x SYSTEM "file:///etc/hostname">]>'.encode("utf-7")
    return head.replace(b'encoding="UTF-8"', b'encoding="UTF-7"') + b"?>" + dtd + rest


def _many_transforms(k, n=3000) -> bytes:
    return k.xmlsec(_tpl(transforms=X.ENVELOPED + X.EXC_C14N * n))


XML_VARIANTS = [
    # wrapping / unsigned content a reader takes for signed
    ("xml-pi-stylesheet-added-before-root", lambda k: _pi_before_root(k.xmlsec()), FAILED, HASH,
     "an xml-stylesheet processing instruction added before the root after signing (URI=\"\" covers it)"),
    ("xml-pi-stylesheet-signed", lambda k: k.xmlsec(_pi_before_root(_tpl())), PASSED, None,
     "the same processing instruction present when signed"),
    ("xml-pi-added-in-value", lambda k: k.xmlsec().replace(b"<MucLuong>85", b"<MucLuong>85<?x?>", 1), FAILED, HASH,
     "a processing instruction added inside a signed value"),
    ("xml-object-forged-dossier", lambda k: _in_signature(k.xmlsec(), f'<Object><HoSo xmlns="{HOSO}"><MucLuong>1'
                                                                       f'</MucLuong></HoSo></Object>'.encode()),
     INDET, SIG_CONSTRAINTS, "a forged dossier in an unsigned ds:Object of the signature (//MucLuong finds it)"),
    ("xml-object-signed-dossier-moved", lambda k: X.wrap_into_object(k.xmlsec()), FAILED, HASH,
     "the signed root copied into ds:Object, a forged root in its place (the digest fails first)"),
    ("xml-object-signed-dossier-copied", lambda k: _in_signature(k.xmlsec(), b"<Object>" + k.xmlsec().split(b"?>", 1)[1]
                                                                 .split(b"<Signature")[0] + b"</HoSo></Object>"),
     INDET, SIG_CONSTRAINTS, "a copy of the signed dossier in an unsigned ds:Object (what is signed is elsewhere)"),
    ("xml-comment-unsigned-with-comments-transform", lambda k: _in_signature(
        k.xmlsec(), b'<Object><Transforms><Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#'
                    b'WithComments"/></Transforms></Object>').replace(b"<MucLuong>8500000", b"<MucLuong>85<!---->00000"),
     INDET, SIG_CONSTRAINTS, "a comment split into a value, and an unsigned WithComments transform in an Object"),
    ("xml-comment-key-info-reference-with-comments", lambda k: _key_info_signed_with_comments(k).replace(
        b"<MucLuong>8500000", b"<MucLuong>85<!---->00000"), INDET, SIG_CONSTRAINTS,
     "the KeyInfo reference keeps comments, the document reference drops them: a comment added in a value"),
    ("xml-key-info-reference-with-comments", _key_info_signed_with_comments, PASSED, None,
     "KeyInfo signed with comments, the document without (untouched)"),
    ("xml-with-comments-transform", lambda k: k.xmlsec(_with_comments_tpl()), PASSED, None,
     "URI=\"\" with exc-c14n#WithComments and a comment between elements (URI=\"\" never signs comments, as xmlsec1)"),
    ("xml-with-comments-transform-comment-changed", lambda k: k.xmlsec(_with_comments_tpl()).replace(
        b"<!--ghi chu-->", b"<!--da sua-->"), PASSED, None, "the same, the comment between elements rewritten"),
    ("xml-with-comments-transform-comment-in-value", lambda k: k.xmlsec(_with_comments_tpl()).replace(
        b"<MucLuong>8500000", b"<MucLuong>85<!---->00000"), INDET, SIG_CONSTRAINTS,
     "the same, a comment split into a value (not signed under URI=\"\")"),
    ("xml-key-info-forged-dossier", lambda k: k.xmlsec().replace(
        b"</X509Data></KeyInfo>", f'</X509Data><HoSo xmlns="{HOSO}"><MucLuong>1</MucLuong></HoSo></KeyInfo>'.encode()),
     INDET, SIG_CONSTRAINTS, "a forged dossier in the (unsigned) KeyInfo"),
    ("xml-object-text", lambda k: _in_signature(k.xmlsec(), b"<Object>Muc luong: 1</Object>"), INDET, SIG_CONSTRAINTS,
     "text in an unsigned ds:Object"),
    ("xml-duplicate-xml-id", lambda k: _by_root_id(k).replace(b"<MucLuong>", b'<MucLuong xml:id="hoso-1">', 1),
     INDET, SIG_CONSTRAINTS, "xml:id carrying the signed root's Id on another element"),
    ("xml-duplicate-wsu-id", lambda k: _by_root_id(k).replace(
        b"<MucLuong>", b'<MucLuong xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-'
                       b'utility-1.0.xsd" wsu:Id="hoso-1">', 1), INDET, SIG_CONSTRAINTS,
     "wsu:Id carrying the signed root's Id"),
    ("xml-duplicate-lowercase-id", lambda k: _by_root_id(k).replace(b"<MucLuong>", b'<MucLuong id="hoso-1">', 1),
     INDET, SIG_CONSTRAINTS, "id (lower case) carrying the signed root's Id"),
    ("xml-id-on-root-twice", lambda k: _by_root_id(k).replace(b'Id="hoso-1"', b'Id="hoso-1" ID="hoso-1"', 1),
     INDET, SIG_CONSTRAINTS, "the root carries the signed Id in Id and ID"),
    ("xml-xpointer-root", lambda k: _hand_sign(k, _tpl().replace(b'<Reference URI="">', b'<Reference URI="#xpointer(/)">')),
     INDET, SIG_CONSTRAINTS, "the document referenced as #xpointer(/) (comments kept; refused, not resolved)"),
    ("xml-xpointer-id", lambda k: _hand_sign(k, _tpl(extra_refs=_extra_ref("#xpointer(id('hoso-1'))"))), INDET,
     SIG_CONSTRAINTS, "an extra reference #xpointer(id('hoso-1'))"),
    ("xml-reference-http", lambda k: _hand_sign(k, _tpl(extra_refs=_extra_ref("http://127.0.0.1:9/phu-luc.xml"))),
     INDET, SIG_CONSTRAINTS, "an extra reference to an http URL (never fetched)"),
    ("xml-reference-relative", lambda k: _hand_sign(k, _tpl(extra_refs=_extra_ref("../../etc/hostname"))),
     INDET, SIG_CONSTRAINTS, "an extra reference to a relative path (never read)"),
    ("xml-reference-only-http", lambda k: _hand_sign(k, _tpl().replace(
        b'<Reference URI="">', b'<Reference URI="http://127.0.0.1:9/hoso.xml">')), INDET, SIG_CONSTRAINTS,
     "the only reference is an http URL: the document itself is not signed"),
    ("xml-second-signature-in-object", lambda k: _in_signature(k.xmlsec(), b"<Object>" + k.xmlsec()[slice(
        *_sig_bounds(k.xmlsec()))] + b"</Object>"), INDET, SIG_CONSTRAINTS,
     "a second, valid-looking ds:Signature inside the first one's unsigned Object"),
    ("xml-unsigned-empty-signature-sibling", lambda k: k.xmlsec().replace(
        b"</HoSo>", f'<Signature xmlns="{DS}"/></HoSo>'.encode()), FAILED, HASH,
     "an empty second ds:Signature added next to the signed one (the first one's digest breaks)"),
    # transforms
    ("xml-base64-transform", lambda k: _hand_sign(k, _tpl(transforms=X.ENVELOPED + '<Transform Algorithm="http://'
                                                                                   'www.w3.org/2000/09/xmldsig#'
                                                                                   'base64"/>')),
     FAILED, FORMAT, "a base64 transform"),
    ("xml-xpath-select-nothing", lambda k: _hand_sign(k, _tpl(transforms='<Transform Algorithm="http://www.w3.org/TR/'
                                                                         '1999/REC-xpath-19991116"><XPath>false()'
                                                                         '</XPath></Transform>' + X.EXC_C14N)),
     FAILED, FORMAT, "an XPath transform selecting nothing"),
    ("xml-many-transforms", _many_transforms, FAILED, FORMAT,
     "3000 canonicalisation transforms on one reference (denial of service)"),
    ("xml-pi-and-comment-before-root-with-comments", lambda k: k.xmlsec(_pi_before_root(
        _with_comments_tpl(), b"<!--ban nhap--><?ghi-chu a?>")), PASSED, None,
     "a comment and an instruction before the root, signed (exc-c14n#WithComments: URI=\"\" drops the comment)"),
    # algorithms
    ("xml-hmac-output-length", lambda k: X.with_certificate(X.xmlsec_sign(
        k.tmp, _tpl(method="http://www.w3.org/2000/09/xmldsig#hmac-sha1", key_info=False).replace(
            b'xmldsig#hmac-sha1"/>', b'xmldsig#hmac-sha1"><HMACOutputLength>160</HMACOutputLength></SignatureMethod>'),
        k.cert, k.key, hmac_key=b"bi-mat"), k.cert), FAILED, FORMAT, "HMAC-SHA1 with HMACOutputLength"),
    ("xml-digest-sha224", lambda k: k.xmlsec(_tpl(digest="http://www.w3.org/2001/04/xmldsig-more#sha224")), INDET,
     CRYPTO, "reference digest SHA-224 (reliable until 2025)"),
    ("xml-signed-info-c14n-unknown", lambda k: _hand_sign(k, _tpl(), c14n_method="http://www.w3.org/TR/1999/"
                                                                                 "REC-xslt-19991116"),
     FAILED, FORMAT, "SignedInfo canonicalised by an XSLT 'method'"),
    # canonicalisation done right / wrong
    ("xml-inclusive-c14n-reference", lambda k: k.xmlsec(_tpl(transforms=X.ENVELOPED + C14N)), PASSED, None,
     "inclusive C14N 1.0 on the document reference"),
    ("xml-c14n11", lambda k: k.xmlsec(_tpl(transforms=X.ENVELOPED + C14N11)), PASSED, None, "C14N 1.1 reference"),
    ("xml-exc-c14n-inclusive-namespaces", _qname_inclusive, PASSED, None,
     "exclusive C14N with InclusiveNamespaces PrefixList for a QName in a value"),
    ("xml-exc-c14n-inclusive-namespaces-rebound", lambda k: _qname_inclusive(k).replace(
        b'xmlns:t="urn:loai:A"', b'xmlns:t="urn:loai:B"'), FAILED, HASH, "the signed prefix rebound"),
    ("xml-exc-c14n-qname-prefix-rebound", _qname_prefix_rebound, INDET, SIG_CONSTRAINTS,
     "a QName prefix in a value that exclusive C14N leaves unsigned, rebound after signing"),
    # parsing
    ("xml-deep-nesting", _deep, FAILED, FORMAT, "3000 nested elements added (beyond the parser's depth limit)"),
    ("xml-xinclude-signed", lambda k: k.xmlsec(_tpl(body=X.BODY + '<xi:include xmlns:xi="http://www.w3.org/2001/'
                                                                  'XInclude" href="file:///etc/hostname" parse="text"/>')),
     PASSED, None, "a signed xi:include element (signed as written, never processed)"),
    ("xml-declared-latin1-bytes-utf8", lambda k: k.xmlsec().replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"', 1),
     FAILED, HASH, "UTF-8 bytes declared ISO-8859-1 (the reader sees other characters than were signed)"),
    ("xml-latin1-character-references", lambda k: k.xmlsec().decode().encode("iso-8859-1", "xmlcharrefreplace").replace(
        b'encoding="UTF-8"', b'encoding="ISO-8859-1"', 1), PASSED, None,
     "re-encoded in ISO-8859-1, characters outside it as character references (the same characters)"),
    ("xml-utf16le-bom-declared-utf8", lambda k: b"\xff\xfe" + k.xmlsec().decode().encode("utf-16-le"), PASSED, None,
     "UTF-16LE with a byte-order mark and a declaration that still says UTF-8"),
    # XAdES
    ("xades-fake-signing-time-in-object", _xades_fake_signing_time, INDET, SIG_CONSTRAINTS,
     "an unsigned SigningTime in an ds:Object before the signed properties"),
    ("xades-key-info-unsigned", _xades_key_info_unsigned, PASSED, None,
     "XAdES whose KeyInfo is not referenced (SignedProperties name the certificate)"),
    ("xades-cert-swapped-same-key", lambda k: _xades_cert_swapped(k, unsigned_binding=False), INDET, NO_CERT,
     "KeyInfo's certificate swapped for another certificate of the same key"),
    ("xades-cert-swapped-unsigned-binding", lambda k: _xades_cert_swapped(k, unsigned_binding=True), INDET, NO_CERT,
     "the same, with an unsigned SigningCertificateV2 naming the swapped certificate"),
]


class Kit(RsaKit):
    def __init__(self, make, chain, tmp):
        issued, key = make("person", key_spec="rsa2048")
        self.cert, self.key, self.key_handle, self.chain, self.tmp = (issued.certificate, key.private_key(), key,
                                                                      chain, tmp)


@pytest.fixture
def kit(make, chain, work):
    return Kit(make, chain, work)


_VIETNAMESE = re.compile("[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)


def _vietnamese_reasons(report: dict) -> None:
    """Whatever is not TOTAL_PASSED says why, in Vietnamese."""
    if report["indication"] != PASSED:
        assert report["messages"] and all(_VIETNAMESE.search(m) for m in report["messages"]), report["messages"]


@pytest.mark.parametrize("case", XML_VARIANTS, ids=[c[0] for c in XML_VARIANTS])
def test_xml_variant_corpus(kit, case, tmp_path, capsys):
    _vietnamese_reasons(assert_built_case(case, kit, "xml", tmp_path, capsys))


# ---- CMS -----------------------------------------------------------------------------------------------------

CONTENT = b"Quyet dinh so 15/QD-BHXH"
OTHER = b"Quyet dinh so 99/QD-BHXH"


def _openssl(k, *extra, content=CONTENT, detached=False) -> bytes:
    t = k.tmp
    (t / "doc.txt").write_bytes(content)
    (t / "k.pem").write_bytes(key_pem(k.key))
    (t / "c.pem").write_bytes(pem(k.cert))
    (t / "chain.pem").write_bytes(pem(*k.chain))
    args = ["openssl", "cms", "-sign", "-binary", "-in", t / "doc.txt", "-signer", t / "c.pem", "-inkey", t / "k.pem",
            "-outform", "DER", "-out", t / "o.p7s", "-certfile", t / "chain.pem", *extra]
    if not detached:
        args.append("-nodetach")
    result = run(*args)
    assert result.returncode == 0, result.stderr
    return (t / "o.p7s").read_bytes()


def _attrs(message: bytes, *, md="sha256", extra=(), message_digest=None):
    return [{"type": "content_type", "values": ["data"]},
            {"type": "signing_time", "values": [cms.Time({"utc_time": dt.datetime.now(dt.timezone.utc)})]},
            {"type": "message_digest", "values": [message_digest or hashlib.new(md, message).digest()]}, *extra]


def _info(k, attrs, *, sig_alg="sha256_rsa", md="sha256", sign=None) -> cms.SignerInfo:
    attrs = cms.CMSAttributes(attrs)
    ident = asn1_x509.Certificate.load(k.cert.public_bytes(serialization.Encoding.DER))
    signature = (sign or (lambda data: k.key.sign(data, padding.PKCS1v15(), hashes.SHA256())))(attrs.dump())
    return cms.SignerInfo({
        "version": "v1",
        "sid": cms.SignerIdentifier({"issuer_and_serial_number": cms.IssuerAndSerialNumber(
            {"issuer": ident.issuer, "serial_number": ident.serial_number})}),
        "digest_algorithm": algos.DigestAlgorithm({"algorithm": md}),
        "signature_algorithm": algos.SignedDigestAlgorithm(sig_alg if isinstance(sig_alg, dict)
                                                           else {"algorithm": sig_alg}),
        "signed_attrs": attrs, "signature": signature})


def _ess_v2(cert) -> dict:
    der = cert.public_bytes(serialization.Encoding.DER)
    return {"type": "signing_certificate_v2", "values": [{"certs": [{"cert_hash": hashlib.sha256(der).digest()}]}]}


def _pss(k, *, params):
    def sign(data):
        sha1 = params is not PSS_SHA256
        return k.key.sign(data, padding.PSS(mgf=padding.MGF1(hashes.SHA1() if sha1 else hashes.SHA256()),
                                            salt_length=20 if sha1 else 32), hashes.SHA1() if sha1 else hashes.SHA256())
    alg = {"algorithm": "rsassa_pss"}
    if params is not None:
        alg["parameters"] = algos.RSASSAPSSParams(params)
    return _info(k, _attrs(CONTENT), sig_alg=alg, sign=sign)


PSS_SHA1 = {"hash_algorithm": {"algorithm": "sha1"}, "salt_length": 20}
PSS_SHA256 = {"hash_algorithm": {"algorithm": "sha256"},
              "mask_gen_algorithm": {"algorithm": "mgf1", "parameters": {"algorithm": "sha256"}},
              "salt_length": 32, "trailer_field": "trailer_field_bc"}


def _two_message_digests(k):
    attrs = _attrs(CONTENT)
    attrs[2] = {"type": "message_digest", "values": [hashlib.sha256(OTHER).digest(), hashlib.sha256(CONTENT).digest()]}
    return C.signed_data([_info(k, attrs)], [k.cert, *k.chain], content=CONTENT)


def _no_certificates(k):
    der = C.attached(k.cert, k.key, k.chain)
    info = cms.ContentInfo.load(der)
    info["content"]["certificates"] = []
    return info.dump(force=True)


def _unknown_signature_algorithm(k):
    info = _info(k, _attrs(CONTENT))
    info["signature_algorithm"] = algos.SignedDigestAlgorithm({"algorithm": "1.2.3.4.5.6"})
    return C.signed_data([info], [k.cert, *k.chain], content=CONTENT)


def _timestamp_over_other(k):
    """A CAdES B-T (Kyso) whose signature time-stamp is replaced by a valid token over other data."""
    p7s = sign_cms(CONTENT, k.key_handle, k.cert, chain=k.chain[:-1], level="B-T")
    info = cms.ContentInfo.load(p7s)
    si = info["content"]["signer_infos"][0]
    attrs = list(si["unsigned_attrs"])
    token = token_for(b"something else entirely")
    attrs = [cms.CMSAttribute({"type": "signature_time_stamp_token", "values": [token]})
             if a["type"].native == "signature_time_stamp_token" else a for a in attrs]
    si["unsigned_attrs"] = cms.CMSAttributes(attrs)
    return info.dump(force=True)


CMS_VARIANTS = [
    ("cms-message-digest-of-other-data", lambda k: C.signed_data(
        [_info(k, _attrs(OTHER))], [k.cert, *k.chain], content=CONTENT), FAILED, HASH,
     "messageDigest of other data than the encapsulated content"),
    ("cms-two-message-digest-values", _two_message_digests, FAILED, FORMAT,
     "messageDigest with two values (other data first): RFC 5652 allows exactly one"),
    ("cms-ess-signing-certificate-v2-other", lambda k: C.signed_data(
        [_info(k, _attrs(CONTENT, extra=[_ess_v2(_same_key_other_cert(k))]))], [k.cert, *k.chain], content=CONTENT),
     INDET, NO_CERT, "signing-certificate-v2 names another certificate (of the same key)"),
    ("cms-ess-signing-certificate-v2", lambda k: C.signed_data(
        [_info(k, _attrs(CONTENT, extra=[_ess_v2(k.cert)]))], [k.cert, *k.chain], content=CONTENT), PASSED, None,
     "signing-certificate-v2 naming the signer"),
    ("cms-ber-indefinite-stream", lambda k: _openssl(k, "-stream"), PASSED, None,
     "openssl cms -sign -stream (BER, indefinite lengths)"),
    ("cms-certificates-empty", _no_certificates, INDET, NO_CERT, "an empty certificates set"),
    ("cms-rsa-pss-sha256", lambda k: C.signed_data([_pss(k, params=PSS_SHA256)], [k.cert, *k.chain], content=CONTENT),
     PASSED, None, "RSASSA-PSS with SHA-256, MGF1-SHA-256, salt 32"),
    ("cms-rsa-pss-no-params", lambda k: C.signed_data([_pss(k, params=None)], [k.cert, *k.chain],
                                                      content=CONTENT), FAILED, FORMAT,
     "RSASSA-PSS without parameters (RFC 4055, 3.1: they must be present with a signature value)"),
    ("cms-rsa-pss-sha1-params", lambda k: C.signed_data([_pss(k, params=PSS_SHA1)], [k.cert, *k.chain],
                                                        content=CONTENT), INDET, CRYPTO,
     "RSASSA-PSS over SHA-1 (MGF1-SHA-1 by default)"),
    ("cms-openssl-rsa-pss", lambda k: _openssl(k, "-keyopt", "rsa_padding_mode:pss"), PASSED, None,
     "openssl cms with RSASSA-PSS"),
    ("cms-unknown-signature-algorithm", _unknown_signature_algorithm, FAILED, SIG_CRYPTO,
     "a signature algorithm nobody knows (the signature value cannot be verified)"),
    ("cms-md5-digest-attr", lambda k: C.attached(k.cert, k.key, k.chain, md="md5", sig_md="sha256"), INDET, CRYPTO,
     "digestAlgorithm MD5 (the signature itself over SHA-256)"),
]


@pytest.mark.parametrize("case", CMS_VARIANTS, ids=[c[0] for c in CMS_VARIANTS])
def test_cms_variant_corpus(kit, case, tmp_path, capsys):
    _vietnamese_reasons(assert_built_case(case, kit, "p7s", tmp_path, capsys))


def _cli(data: bytes, content: bytes | None, tmp_path, capsys) -> tuple[int, dict]:
    (tmp_path / "s.p7s").write_bytes(data)
    args = [str(tmp_path / "s.p7s"), "--json"]
    if content is not None:
        (tmp_path / "content.bin").write_bytes(content)
        args += ["--content", str(tmp_path / "content.bin")]
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        call_command("verify", *args)
    out = capsys.readouterr()
    assert "Traceback" not in out.err, out.err
    return exc.value.code, json.loads(out.out)


def _encapsulated_x_signed_y(k):
    """The SignerInfo signs OTHER (detached style), the file encapsulates CONTENT."""
    return C.signed_data([_info(k, _attrs(OTHER))], [k.cert, *k.chain], content=CONTENT)


CONTENT_VARIANTS = [
    # id, builder -> p7s, --content, indication, sub-indication, reason
    ("cms-detached-right-content", lambda k: _openssl(k, detached=True), CONTENT, PASSED, None,
     "detached, the signed content given"),
    ("cms-detached-wrong-content", lambda k: _openssl(k, detached=True), OTHER, FAILED, HASH,
     "detached, other content given"),
    ("cms-detached-no-content", lambda k: _openssl(k, detached=True), None, INDET, "SIGNED_DATA_NOT_FOUND",
     "detached, no content given"),
    ("cms-attached-same-content-given", lambda k: _openssl(k), CONTENT, PASSED, None,
     "encapsulated content, the same content given again"),
    ("cms-attached-other-content-given", lambda k: _openssl(k), OTHER, FAILED, HASH,
     "encapsulated content, other content given: the file's content is the signed one, not the given"),
    ("cms-encapsulated-unsigned-content", _encapsulated_x_signed_y, OTHER, FAILED, HASH,
     "the signature covers the given content, the file encapsulates another (a reader would take it as signed)"),
    ("cades-timestamp-over-other-data", _timestamp_over_other, CONTENT, FAILED, HASH,
     "a CAdES B-T whose signature time-stamp's imprint covers other data"),
]


@pytest.mark.parametrize("case", CONTENT_VARIANTS, ids=[c[0] for c in CONTENT_VARIANTS])
def test_cms_with_content_variant_corpus(kit, case, tmp_path, capsys):
    name, build, content, indication, sub, reason = case
    assert_content_case(build(kit), content, name, indication, sub, reason, tmp_path, capsys)


def assert_content_case(data, content, name, indication, sub, reason, tmp_path, capsys) -> None:
    """A CMS verified with `--content` by the CLI and by `verify_bytes`: the expected indication, the exit code, the reasons in
    Vietnamese."""
    code, cli = _cli(data, content, tmp_path, capsys)
    got = (cli.get("indication"), cli.get("sub_indication"))
    assert got == (indication, sub), f"{name} ({reason}): {json.dumps(cli, ensure_ascii=False)[:3000]}"
    assert code == {PASSED: 0, FAILED: 1, INDET: 2}[indication]
    _vietnamese_reasons(cli)
    report = verify_bytes(data, content=content)
    assert (report.indication, report.sub_indication) == got


@pytest.mark.parametrize("build", [_dtd_after_64k, _utf7_dtd], ids=["xml-dtd-after-64k", "xml-utf7-dtd"])
def test_hidden_dtd_is_refused(kit, build, db, tmp_path, capsys):
    """A DTD past the bytes looked at first (after a 70 kB comment), or written in UTF-7 where a filter on
    '<!DOCTYPE' does not see it: refused like any DTD (exit 3, HTTP 400), its entity never read."""
    out = assert_refused(build(kit), tmp_path, capsys)
    assert json.loads(out)["error"]["code"] in ("signing.input.xml_dtd", "signing.input.xml_malformed"), out
