"""Adapters that let pyHanko and signxml sign with any Kyso `KeyHandle` (software or PKCS#11).

One code path for every key: the libraries never see the private key material, only a
`sign()` that the key store carries out (inside the token for HSM keys)."""

from __future__ import annotations

import functools

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15 as _PKCS1v15
from asn1crypto import tsp
from pyhanko.sign import attributes
from pyhanko.sign.general import as_signing_certificate_v2
from pyhanko.sign.signers.pdf_cms import Signer
from pyhanko_certvalidator.registry import SimpleCertificateStore

from kyso.pki.keystore import KeyHandle, SoftwareKey

from .certcache import asn1_certificate

_HASH_NAMES = {"sha256": "sha256", "sha384": "sha384", "sha512": "sha512"}


def to_asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    """The asn1crypto view of `cert`, parsed once per DER (shared: treat it as read-only)."""
    return asn1_certificate(cert.public_bytes(serialization.Encoding.DER))


class KeyHandleSigner(Signer):
    """A pyHanko signer whose raw signature comes from a Kyso key handle (kept loaded: no re-parse per signature)."""

    def __init__(self, key: KeyHandle, cert: x509.Certificate, chain=()):
        self.key = key
        registry = SimpleCertificateStore.from_certs([to_asn1(c) for c in chain])
        super().__init__(signing_cert=to_asn1(cert), cert_registry=registry, embed_roots=True)

    def _signed_attr_provider_spec(self, *args, **kwargs):
        return _CachedSigningCertificate(super()._signed_attr_provider_spec(*args, **kwargs))

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
        hash_name = _HASH_NAMES.get(digest_algorithm.lower(), "sha256")
        if dry_run:
            size = self.key.public_key().key_size
            return bytes(size // 8 if isinstance(self.key.public_key(), rsa.RSAPublicKey) else 2 * (size // 8) + 16)
        return self.key.sign(data, hash_name)


@functools.lru_cache(maxsize=1024)
def _signing_certificate_v2(cert_der: bytes) -> bytes:
    return as_signing_certificate_v2(asn1_certificate(cert_der)).dump()


class _SigningCertificateV2(attributes.SigningCertificateV2Provider):
    """The signing-certificate-v2 attribute (RFC 5035) of a certificate, encoded once per certificate: a signer
    puts the same one into every signature."""

    async def build_attr_value(self, dry_run=False) -> tsp.SigningCertificateV2:
        return tsp.SigningCertificateV2.load(_signing_certificate_v2(self.signing_cert.dump()))


class _CachedSigningCertificate:
    """pyHanko's signed-attribute providers, with the signing-certificate-v2 one encoded once per certificate."""

    def __init__(self, spec):
        self.spec = spec

    def signed_attr_providers(self, *args, **kwargs):
        for provider in self.spec.signed_attr_providers(*args, **kwargs):
            if type(provider) is attributes.SigningCertificateV2Provider:
                provider = _SigningCertificateV2(provider.signing_cert)
            yield provider


def _hash_name(algorithm) -> str:
    if isinstance(algorithm, ec.ECDSA):
        algorithm = algorithm.algorithm
    return algorithm.name


class _HandleBacked:
    """What both handle-backed keys share: the public key and size from the handle, no private material."""

    def __init__(self, handle: KeyHandle):
        self._handle = handle

    def public_key(self):
        return self._handle.public_key()

    @property
    def key_size(self):
        return self._handle.public_key().key_size

    def private_numbers(self):  # pragma: no cover
        raise NotImplementedError

    def private_bytes(self, *args, **kwargs):  # pragma: no cover
        raise NotImplementedError

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


class _HandleBackedRSAKey(_HandleBacked, rsa.RSAPrivateKey):
    """Just enough of `cryptography`'s RSA private key for signxml to sign through a key handle."""

    def sign(self, data, padding, algorithm):  # noqa: A002 - cryptography's parameter names
        if not isinstance(padding, _PKCS1v15):
            raise ValueError("only PKCS#1 v1.5 signatures are supported through a key handle")
        return self._handle.sign(data, _hash_name(algorithm))

    def decrypt(self, *args, **kwargs):  # pragma: no cover - never used for signing
        raise NotImplementedError


class _HandleBackedECKey(_HandleBacked, ec.EllipticCurvePrivateKey):
    """Just enough of `cryptography`'s EC private key for signxml (DER signatures, like cryptography's)."""

    def sign(self, data, signature_algorithm):
        return self._handle.sign(data, _hash_name(signature_algorithm))

    @property
    def curve(self):
        return self._handle.public_key().curve

    def exchange(self, *args, **kwargs):  # pragma: no cover
        raise NotImplementedError


def crypto_private_key(handle: KeyHandle):
    """A `cryptography` private-key object for `handle`: the real one for software keys, a proxy otherwise."""
    if isinstance(handle, SoftwareKey):
        return handle.private_key()
    pub = handle.public_key()
    if isinstance(pub, rsa.RSAPublicKey):
        return _HandleBackedRSAKey(handle)
    if isinstance(pub, ec.EllipticCurvePublicKey):
        return _HandleBackedECKey(handle)
    raise ValueError("unsupported key type")


def load_certificate(data: bytes) -> x509.Certificate:
    data = data.strip()
    if data.startswith(b"-----BEGIN"):
        return x509.load_pem_x509_certificate(data)
    return x509.load_der_x509_certificate(data)


def load_certificates(data: bytes) -> list[x509.Certificate]:
    if b"-----BEGIN" in data:
        return x509.load_pem_x509_certificates(data)
    return [x509.load_der_x509_certificate(data)]


__all__ = ["KeyHandleSigner", "crypto_private_key", "to_asn1", "load_certificate", "load_certificates", "hashes"]
