"""Signing X.509 structures with any `KeyHandle`, software or PKCS#11.

`cryptography`'s builders only sign with in-process keys. For a key in an HSM we let the
builder sign with a throw-away key of the same algorithm (so the AlgorithmIdentifier inside
the to-be-signed part is the right one), then sign the to-be-signed bytes with the real key
and put that signature in its place. Software keys take the direct path.
"""

from __future__ import annotations

from functools import lru_cache

from asn1crypto import crl as asn1_crl
from asn1crypto.core import ParsableOctetString
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding

from .keystore import KeyHandle, SoftwareKey

HASH = hashes.SHA256()
_DER = Encoding.DER


@lru_cache(maxsize=4)
def _stand_in(kind: str):
    if kind == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return ec.generate_private_key(ec.SECP256R1())


def _stand_in_for(key: KeyHandle):
    return _stand_in("rsa" if isinstance(key.public_key(), rsa.RSAPublicKey) else "ec")


def _sign(builder, key: KeyHandle, tbs: str, asn1_type, signature_field: str, load):
    """Sign `builder` with `key`: directly for a software key; for a token key, sign a draft with a stand-in key of
    the same type, have the token sign the draft's to-be-signed bytes and put that signature in its place."""
    if isinstance(key, SoftwareKey):
        return builder.sign(key.private_key(), HASH)
    draft = builder.sign(_stand_in_for(key), HASH)
    signature = key.sign(getattr(draft, tbs), "sha256")
    signed = asn1_type.load(draft.public_bytes(_DER))
    signed[signature_field] = signature
    return load(signed.dump(force=True))


def sign_certificate(builder: x509.CertificateBuilder, key: KeyHandle) -> x509.Certificate:
    return _sign(builder, key, "tbs_certificate_bytes", asn1_x509.Certificate, "signature_value",
                 x509.load_der_x509_certificate)


def sign_crl(builder: x509.CertificateRevocationListBuilder, key: KeyHandle) -> x509.CertificateRevocationList:
    return _sign(builder, key, "tbs_certlist_bytes", asn1_crl.CertificateList, "signature", x509.load_der_x509_crl)


def sign_ocsp(builder, key: KeyHandle) -> bytes:
    """Returns the DER OCSPResponse."""
    if isinstance(key, SoftwareKey):
        return builder.sign(key.private_key(), HASH).public_bytes(_DER)
    draft = builder.sign(_stand_in_for(key), HASH)
    signature = key.sign(draft.tbs_response_bytes, "sha256")
    resp = asn1_ocsp.OCSPResponse.load(draft.public_bytes(_DER))
    basic = resp["response_bytes"]["response"].parsed
    basic["signature"] = signature
    resp["response_bytes"]["response"] = ParsableOctetString(basic.dump(force=True))
    return resp.dump(force=True)
