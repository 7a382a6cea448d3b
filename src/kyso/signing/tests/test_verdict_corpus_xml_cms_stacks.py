"""The verdict corpus, fourth part: signatures made by other stacks and in other shapes than the first three parts
hold, each built by an independent tool (xmlsec1, signxml, `openssl cms`, lxml + cryptography by hand):
encodings XML 1.0 allows (Appendix F) and declarations that lie; ECDSA P-256/384/521, RSA-PSS and SHA-384/512
XML signatures; enveloping and detached same-document signatures; KeyInfo shapes; the wrapping variants of
Somorovsky et al. (XSW); comments, CDATA and character references inside signature values; CMS signers from
`openssl cms` (ECDSA, Ed25519, no signed attributes, subjectKeyIdentifier), several SignerInfos, a time-stamp
token or an encrypted message given as a signature, S/MIME. Each case: the indication and sub-indication ETSI
EN 319 102-1 gives and a one-line reason, the CLI, the API and `POST /api/v1/verify` agreeing."""

from __future__ import annotations

import base64
import codecs
import copy
import hashlib
import json

import pytest
from asn1crypto import cms, tsp
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding
from lxml import etree

from kyso.core.errors import InvalidInput
from kyso.signing.timestamps import token_for
from kyso.signing.verify import verify_bytes

from . import corpus_cms as C
from . import corpus_xml as X
from .helpers import foreign_ca, key_pem, pem, person_cert, run
from .test_verdict_corpus import FAILED, FORMAT, INDET, PASSED, SIG_CONSTRAINTS, assert_built_case, assert_refused
from .test_verdict_corpus import _openssl_cms
from .test_verdict_corpus_xml_cms_variants import _vietnamese_reasons, _xmlsec_id, assert_content_case

HASH, SIG_CRYPTO, NO_CERT = "HASH_FAILURE", "SIG_CRYPTO_FAILURE", "NO_SIGNING_CERTIFICATE_FOUND"
NO_CHAIN = "NO_CERTIFICATE_CHAIN_FOUND"
DS = X.DS
HOSO = "http://kyso.vss.gov.vn/hoso/1"
MORE = "http://www.w3.org/2001/04/xmldsig-more#"
SHA384, SHA512 = MORE + "sha384", "http://www.w3.org/2001/04/xmlenc#sha512"
EXC = "http://www.w3.org/2001/10/xml-exc-c14n#"
VI_BODY = "<MaThuTuc>600</MaThuTuc><Ten>Công ty Ánh Dương</Ten><HoTen>Nguyễn Thị Hằng</HoTen><MucLuong>8500000</MucLuong>"


class Kit:
    def __init__(self, make, chain, tmp):
        issued, key = make("person", key_spec="rsa2048")
        self.cert, self.key, self.chain, self.tmp, self.make = issued.certificate, key.private_key(), chain, tmp, make

    def xmlsec(self, tpl=None, *, cert=None, key=None, id_attrs=()):
        if id_attrs:
            return _xmlsec_id(self, tpl, *(f"{name}={element}" for name, element in id_attrs))
        return X.xmlsec_sign(self.tmp, tpl or X.template(), cert or self.cert, key or self.key)

    def ec(self, spec):
        issued, key = self.make("person", key_spec=spec)
        return issued.certificate, key.private_key()


@pytest.fixture
def kit(make, chain, work):
    return Kit(make, chain, work)


# ---- XML builders ---------------------------------------------------------------------------------------------

def _p521(k):
    key = ec.generate_private_key(ec.SECP521R1())
    return person_cert(key.public_key(), name="Phạm Thị Đường Cong"), key


def _ecdsa(k, spec, method, digest):
    cert, key = _p521(k) if spec == "p521" else k.ec(spec)
    return k.xmlsec(X.template(method=MORE + method, digest=digest), cert=cert, key=key)


def _by_hand(k, tpl: bytes, *, method: str, sign) -> bytes:
    """Sign an enveloped template (its one reference URI="") with lxml + cryptography: the document without the
    signature digested with the DigestMethod named, SignedInfo canonicalised with exclusive C14N, the value made
    by `sign`, the signer's certificate put in X509Data."""
    root = etree.fromstring(tpl)
    sig = root.find(f"{{{DS}}}Signature")
    unsigned = copy.deepcopy(root)
    unsigned.remove(unsigned.find(f"{{{DS}}}Signature"))
    octets = etree.tostring(unsigned, method="c14n", exclusive=True, with_comments=False)
    si = sig.find(f"{{{DS}}}SignedInfo")
    si.find(f"{{{DS}}}SignatureMethod").set("Algorithm", method)
    digest = {X.SHA256: hashlib.sha256, SHA384: hashlib.sha384, SHA512: hashlib.sha512}[
        si.find(f"{{{DS}}}Reference/{{{DS}}}DigestMethod").get("Algorithm")]
    si.find(f"{{{DS}}}Reference/{{{DS}}}DigestValue").text = base64.b64encode(digest(octets).digest()).decode()
    data = etree.tostring(si, method="c14n", exclusive=True, with_comments=False)
    sig.find(f"{{{DS}}}SignatureValue").text = base64.b64encode(sign(data)).decode()
    etree.SubElement(sig.find(f"{{{DS}}}KeyInfo/{{{DS}}}X509Data"), f"{{{DS}}}X509Certificate").text = \
        base64.b64encode(k.cert.public_bytes(serialization.Encoding.DER)).decode()
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _rsa_pss(k, tpl=None):
    """RSASSA-PSS (RFC 9231 / xmldsig-more 2007: sha256-rsa-MGF1, salt = hash length), as Java and .NET write it."""
    return _by_hand(k, tpl or X.template(), method="http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1",
                    sign=lambda d: k.key.sign(d, padding.PSS(padding.MGF1(hashes.SHA256()), 32), hashes.SHA256()))


def _ecdsa_der(k):
    """ECDSA with the signature value DER-encoded (an old BouncyCastle habit) instead of r || s (XMLDSig 1.1)."""
    cert, key = k.ec("p256")
    k.cert = cert
    return _by_hand(k, X.template(method=MORE + "ecdsa-sha256"), method=MORE + "ecdsa-sha256",
                    sign=lambda d: key.sign(d, ec.ECDSA(hashes.SHA256())))


def _cp1258(k):
    """A template written in windows-1258 (Vietnamese: base letters and combining tones), signed by xmlsec1."""
    text = X.template(body=VI_BODY).decode().replace('encoding="UTF-8"', 'encoding="windows-1258"')
    text = text.replace("Nguyễn Thị Hằng", "Nguy\u00ea\u0303n Thi\u0323 H\u0103\u0300ng")
    return k.xmlsec(text.encode("cp1258"))


def _utf8_bom_declared_latin1(k):
    signed = k.xmlsec(X.template(body=VI_BODY))
    return codecs.BOM_UTF8 + signed.replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"', 1)


def _enveloping(k, *, extra=b""):
    return k.xmlsec(_enveloping_tpl().replace(b"</Signature>", extra + b"</Signature>"))


def _enveloping_tpl(*, obj_id="hoso", ref="#hoso") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<Signature xmlns="{DS}"><SignedInfo>'
           f'<CanonicalizationMethod Algorithm="{EXC}"/><SignatureMethod Algorithm="{X.RSA_SHA256}"/>'
           f'<Reference URI="{ref}"><Transforms><Transform Algorithm="{EXC}"/></Transforms>'
           f'<DigestMethod Algorithm="{X.SHA256}"/><DigestValue/></Reference></SignedInfo><SignatureValue/>'
           f'<KeyInfo><X509Data/></KeyInfo><Object Id="{obj_id}"><HoSo xmlns="{HOSO}">{X.BODY}</HoSo></Object>'
           '</Signature>\n').encode()


def _enveloping_inner(k):
    """Enveloping, the reference naming the dossier element inside the ds:Object (by its Id), not the Object."""
    tpl = _enveloping_tpl(ref="#h", obj_id="o").replace(f'<HoSo xmlns="{HOSO}">'.encode(),
                                                        f'<HoSo xmlns="{HOSO}" Id="h">'.encode())
    return k.xmlsec(tpl, id_attrs=[("Id", f"{HOSO}:HoSo")])


def _other_key_type_first(k, c14n: str):
    """X509Data holds an ECDSA certificate (a CA of the chain, say) before the RSA signer's; inclusive C14N takes
    the signature past the quick check to signxml."""
    ec_cert, _key = k.ec("p256")
    tpl = X.template(transforms=X.ENVELOPED + f'<Transform Algorithm="{c14n}"/>')
    return _key_info(k, b"<KeyInfo><X509Data><X509Certificate>%s</X509Certificate><X509Certificate>%s"
                        b"</X509Certificate></X509Data></KeyInfo>" % (_b64(ec_cert), _b64(k.cert)), tpl)


def _rsa_method_ec_certificate(k):
    ec_cert, _key = k.ec("p256")
    return _key_info(k, b"<KeyInfo><X509Data><X509Certificate>%s</X509Certificate></X509Data></KeyInfo>"
                     % _b64(ec_cert))


def _stylesheet(signed: bytes) -> bytes:
    head, rest = signed.split(b"?>", 1)
    return head + b'?>\n<?xml-stylesheet type="text/xsl" href="hien-thi.xsl"?>' + rest


def _detached_sibling(k):
    """<Goi> holds the dossier (by Id) and, beside it, a signature over the dossier only: the envelope is unsigned."""
    tpl = X.template().replace(f'<HoSo xmlns="{HOSO}">'.encode(), f'<Goi xmlns="{HOSO}"><HoSo Id="hoso">'.encode()) \
        .replace(b"<Signature xmlns", b"</HoSo><Signature xmlns").replace(b"</Signature></HoSo>", b"</Signature></Goi>") \
        .replace(b'<Reference URI=""><Transforms>' + X.ENVELOPED.encode(), b'<Reference URI="#hoso"><Transforms>')
    return k.xmlsec(tpl, id_attrs=[("Id", f"{HOSO}:HoSo")])


def _with_element_reference(k):
    """The whole document (URI="") and, besides, one of its elements by Id: nothing outside what URI="" signs."""
    ref = (f'<Reference URI="#luong"><Transforms><Transform Algorithm="{EXC}"/></Transforms>'
           f'<DigestMethod Algorithm="{X.SHA256}"/><DigestValue/></Reference>')
    tpl = X.template(extra_refs=ref).replace(b"<MucLuong>", b'<MucLuong Id="luong">')
    return k.xmlsec(tpl, id_attrs=[("Id", f"{HOSO}:MucLuong")])


def _root_id(k, attr: bytes, xmlsec_attr):
    """The root referenced by an Id attribute of another name (xml:id, wsu:Id) — WS-Security and xml:id signers."""
    tpl = X.template().replace(f'<HoSo xmlns="{HOSO}">'.encode(), f'<HoSo xmlns="{HOSO}" {attr.decode()}="hoso-1"'
                               .encode() + (b' xmlns:wsu="' + WSU.encode() + b'"' if b"wsu" in attr else b"") + b">") \
        .replace(b'<Reference URI="">', b'<Reference URI="#hoso-1">')
    return k.xmlsec(tpl, id_attrs=[xmlsec_attr] if xmlsec_attr else ())


WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"


def _key_info(k, key_info: bytes, tpl: bytes | None = None):
    signed = k.xmlsec((tpl or X.template()).replace(b"<KeyInfo><X509Data/></KeyInfo>", b""))
    return signed.replace(b"</Signature>", key_info + b"</Signature>", 1)


def _b64(cert) -> bytes:
    return base64.b64encode(cert.public_bytes(serialization.Encoding.DER))


def _chain_reversed(k):
    certs = b"".join(b"<X509Certificate>%s</X509Certificate>" % _b64(c) for c in [*reversed(k.chain), k.cert])
    return _key_info(k, b"<KeyInfo><X509Data>" + certs + b"</X509Data></KeyInfo>")


def _decoy_first(k):
    _ca, decoy, _key = foreign_ca()
    return _key_info(k, b"<KeyInfo><X509Data><X509Certificate>%s</X509Certificate></X509Data><X509Data>"
                        b"<X509Certificate>%s</X509Certificate></X509Data></KeyInfo>" % (_b64(decoy), _b64(k.cert)))


def _issuer_serial_elsewhere(k):
    return _key_info(k, b"<KeyInfo><X509Data><X509IssuerSerial><X509IssuerName>CN=Khac</X509IssuerName>"
                        b"<X509SerialNumber>12345</X509SerialNumber></X509IssuerSerial><X509Certificate>%s"
                        b"</X509Certificate></X509Data></KeyInfo>" % _b64(k.cert))


def _key_value_only(k):
    tpl = X.template(key_info=False).replace(b"</Signature>", b"<KeyInfo><KeyValue/></KeyInfo></Signature>")
    return k.xmlsec(tpl)


def _retrieval_loop(k, *, with_cert: bool):
    cert = b"<X509Data><X509Certificate>%s</X509Certificate></X509Data>" % _b64(k.cert) if with_cert else b""
    return _key_info(k, b'<KeyInfo Id="ki"><RetrievalMethod URI="#ki" Type="http://www.w3.org/2000/09/xmldsig#'
                        b'X509Data"/>' + cert + b"</KeyInfo>")


def _inside_value(signed: bytes, tag: bytes, insert) -> bytes:
    start = signed.index(b"<" + tag)
    start = signed.index(b">", start) + 1
    end = signed.index(b"</" + tag, start)
    return signed[:start] + insert(signed[start:end]) + signed[end:]


def _split(value: bytes, middle: bytes) -> bytes:
    half = len(value) // 2
    return value[:half] + middle + value[half:]


def _xsw_root_id(k, where: str):
    """Somorovsky's XSW on a signature by root Id: a forged root (other Id) takes the place of the signed one,
    which moves under the signature's ds:Object (XSW1/XSW8) or beside it (XSW2)."""
    signed = _root_id(k, b"Id", ("Id", f"{HOSO}:HoSo"))
    root = etree.fromstring(signed)
    sig = root.find(f"{{{DS}}}Signature")
    root.remove(sig)
    original = etree.fromstring(etree.tostring(root))
    forged = etree.fromstring(etree.tostring(root).replace(b"8500000", b"1").replace(b'Id="hoso-1"', b'Id="gia"'))
    if where == "object":
        etree.SubElement(sig, f"{{{DS}}}Object").append(original)
        forged.append(sig)
    else:
        forged.append(original)
        forged.append(sig)
    return etree.tostring(forged, xml_declaration=True, encoding="UTF-8")


def _self_reference(k):
    """The signature names itself (Reference URI="#sig" on ds:Signature Id="sig"), enveloped: it signs nothing."""
    tpl = X.template().replace(b"<Signature xmlns=", b'<Signature Id="sig" xmlns=').replace(
        b'<Reference URI="">', b'<Reference URI="#sig">')
    return k.xmlsec(tpl, id_attrs=[("Id", f"{DS}:Signature")])


def _ds_redefined(k):
    """A Reference element whose prefix is rebound to another namespace inside SignedInfo (not XMLDSig's)."""
    signed = etree.fromstring(k.xmlsec())
    ref = signed.find(f".//{{{DS}}}Reference")
    text = etree.tostring(signed).replace(b"<Reference ", b'<ds:Reference xmlns:ds="urn:khac" ', 1)
    text = text.replace(b"</Reference>", b"</ds:Reference>", 1)
    assert ref is not None
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + text


def _ds_prefix_other_in_document(k):
    """The document binds ds to its own namespace; the signature binds it to XMLDSig (signxml-style prefix)."""
    tpl = X.template().replace(f'<HoSo xmlns="{HOSO}">'.encode(),
                               f'<HoSo xmlns="{HOSO}" xmlns:ds="urn:khac"><ds:Ghi>x</ds:Ghi>'.encode())
    tpl = tpl.replace(f'<Signature xmlns="{DS}">'.encode(), f'<ds:Signature xmlns:ds="{DS}">'.encode())
    for name in (b"SignedInfo", b"CanonicalizationMethod", b"SignatureMethod", b"Reference", b"Transforms",
                 b"Transform", b"DigestMethod", b"DigestValue", b"SignatureValue", b"KeyInfo", b"X509Data"):
        tpl = tpl.replace(b"<" + name + b" ", b"<ds:" + name + b" ").replace(b"<" + name + b">", b"<ds:" + name + b">")
        tpl = tpl.replace(b"<" + name + b"/>", b"<ds:" + name + b"/>").replace(b"</" + name + b">", b"</ds:" + name + b">")
    tpl = tpl.replace(b"</Signature>", b"</ds:Signature>")
    return k.xmlsec(tpl)


def _signxml_enveloping(k):
    from signxml import DigestAlgorithm, SignatureConstructionMethod, SignatureMethod, XMLSigner

    data = etree.fromstring(f'<HoSo xmlns="{HOSO}">{X.BODY}</HoSo>'.encode())
    signer = XMLSigner(method=SignatureConstructionMethod.enveloping, signature_algorithm=SignatureMethod.RSA_SHA256,
                       digest_algorithm=DigestAlgorithm.SHA256, c14n_algorithm=EXC)
    signed = signer.sign(data, key=k.key, cert=[pem(k.cert).decode()], always_add_key_value=False)
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")


XML_STACKS = [
    # encodings (XML 1.0, 4.3.3 and Appendix F)
    ("xml-windows-1258-vietnamese", _cp1258, PASSED, None,
     "declared windows-1258, Vietnamese with combining tone marks, signed by xmlsec1 (libxml2 via iconv)"),
    ("xml-utf32le-no-bom", lambda k: X.reencode(k.xmlsec(), "utf-32-le", declared="UTF-32"), PASSED, None,
     "UTF-32LE without a byte-order mark, recognised from '<' followed by three zero bytes"),
    ("xml-utf32be-bom", lambda k: codecs.BOM_UTF32_BE + X.reencode(k.xmlsec(X.template(body=VI_BODY)), "utf-32-be",
                                                                    declared="UTF-32"), PASSED, None,
     "UTF-32BE with a byte-order mark and Vietnamese text"),
    ("xml-utf16be-bom-vietnamese", lambda k: X.reencode(k.xmlsec(X.template(body=VI_BODY)), "utf-16-be"), PASSED, None,
     "UTF-16BE with a mark and Vietnamese text"),
    ("xml-utf8-bom-declared-latin1", _utf8_bom_declared_latin1, FAILED, FORMAT,
     "UTF-8 byte-order mark, declaration says ISO-8859-1: a fatal error (XML 1.0, 4.3.3); libxml2 reads Latin-1, "
     "others UTF-8 — a lie about the encoding, not a change of the content"),
    ("xml-declared-utf8-latin1-bytes", lambda k: X.reencode(k.xmlsec(X.template(body=X.LATIN1_BODY)), "iso-8859-1")
     .replace(b'encoding="ISO-8859-1"', b'encoding="UTF-8"', 1), FAILED, FORMAT,
     "ISO-8859-1 bytes declared UTF-8: not well-formed (invalid UTF-8), still a claim of a signature"),
    ("xml-declared-unknown-encoding", lambda k: k.xmlsec().replace(b'encoding="UTF-8"', b'encoding="x-kyso-khong-co"', 1),
     FAILED, FORMAT, "an encoding no processor knows, the file claims a signature"),
    ("xml-utf16le-bytes-declared-latin1", lambda k: b"\xff\xfe" + k.xmlsec(X.template(body=VI_BODY)).decode().replace(
        'encoding="UTF-8"', 'encoding="ISO-8859-1"', 1).encode("utf-16-le"), PASSED, None,
     "UTF-16LE with its mark, declaration says ISO-8859-1: the mark decides"),
    # other signers' algorithms
    ("xml-xmlsec1-ecdsa-p256", lambda k: _ecdsa(k, "p256", "ecdsa-sha256", X.SHA256), PASSED, None,
     "xmlsec1, ECDSA P-256 with SHA-256"),
    ("xml-xmlsec1-ecdsa-p384-sha384", lambda k: _ecdsa(k, "p384", "ecdsa-sha384", SHA384), PASSED, None,
     "xmlsec1, ECDSA P-384 with SHA-384 for the signature and the reference"),
    ("xml-xmlsec1-ecdsa-p521-sha512", lambda k: _ecdsa(k, "p521", "ecdsa-sha512", SHA512), PASSED, None,
     "xmlsec1, ECDSA P-521 (132-byte r || s) with SHA-512"),
    ("xml-xmlsec1-rsa-sha512", lambda k: k.xmlsec(X.template(method=MORE + "rsa-sha512", digest=SHA512)), PASSED, None,
     "xmlsec1, RSA-SHA512 and a SHA-512 reference"),
    ("xml-rsa-pss-sha256", _rsa_pss, PASSED, None, "RSASSA-PSS sha256-rsa-MGF1 (RFC 9231), as Java and .NET sign"),
    ("xml-rsa-pss-tampered", lambda k: _rsa_pss(k).replace(b"8500000", b"9500000"), FAILED, HASH,
     "the same with a signed value changed"),
    ("xml-ecdsa-der-signature-value", _ecdsa_der, FAILED, SIG_CRYPTO,
     "ECDSA signature value DER-encoded, not r || s (XMLDSig 1.1, 6.4.3): it does not verify as written"),
    # shapes
    ("xml-enveloping-xmlsec1", _enveloping, PASSED, None,
     "an enveloping signature (the dossier in ds:Object, referenced by its Id), by xmlsec1"),
    ("xml-enveloping-signxml", _signxml_enveloping, PASSED, None, "an enveloping signature by signxml"),
    ("xml-enveloping-inner-element", _enveloping_inner, PASSED, None,
     "enveloping, the reference naming the one element the ds:Object holds (by its Id)"),
    ("xml-enveloping-stylesheet-added", lambda k: _stylesheet(_enveloping(k)), INDET, SIG_CONSTRAINTS,
     "enveloping, an xml-stylesheet instruction added before the root: the Object reference does not sign it"),
    ("xml-root-id-stylesheet-added", lambda k: _stylesheet(_root_id(k, b"Id", ("Id", f"{HOSO}:HoSo"))), INDET,
     SIG_CONSTRAINTS, "the root signed by its Id, an xml-stylesheet instruction added before it (unsigned)"),
    ("xml-enveloping-tampered", lambda k: _enveloping(k).replace(b"8500000", b"9500000"), FAILED, HASH,
     "enveloping, the signed dossier in the Object changed"),
    ("xml-enveloping-unsigned-object", lambda k: _enveloping(k, extra=f'<Object><HoSo xmlns="{HOSO}"><MucLuong>1'
                                                                        f'</MucLuong></HoSo></Object>'.encode()),
     INDET, SIG_CONSTRAINTS, "enveloping, and a second, unsigned ds:Object holding a forged dossier"),
    ("xml-detached-sibling", _detached_sibling, INDET, SIG_CONSTRAINTS,
     "a detached same-document signature over one element: the envelope around it is not signed"),
    ("xml-whole-plus-element-reference", _with_element_reference, PASSED, None,
     "URI=\"\" and a second reference to an element of the document by Id (nothing unsigned)"),
    ("xml-root-xml-id", lambda k: _root_id(k, b"xml:id", None), PASSED, None, "the root referenced by its xml:id"),
    ("xml-root-wsu-id", lambda k: _root_id(k, b"wsu:Id", ("Id", f"{HOSO}:HoSo")), PASSED, None,
     "the root referenced by its wsu:Id (WS-Security)"),
    ("xml-signature-references-itself", _self_reference, INDET, SIG_CONSTRAINTS,
     "the only reference names the Signature element itself: the document is not signed"),
    ("xml-ds-prefix-bound-twice", _ds_prefix_other_in_document, PASSED, None,
     "the document binds ds to its own namespace, the signature binds it to XMLDSig"),
    ("xml-ds-prefix-rebound-in-signed-info", _ds_redefined, FAILED, FORMAT,
     "a Reference whose ds prefix is rebound to another namespace: no XMLDSig Reference"),
    # KeyInfo
    ("xml-key-value-only", _key_value_only, INDET, NO_CERT, "KeyInfo holds only the RSA KeyValue, no certificate"),
    ("xml-ec-certificate-before-rsa-signer", lambda k: _other_key_type_first(k, "http://www.w3.org/TR/2001/"
                                                                                  "REC-xml-c14n-20010315"),
     PASSED, None, "an ECDSA certificate listed before the RSA signer's, inclusive C14N (signxml's path)"),
    ("xml-rsa-method-ec-certificate", _rsa_method_ec_certificate, FAILED, SIG_CRYPTO,
     "signed RSA-SHA256, KeyInfo swapped for an ECDSA certificate: the value does not verify with that key"),
    ("xml-chain-reversed", _chain_reversed, PASSED, None, "X509Data holds the root and CA before the signer"),
    ("xml-decoy-certificate-first", _decoy_first, PASSED, None,
     "an unrelated certificate first in KeyInfo, the signer's second: the one whose key verifies is judged"),
    ("xml-issuer-serial-elsewhere", _issuer_serial_elsewhere, PASSED, None,
     "X509IssuerSerial names another certificate (an unsigned hint), the signer's certificate is there"),
    ("xml-issuer-serial-only", lambda k: _key_info(k, b"<KeyInfo><X509Data><X509IssuerSerial><X509IssuerName>"
                                                      b"CN=Khac</X509IssuerName><X509SerialNumber>1</X509SerialNumber>"
                                                      b"</X509IssuerSerial></X509Data></KeyInfo>"), INDET, NO_CERT,
     "X509Data names the certificate by issuer and serial only (never looked up)"),
    ("xml-retrieval-method-loop", lambda k: _retrieval_loop(k, with_cert=False), INDET, NO_CERT,
     "KeyInfo's RetrievalMethod points at its own KeyInfo (a loop, never followed)"),
    ("xml-retrieval-method-loop-with-certificate", lambda k: _retrieval_loop(k, with_cert=True), PASSED, None,
     "the same loop beside the signer's certificate"),
    # values written otherwise
    ("xml-comment-in-digest-value", lambda k: _inside_value(k.xmlsec(), b"DigestValue", lambda v: _split(v, b"<!--x-->")),
     INDET, SIG_CONSTRAINTS, "a comment inside DigestValue (unsigned: SignedInfo is canonicalised without comments; "
     "a verifier reading one text node reads another value)"),
    ("xml-comment-in-signature-value", lambda k: _inside_value(k.xmlsec(), b"SignatureValue",
                                                               lambda v: _split(v, b"<!--x-->")), INDET,
     SIG_CONSTRAINTS, "a comment inside SignatureValue"),
    ("xml-comment-in-certificate", lambda k: _inside_value(k.xmlsec(), b"X509Certificate",
                                                           lambda v: _split(v, b"<!--x-->")), INDET,
     SIG_CONSTRAINTS, "a comment inside X509Certificate: the certificate is there (not NO_SIGNING_CERTIFICATE_FOUND), "
     "the comment splits a value"),
    ("xml-cdata-digest-value", lambda k: _inside_value(k.xmlsec(), b"DigestValue", lambda v: b"<![CDATA[" + v + b"]]>"),
     PASSED, None, "DigestValue written as a CDATA section (the same characters)"),
    ("xml-char-refs-signature-value", lambda k: _inside_value(k.xmlsec(), b"SignatureValue", lambda v: b"".join(
        b"&#%d;" % c if c in b"AEIOU" else bytes([c]) for c in v)), PASSED, None,
     "SignatureValue with some letters as character references"),
    ("xml-digest-value-split-by-pi", lambda k: _inside_value(k.xmlsec(), b"DigestValue", lambda v: _split(v, b"<?x?>")),
     FAILED, FORMAT, "a processing instruction inside DigestValue: the value is no base64 text (and SignedInfo's "
     "canonical form changed)"),
    # wrapping (Somorovsky et al.)
    ("xml-xsw-original-in-object", lambda k: _xsw_root_id(k, "object"), INDET, SIG_CONSTRAINTS,
     "XSW1/8: the root signed by Id moved into ds:Object, a forged root with another Id in its place"),
    ("xml-xsw-original-as-child", lambda k: _xsw_root_id(k, "child"), INDET, SIG_CONSTRAINTS,
     "XSW2: the root signed by Id moved under a forged root"),
]


@pytest.mark.parametrize("case", XML_STACKS, ids=[c[0] for c in XML_STACKS])
def test_xml_stacks_corpus(kit, case, tmp_path, capsys):
    _vietnamese_reasons(assert_built_case(case, kit, "xml", tmp_path, capsys))


# ---- CMS ------------------------------------------------------------------------------------------------------

CONTENT = b"Quyet dinh so 15/QD-BHXH"


def _openssl(k, *extra, cert=None, key=None, outform="DER", detached=False) -> bytes:
    """`openssl cms -sign` (DER, or PEM as `-outform PEM` writes it)."""
    der = _openssl_cms(k, *extra, cert=cert, key=key, detached=detached, content=CONTENT)
    if outform == "PEM":
        return b"-----BEGIN CMS-----\n" + base64.encodebytes(der) + b"-----END CMS-----\n"
    return der


def _ed25519(k):
    """Ed25519 (RFC 8419: digestAlgorithm SHA-512, the signature over the signed attributes), written by hand
    (OpenSSL 3.0's `cms -sign` cannot make it)."""
    key = ed25519.Ed25519PrivateKey.generate()
    cert = person_cert(key.public_key(), name="Võ Thị Ed")
    info = C.signer_info(k.cert, k.key, CONTENT, md="sha512")
    ident = C._asn1(cert)
    info["sid"] = cms.SignerIdentifier({"issuer_and_serial_number": cms.IssuerAndSerialNumber(
        {"issuer": ident.issuer, "serial_number": ident.serial_number})})
    info["signature_algorithm"] = {"algorithm": "ed25519"}
    info["signature"] = key.sign(info["signed_attrs"].untag().dump())
    return C.signed_data([info], [cert, *k.chain], content=CONTENT)


def _resign(k, cert, key, first: bytes) -> bytes:
    """A second signer added by `openssl cms -resign`."""
    t = k.tmp
    (t / "first.p7s").write_bytes(first)
    (t / "k2.pem").write_bytes(key_pem(key))
    (t / "c2.pem").write_bytes(pem(cert))
    result = run("openssl", "cms", "-resign", "-binary", "-inform", "DER", "-in", t / "first.p7s", "-signer",
                 t / "c2.pem", "-inkey", t / "k2.pem", "-outform", "DER", "-out", t / "o2.p7s", "-nodetach")
    assert result.returncode == 0, result.stderr
    return (t / "o2.p7s").read_bytes()


def _second_signer_untrusted(k):
    _ca, cert, key = foreign_ca()
    return _resign(k, cert, key, _openssl(k))


def _second_signer_ec(k):
    cert, key = k.ec("p256")
    return _resign(k, cert, key, _openssl(k))


def _ess_v1_other(k):
    other = person_cert(k.key.public_key(), name="Kẻ Mạo Danh")
    der = other.public_bytes(serialization.Encoding.DER)
    ess = {"type": "signing_certificate", "values": [{"certs": [{"cert_hash": hashlib.sha1(der).digest()}]}]}
    attrs = cms.CMSAttributes([
        {"type": "content_type", "values": ["data"]},
        {"type": "message_digest", "values": [hashlib.sha256(CONTENT).digest()]}, ess])
    info = C.signer_info(k.cert, k.key, CONTENT)
    info["signed_attrs"] = attrs
    info["signature"] = k.key.sign(attrs.dump(), padding.PKCS1v15(), hashes.SHA256())
    return C.signed_data([info], [k.cert, *k.chain], content=CONTENT)


def _countersigned(k, *, broken: bool, flip: bool = False):
    """An unsigned countersignature attribute (RFC 5652, 11.4) by a second signer over the first one's value."""
    signed = cms.ContentInfo.load(_openssl(k))
    si = signed["content"]["signer_infos"][0]
    cert, key = k.ec("p256")
    value = si["signature"].native
    counter = C.signer_info(cert, key, value if not broken else b"khac")
    attrs = cms.CMSAttributes([a for a in counter["signed_attrs"] if a["type"].native != "content_type"])
    counter["signed_attrs"] = attrs
    counter["signature"] = key.sign(attrs.dump(), ec.ECDSA(hashes.SHA256()))
    if flip:
        counter["signature"] = key.sign(b"khac", ec.ECDSA(hashes.SHA256()))
    si["unsigned_attrs"] = cms.CMSAttributes([{"type": "counter_signature", "values": [counter]}])
    certs = list(signed["content"]["certificates"]) + [cms.CertificateChoices.load(
        cms.CertificateChoices({"certificate": C._asn1(cert)}).dump())]
    signed["content"]["certificates"] = certs
    return signed.dump(force=True)


def _smime(k, *extra, detached=True) -> bytes:
    """An S/MIME message by `openssl cms -sign` (its default output): multipart/signed, or application/pkcs7-mime
    with -nodetach; the content canonicalised (CR LF) as RFC 8551 says."""
    t = k.tmp
    (t / "doc.txt").write_bytes(b"Quyet dinh so 15/QD-BHXH\nMuc luong: 8500000\n")
    (t / "k.pem").write_bytes(key_pem(k.key))
    (t / "c.pem").write_bytes(pem(k.cert))
    (t / "chain.pem").write_bytes(pem(*k.chain))
    result = run("openssl", "cms", "-sign", "-in", t / "doc.txt", "-signer", t / "c.pem", "-inkey", t / "k.pem",
                 "-certfile", t / "chain.pem", "-out", t / "m.eml", *extra, *(() if detached else ("-nodetach",)))
    assert result.returncode == 0, result.stderr
    return (t / "m.eml").read_bytes()


def _tsr(token: cms.ContentInfo) -> bytes:
    """An RFC 3161 time-stamp response (.tsr): status granted and the token."""
    return tsp.TimeStampResp({"status": {"status": "granted"}, "time_stamp_token": token}).dump()


CMS_STACKS = [
    ("smime-multipart-signed", _smime, PASSED, None, "S/MIME multipart/signed by openssl cms (its default output)"),
    ("smime-multipart-signed-text", lambda k: _smime(k, "-text"), PASSED, None,
     "the same with -text: the signed part carries its own MIME header"),
    ("smime-opaque", lambda k: _smime(k, detached=False), PASSED, None,
     "S/MIME application/pkcs7-mime; smime-type=signed-data (-nodetach)"),
    ("smime-multipart-signed-tampered", lambda k: _smime(k).replace(b"8500000", b"9500000"), FAILED, HASH,
     "multipart/signed, a word of the signed part changed"),
    ("smime-signature-part-cut", lambda k: _smime(k)[:-400], FAILED, FORMAT,
     "multipart/signed cut short inside its signature part: it claims a signature"),
    ("cms-time-stamp-token-as-signature", lambda k: token_for(CONTENT).dump(), INDET, "SIGNED_DATA_NOT_FOUND",
     "an RFC 3161 time-stamp token given as a signature: the authority signs an imprint, no document is signed"),
    ("cms-time-stamp-response-as-signature", lambda k: _tsr(token_for(CONTENT)), INDET, "SIGNED_DATA_NOT_FOUND",
     "the time-stamp response (.tsr) that carries such a token"),
    ("cms-openssl-ecdsa-p256", lambda k: _openssl(k, **dict(zip(("cert", "key"), k.ec("p256")))), PASSED, None, "openssl cms, ECDSA P-256"),
    ("cms-openssl-ecdsa-p384-sha384", lambda k: _openssl(k, "-md", "sha384", **dict(zip(("cert", "key"), k.ec("p384")))),
     PASSED, None, "openssl cms, ECDSA P-384 with SHA-384"),
    ("cms-openssl-ed25519", _ed25519, PASSED, None, "openssl cms, Ed25519 (RFC 8419)"),
    ("cms-openssl-no-signed-attributes", lambda k: _openssl(k, "-noattr"), PASSED, None,
     "openssl cms -noattr: the signature over the content itself"),
    ("cms-openssl-subject-key-identifier", lambda k: _openssl(k, "-keyid"), PASSED, None,
     "openssl cms -keyid: the signer named by subjectKeyIdentifier"),
    ("cms-openssl-pem-cms-armour", lambda k: _openssl(k, outform="PEM"), PASSED, None,
     "openssl cms -outform PEM ('-----BEGIN CMS-----')"),
    ("cms-openssl-two-signers-ecdsa", _second_signer_ec, PASSED, None, "openssl cms -resign: RSA and ECDSA signers"),
    ("cms-openssl-second-signer-untrusted", _second_signer_untrusted, INDET, NO_CHAIN,
     "openssl cms -resign with a signer under a CA nobody trusts: the file is as good as its worst signer"),
    ("cms-ess-signing-certificate-v1-other", _ess_v1_other, INDET, NO_CERT,
     "signing-certificate (v1, SHA-1) names another certificate of the same key"),
    ("cms-countersignature", lambda k: _countersigned(k, broken=False), PASSED, None,
     "an RFC 5652 countersignature over the signature value"),
    ("cms-countersignature-broken", lambda k: _countersigned(k, broken=True), FAILED, HASH,
     "a countersignature whose messageDigest is not that of the signature it countersigns (judged, not skipped)"),
    ("cms-countersignature-value-changed", lambda k: _countersigned(k, broken=False, flip=True), FAILED, SIG_CRYPTO,
     "a countersignature whose signature value does not verify"),
]


@pytest.mark.parametrize("case", CMS_STACKS, ids=[c[0] for c in CMS_STACKS])
def test_cms_stacks_corpus(kit, case, tmp_path, capsys):
    _vietnamese_reasons(assert_built_case(case, kit, "p7s", tmp_path, capsys))


def test_the_report_says_which_signer_fails(kit, tmp_path, capsys):
    """Two signers, the second under an untrusted CA: each signature has its own verdict, the first passes."""
    report = verify_bytes(_second_signer_untrusted(kit))
    verdicts = {("CA lạ" in s.issuer): (s.indication, s.sub_indication) for s in report.signatures}
    assert verdicts == {False: (PASSED, None), True: (INDET, NO_CHAIN)}, report.to_dict()


CONTENT_STACKS = [
    ("cms-time-stamp-token-its-data", lambda k: token_for(CONTENT).dump(), CONTENT, PASSED, None,
     "a time-stamp token with the data it was made for: the authority's signature over the imprint holds"),
    ("cms-time-stamp-response-other-data", lambda k: _tsr(token_for(CONTENT)), b"khac", FAILED, HASH,
     "a time-stamp response with other data than its imprint's"),
    ("cms-openssl-detached-stream", lambda k: _openssl(k, "-stream", detached=True), CONTENT, PASSED, None,
     "openssl cms -stream, detached (BER), the content given"),
    ("cms-openssl-detached-pem", lambda k: _openssl(k, outform="PEM", detached=True), CONTENT, PASSED, None,
     "detached, PEM, the content given"),
    ("cms-openssl-detached-pem-other", lambda k: _openssl(k, outform="PEM", detached=True), b"khac", FAILED, HASH,
     "detached, PEM, other content given"),
]


@pytest.mark.parametrize("case", CONTENT_STACKS, ids=[c[0] for c in CONTENT_STACKS])
def test_cms_stacks_with_content_corpus(kit, case, tmp_path, capsys):
    name, build, content, indication, sub, reason = case
    assert_content_case(build(kit), content, name, indication, sub, reason, tmp_path, capsys)


# ---- files that claim no signature, or are refused before parsing: exit 3, HTTP 400, no traceback ---------------

def _encrypted(k, *outform) -> bytes:
    """`openssl cms -encrypt`: an enveloped (encrypted) message, no signature."""
    t = k.tmp
    (t / "doc.txt").write_bytes(CONTENT)
    (t / "c.pem").write_bytes(pem(k.cert))
    result = run("openssl", "cms", "-encrypt", "-in", t / "doc.txt", *outform, "-out", t / "e.p7m", t / "c.pem")
    assert result.returncode == 0, result.stderr
    return (t / "e.p7m").read_bytes()


REFUSED = [
    ("smime-encrypted", lambda k: _encrypted(k)),
    ("cms-enveloped-data", lambda k: _encrypted(k, "-outform", "DER")),
    ("xml-external-dtd", lambda k: b'<?xml version="1.0"?><!DOCTYPE HoSo SYSTEM "file:///etc/passwd"><HoSo/>'),
    ("xml-parameter-entity", lambda k: b'<?xml version="1.0"?><!DOCTYPE HoSo [<!ENTITY % p SYSTEM '
                                       b'"http://127.0.0.1:9/x.dtd"> %p;]><HoSo/>'),
    ("xml-dtd-utf32", lambda k: ('<?xml version="1.0" encoding="UTF-32"?><!DOCTYPE h [<!ENTITY x SYSTEM '
                                 '"file:///etc/passwd">]><h>&x;</h>').encode("utf-32")),
    ("xml-ebcdic-signature", lambda k: f'<?xml version="1.0" encoding="cp037"?><HoSo><Signature xmlns="{DS}"/>'
                                       f'</HoSo>'.encode("cp037")),
]


@pytest.mark.parametrize("case", REFUSED, ids=[c[0] for c in REFUSED])
def test_refused_stacks(kit, case, db, tmp_path, capsys):
    """An encrypted message is no signature; a DTD is refused before parsing (no file read, nothing fetched);
    EBCDIC is no encoding Kyso reads (XML 1.0, Appendix F): a clean exit 3 / HTTP 400 with a message."""
    data = case[1](kit)
    assert_refused(data, tmp_path, capsys)
    if case[0] == "cms-enveloped-data":
        with pytest.raises(InvalidInput) as exc:
            verify_bytes(data)
        assert exc.value.code == "signing.input.cms_not_signed", exc.value.code


def test_a_countersignature_is_a_signature_of_the_file(kit):
    """The countersignature is listed and judged after the signature it countersigns, its signer named."""
    report = verify_bytes(_countersigned(kit, broken=False))
    assert [(s.indication, s.sub_indication) for s in report.signatures] == [(PASSED, None), (PASSED, None)]
    assert report.signatures[1].certificate != report.signatures[0].certificate
    broken = verify_bytes(_countersigned(kit, broken=True))
    assert [(s.indication, s.sub_indication) for s in broken.signatures] == [(PASSED, None), (FAILED, HASH)]
