"""S/MIME (RFC 8551): a signed message as mail clients and `openssl cms -sign` (without -outform DER) write it —
application/pkcs7-mime (the CMS with its content, base64) or multipart/signed (the content as the first body part,
the detached CMS as the second). It claims a signature: it is verified as the CMS it carries, never refused as an
unknown format. The content of multipart/signed is signed in its canonical form (RFC 8551, 3.1.1: lines ending
in CR LF), the body part exactly as written, its MIME headers included (RFC 1847, 2.1)."""

from __future__ import annotations

import email
import email.policy
import re

_HEADER = re.compile(rb"^(?:[A-Za-z0-9-]+:[^\n]*\n(?:[ \t][^\n]*\n)*)+\n", re.S)
_SIGNED = ("multipart/signed", "application/pkcs7-mime", "application/x-pkcs7-mime")


def _message(data: bytes):
    lf = data.replace(b"\r\n", b"\n")
    m = _HEADER.match(lf[:16384])
    if m is None:
        return None, lf
    head = email.message_from_bytes(m.group(0), policy=email.policy.compat32)
    signed = head.get_content_type() in _SIGNED and (head.get_content_type() == "multipart/signed" or (
        head.get_param("smime-type") or "signed-data").lower() in ("signed-data", "certs-only"))
    return (head if signed else None), lf


def is_smime(data: bytes) -> bool:
    """The file is a MIME message whose Content-Type is that of an S/MIME signature (its headers are in its first
    16 KB: the rest is not copied to tell — a 5 MB PDF spent a tenth of its verification here)."""
    return _message(data[:16384])[0] is not None


def unwrap(data: bytes) -> tuple[bytes, bytes | None]:
    """(the CMS, the signed content of multipart/signed or None); ValueError when the message is damaged."""
    head, lf = _message(data)
    if head is None:
        raise ValueError("no S/MIME message")
    message = email.message_from_bytes(lf, policy=email.policy.compat32)
    if head.get_content_type() != "multipart/signed":
        der = message.get_payload(decode=True)
        if not der:
            raise ValueError("empty S/MIME body")
        return der, None
    boundary = message.get_boundary()
    parts = message.get_payload()
    if not boundary or not isinstance(parts, list) or len(parts) != 2:
        raise ValueError("multipart/signed without two parts")
    # the first body part as written: after the first delimiter line, up to the line break before the next one
    # (that line break belongs to the delimiter, RFC 2046, 5.1.1)
    body = b"\n" + lf[len(_HEADER.match(lf).group(0)):]
    pieces = body.split(b"\n--" + boundary.encode("ascii", "replace"))
    if len(pieces) < 3 or b"\n" not in pieces[1]:
        raise ValueError("multipart/signed without its delimiters")
    content = pieces[1].split(b"\n", 1)[1].replace(b"\n", b"\r\n")
    der = parts[1].get_payload(decode=True)
    if not der:
        raise ValueError("empty S/MIME signature")
    return der, content
