"""XML in any encoding XML 1.0 allows (Appendix F, autodetection): UTF-8 with or without its byte-order mark,
UTF-16 and UTF-32 with a mark or recognised from the first characters `<?`, and ASCII-compatible encodings
declared in the XML declaration (ISO-8859-x, windows-125x …), which the parser reads itself.

Documents in UTF-16/UTF-32 are turned into UTF-8 before anything else reads them, so that the safety checks
(no DTD, no entity) see the same characters the parser does. An XML signature signs the canonical form, which
is UTF-8 whatever the file's encoding (Canonical XML 1.0, 2.1): transcoding leaves every digest unchanged."""

from __future__ import annotations

import codecs
import re

_DECL = re.compile(r"^(\s*<\?xml[^>]*?encoding\s*=\s*)([\"'])[A-Za-z0-9._-]+\2", re.S)

# (marker, codec, length of the byte-order mark to drop)
_SNIFF = (
    (codecs.BOM_UTF32_LE, "utf-32-le", 4),
    (codecs.BOM_UTF32_BE, "utf-32-be", 4),
    (codecs.BOM_UTF16_LE, "utf-16-le", 2),
    (codecs.BOM_UTF16_BE, "utf-16-be", 2),
    (b"<\x00\x00\x00", "utf-32-le", 0),
    (b"\x00\x00\x00<", "utf-32-be", 0),
    (b"<\x00?\x00", "utf-16-le", 0),
    (b"\x00<\x00?", "utf-16-be", 0),
    (b"<\x00", "utf-16-le", 0),
    (b"\x00<", "utf-16-be", 0),
)


def wide_encoding(data: bytes) -> tuple[str, int] | None:
    """(codec, length of the byte-order mark) for UTF-16/UTF-32 input, else None."""
    for marker, codec, bom in _SNIFF:
        if data.startswith(marker):
            return codec, bom
    return None


_CLAIM = re.compile(rb"http://www\.w3\.org/2000/09/xmldsig#|<(?:[A-Za-z_][\w.-]*:)?Signature(?![\w.:-])")


def claims_signature(data: bytes) -> bool:
    """The file holds an XML signature, or the start of one (the XMLDSig namespace or a Signature element),
    even when it is not well-formed: such a file gets a verdict, never a refusal."""
    found = wide_encoding(data)
    if found is not None:
        data = data[found[1]:].decode(found[0], errors="replace").encode("utf-8")
    return _CLAIM.search(data) is not None


def looks_like_xml(data: bytes) -> bool:
    if wide_encoding(data) is not None:
        return True
    return data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


_DECLARED = re.compile(rb"^<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")


def encoding_conflict(data: bytes) -> str:
    """The encoding the declaration names when the file starts with UTF-8's byte-order mark and the declaration
    names another (XML 1.0, 4.3.3 and Appendix F: a fatal error — libxml2 and xmlsec1 then read the bytes as the
    declaration says, other readers as the mark says: two texts from one file), else ''."""
    if not data.startswith(codecs.BOM_UTF8):
        return ""
    m = _DECLARED.match(data[3:])
    name = m.group(1).decode("ascii").lower().replace("_", "-") if m else ""
    return "" if name in ("", "utf-8", "utf8") else m.group(1).decode("ascii")


def to_utf8(data: bytes) -> bytes:
    """The same document in UTF-8 (declaration adjusted, byte-order mark dropped); other encodings are left to
    the parser, which reads the declaration. A UTF-8 mark with a declaration that contradicts it is kept: the
    parse refuses the file (`encoding_conflict`)."""
    found = wide_encoding(data)
    if found is None:
        return data[3:] if data.startswith(codecs.BOM_UTF8) and not encoding_conflict(data) else data
    codec, bom = found
    try:
        text = data[bom:].decode(codec)
    except UnicodeDecodeError:
        return data         # the parser will say it is malformed
    text = _DECL.sub(lambda m: f"{m.group(1)}{m.group(2)}UTF-8{m.group(2)}", text, count=1)
    return text.encode("utf-8")
