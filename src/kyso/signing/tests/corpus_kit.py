"""The signers the verdict corpus builds its cases with: a person certificate of our CA and its key, plain
pyHanko for PDFs (`Kit`, a P-256 key) and, with an RSA key, xmlsec1 for XML and certificates of other
validity (`RsaKit`). The `kit` and `rsa_kit` fixtures (conftest) hand them to the tests."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric import rsa

from . import corpus_pdf as P
from . import corpus_xml as X
from .helpers import person_cert


class Kit:
    """A person with a P-256 key; `pdf` signs with plain pyHanko."""

    def __init__(self, make, chain):
        issued, key = make("person", key_spec="p256")
        self.cert, self.key, self.chain = issued.certificate, key.private_key(), chain
        self.pdf = P.Signer(self.cert, self.key, chain)


class RsaKit(Kit):
    """A person with an RSA key; `xmlsec` signs with xmlsec1 in `tmp`."""

    def __init__(self, make, chain, tmp):
        issued, key = make("person", key_spec="rsa2048")
        self.cert, self.key, self.chain, self.tmp = issued.certificate, key.private_key(), chain, tmp
        self.pdf = P.Signer(self.cert, self.key, chain)

    def xmlsec(self, tpl=None, **kw):
        return X.xmlsec_sign(self.tmp, tpl or X.template(), self.cert, self.key, **kw)

    def odd_cert(self, **kw):
        """A certificate of our CA for a fresh key with the given validity (person_cert)."""
        key = kw.pop("key", None) or rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return person_cert(key.public_key(), **kw), key
