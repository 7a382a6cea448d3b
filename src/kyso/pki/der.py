"""The few DER encodings (X.690) the hot paths write by hand: OCSP responses and CRL entries.

cryptography's builders re-check and re-encode everything on every call; a responder answering
thousands of requests a second, or a CRL of a million entries, only needs to put known parts
together. Every structure written with these is read back by cryptography and openssl in the tests.
"""

from __future__ import annotations

import datetime as dt

SEQUENCE, OCTET_STRING, NULL, INTEGER, ENUMERATED, BIT_STRING, OID = 0x30, 0x04, 0x05, 0x02, 0x0A, 0x03, 0x06
GENERALIZED_TIME, UTC_TIME = 0x18, 0x17


def length(n: int) -> bytes:
    if n < 0x80:
        return _SHORT[n]
    octets = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes((0x80 | len(octets),)) + octets


_SHORT = [bytes((n,)) for n in range(0x80)]


def tlv(tag: int, content: bytes) -> bytes:
    n = len(content)
    if n < 0x80:
        return bytes((tag, n)) + content
    return bytes((tag,)) + length(n) + content


def seq(*parts: bytes) -> bytes:
    return tlv(SEQUENCE, b"".join(parts))


def integer(n: int) -> bytes:
    return tlv(INTEGER, n.to_bytes(n.bit_length() // 8 + 1, "big", signed=True))


def oid(dotted: str) -> bytes:
    arcs = [int(a) for a in dotted.split(".")]
    out = bytearray()
    for arc in [arcs[0] * 40 + arcs[1], *arcs[2:]]:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        out += bytes(reversed(chunk))
    return tlv(OID, bytes(out))


def generalized_time(when: dt.datetime) -> bytes:
    return tlv(GENERALIZED_TIME, when.astimezone(dt.timezone.utc).strftime("%Y%m%d%H%M%SZ").encode())


def time_choice(when: dt.datetime) -> bytes:
    """RFC 5280 Time: UTCTime through 2049, GeneralizedTime after."""
    utc = when.astimezone(dt.timezone.utc)
    if 1950 <= utc.year < 2050:
        return tlv(UTC_TIME, utc.strftime("%y%m%d%H%M%SZ").encode())
    return generalized_time(utc)


def bit_string(data: bytes) -> bytes:
    return tlv(BIT_STRING, b"\x00" + data)


def explicit(number: int, content: bytes) -> bytes:
    return tlv(0xA0 | number, content)
