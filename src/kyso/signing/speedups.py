"""Two primitives of pyHanko and asn1crypto that dominate the verification of a PDF once the certificate
checks are remembered (issue 19), done faster with the same result, inside Kyso's verification only
(`scope()`: a context variable; pyHanko used anywhere else — a benchmark's plain pyHanko, another library —
runs its own code unchanged):

- a hex string (a signature's /Contents, tens of kilobytes) read with one search and `bytes.fromhex` instead
  of one Python call per byte; whatever the fast reader cannot vouch for (a comment, a stray character, the
  end of the file) is read again by pyHanko's own reader, which gives its own answer or error;
- RFC 4518 string preparation of certificate names (for each name comparison of a certificate parsed from
  the document), a pure function of the string, memoised."""

from __future__ import annotations

import binascii
import contextlib
import contextvars
import functools

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PDF_WHITESPACE

_ACTIVE = contextvars.ContextVar("kyso_signing_speedups", default=False)
_HEX_DIGITS = b"0123456789abcdefABCDEF"
_CHUNK = 1 << 16


@contextlib.contextmanager
def scope():
    token = _ACTIVE.set(True)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


_pyhanko_read_hex = generic.read_hex_string_from_stream


def read_hex_string_from_stream(stream):
    if not _ACTIVE.get():
        return _pyhanko_read_hex(stream)
    start = stream.tell()
    stream.read(1)                                  # "<"
    chunks = []
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:                               # no ">": pyHanko says how the stream ended
            stream.seek(start)
            return _pyhanko_read_hex(stream)
        end = chunk.find(b">")
        if end >= 0:
            chunks.append(chunk[:end])
            break
        chunks.append(chunk)
    body = b"".join(chunks)
    digits = body.translate(None, PDF_WHITESPACE)
    if b"%" in body or digits.translate(None, _HEX_DIGITS):
        stream.seek(start)                          # a comment or a stray byte: pyHanko's reader decides
        return _pyhanko_read_hex(stream)
    stream.seek(start + 1 + len(body) + 1)
    if len(digits) % 2:
        digits += b"0"
    return generic.pdf_string(binascii.unhexlify(digits))


generic.read_hex_string_from_stream = read_hex_string_from_stream

_asn1_prep = asn1_x509.NameTypeAndValue._ldap_string_prep


@functools.lru_cache(maxsize=16384)
def _prepared(cls, string: str) -> str:
    return _asn1_prep(cls.__new__(cls), string)


def _ldap_string_prep(self, string):
    if not _ACTIVE.get() or not isinstance(string, str):
        return _asn1_prep(self, string)
    return _prepared(type(self), string)


asn1_x509.NameTypeAndValue._ldap_string_prep = _ldap_string_prep

__all__ = ["scope", "read_hex_string_from_stream"]
