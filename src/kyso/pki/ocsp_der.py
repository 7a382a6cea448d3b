"""A responder's OCSP responses (RFC 6960 §4.2.1) put together by hand and signed once.

Everything that does not change from one response to the next (responder id, signature
algorithm, the responder's certificate, each CA's CertID prefix) is encoded once per responder;
a response is then a few concatenations and one signature over its tbsResponseData.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from asn1crypto.keys import PublicKeyInfo
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from . import der
from .keystore import KeyHandle, SoftwareKey
from .reasons import CODES

_HASH_OIDS = {"sha1": "1.3.14.3.2.26", "sha256": "2.16.840.1.101.3.4.2.1", "sha384": "2.16.840.1.101.3.4.2.2",
              "sha512": "2.16.840.1.101.3.4.2.3"}
_HASH_ALGS = {name: der.seq(der.oid(dotted), b"\x05\x00") for name, dotted in _HASH_OIDS.items()}
_SHA256_RSA = der.seq(der.oid("1.2.840.113549.1.1.11"), b"\x05\x00")
_ECDSA_SHA256 = der.seq(der.oid("1.2.840.10045.4.3.2"))
_BASIC = der.oid("1.3.6.1.5.5.7.48.1.1")
_NONCE = der.oid("1.3.6.1.5.5.7.48.1.2")
_GOOD, _UNKNOWN = b"\x80\x00", b"\x82\x00"


def key_hash(public_key, algorithm: str = "sha1") -> bytes:
    """Hash of the BIT STRING contents of subjectPublicKey (RFC 6960 KeyHash, CertID issuerKeyHash)."""
    spki = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.new(algorithm, PublicKeyInfo.load(spki)["public_key"].contents[1:]).digest()


def _signing(key: KeyHandle):
    """(AlgorithmIdentifier, function signing bytes) for the responder key."""
    public = key.public_key()
    if isinstance(key, SoftwareKey) and isinstance(public, rsa.RSAPublicKey):
        private, pad, algo = key.private_key(), padding.PKCS1v15(), hashes.SHA256()
        return _SHA256_RSA, lambda data: private.sign(data, pad, algo)
    if isinstance(public, rsa.RSAPublicKey):
        return _SHA256_RSA, lambda data: key.sign(data, "sha256")
    if isinstance(public, ec.EllipticCurvePublicKey):
        return _ECDSA_SHA256, lambda data: key.sign(data, "sha256")
    raise ValueError("OCSP responder keys are RSA or ECDSA")


class ResponseWriter:
    """Signs responses of one delegated responder (certificate + key)."""

    def __init__(self, certificate: x509.Certificate, key: KeyHandle):
        self.certificate = certificate
        self._responder_id = der.explicit(2, der.tlv(der.OCTET_STRING, key_hash(certificate.public_key())))
        self._certs = der.explicit(0, der.seq(certificate.public_bytes(serialization.Encoding.DER)))
        self._algorithm, self._sign = _signing(key)
        self._last: tuple = (None, None)
        self.renew_at = float("inf")  # when the responder certificate is to be looked up again (set by its owner)

    def _times(self, this_update: dt.datetime, next_update: dt.datetime) -> tuple[bytes, bytes]:
        """producedAt/thisUpdate and [0] nextUpdate, encoded once per second."""
        if self._last[0] != (this_update, next_update):
            self._last = ((this_update, next_update),
                          (der.generalized_time(this_update), der.explicit(0, der.generalized_time(next_update))))
        return self._last[1]

    @staticmethod
    def cert_id(algorithm: str, name_hash: bytes, issuer_key_hash: bytes, serial: int) -> bytes:
        return der.seq(_HASH_ALGS[algorithm], der.tlv(der.OCTET_STRING, name_hash),
                       der.tlv(der.OCTET_STRING, issuer_key_hash), der.integer(serial))

    def response(self, cert_id: bytes, status: str, this_update: dt.datetime, next_update: dt.datetime, *,
                 revoked_at: dt.datetime | None = None, reason: str = "", nonce: bytes | None = None) -> bytes:
        """DER OCSPResponse with one SingleResponse; status 'good', 'revoked' or 'unknown'."""
        if status == "good":
            cert_status = _GOOD
        elif status == "unknown":
            cert_status = _UNKNOWN
        else:
            why = der.explicit(0, der.tlv(der.ENUMERATED, bytes((CODES[reason],)))) if reason in CODES and reason != "unspecified" else b""
            cert_status = der.tlv(0xA1, der.generalized_time(revoked_at) + why)
        produced, until = self._times(this_update, next_update)
        single = der.seq(cert_id, cert_status, produced, until)
        extensions = b""
        if nonce is not None:
            extensions = der.explicit(1, der.seq(der.seq(_NONCE, der.tlv(der.OCTET_STRING, der.tlv(der.OCTET_STRING, nonce)))))
        tbs = der.seq(self._responder_id, produced, der.seq(single), extensions)
        basic = der.seq(tbs, self._algorithm, der.bit_string(self._sign(tbs)), self._certs)
        return der.seq(b"\x0a\x01\x00", der.explicit(0, der.seq(_BASIC, der.tlv(der.OCTET_STRING, basic))))
