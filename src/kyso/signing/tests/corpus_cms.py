"""CMS SignedData built by hand with asn1crypto and signed with `cryptography` (an independent tool, none of
Kyso's or pyHanko's signing code): valid ones, and the malformations RFC 5652 and the algorithm policy judge —
signer certificate absent, messageDigest missing, contentType attribute not the eContentType, a signature
algorithm whose hash is not the digest algorithm, weak digests, a second SignerInfo that does not verify."""

from __future__ import annotations

import datetime as dt
import hashlib

from asn1crypto import algos, cms, core, x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding

_HASHES = {"sha1": hashes.SHA1, "sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512,
           "md5": hashes.MD5}


def _asn1(cert) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _sign(key, data: bytes, md: str) -> bytes:
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(data, ec.ECDSA(_HASHES[md]()))
    return key.sign(data, padding.PKCS1v15(), _HASHES[md]())


def signer_info(cert, key, message: bytes, *, md="sha256", sig_md=None, drop=(), content_type="data",
                signed_attrs=True, sig_alg=None, now=None):
    """One SignerInfo over `message`: digestAlgorithm `md`; the signature over the signed attributes made with
    `sig_md` (default `md`) and declared as `sig_alg` (default: the key's algorithm with `sig_md`)."""
    sig_md = sig_md or md
    ec_key = isinstance(key, ec.EllipticCurvePrivateKey)
    attrs = [
        {"type": "content_type", "values": [content_type]},
        {"type": "signing_time", "values": [cms.Time({"utc_time": now or dt.datetime.now(dt.timezone.utc)})]},
        {"type": "message_digest", "values": [hashlib.new(md, message).digest()]},
    ]
    attrs = cms.CMSAttributes([a for a in attrs if a["type"] not in drop])
    to_sign = attrs.dump() if signed_attrs else message
    alg = sig_alg or (f"{sig_md}_ecdsa" if ec_key else f"{sig_md}_rsa")
    ident = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    info = {
        "version": "v1",
        "sid": cms.SignerIdentifier({"issuer_and_serial_number": cms.IssuerAndSerialNumber(
            {"issuer": ident.issuer, "serial_number": ident.serial_number})}),
        "digest_algorithm": algos.DigestAlgorithm({"algorithm": md}),
        "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": alg}),
        "signature": _sign(key, to_sign, sig_md),
    }
    if signed_attrs:
        info["signed_attrs"] = attrs
    return cms.SignerInfo(info)


def signed_data(infos, certs, *, content: bytes | None = None, econtent_type="data") -> bytes:
    """A ContentInfo with the given SignerInfos and certificates; `content` encapsulated when given."""
    encap = {"content_type": econtent_type}
    if content is not None:
        encap["content"] = core.OctetString(content) if econtent_type == "data" else content
    sd = cms.SignedData({
        "version": "v1",
        "digest_algorithms": [algos.DigestAlgorithm({"algorithm": i["digest_algorithm"]["algorithm"].native})
                              for i in infos],
        "encap_content_info": encap,
        "certificates": [cms.CertificateChoices({"certificate": _asn1(c)}) for c in certs],
        "signer_infos": infos,
    })
    return cms.ContentInfo({"content_type": "signed_data", "content": sd}).dump()


def attached(cert, key, chain=(), content=b"Quyet dinh so 15/QD-BHXH", *, certs=None, **kw) -> bytes:
    """An encapsulated signature over `content` (kw: see `signer_info`)."""
    info = signer_info(cert, key, content, **kw)
    return signed_data([info], [cert, *chain] if certs is None else certs, content=content)


def detached(cert, key, message: bytes, chain=(), *, certs=None, **kw) -> bytes:
    """A detached signature (adbe.pkcs7.detached, in a PDF's /Contents)."""
    info = signer_info(cert, key, message, **kw)
    return signed_data([info], [cert, *chain] if certs is None else certs)
