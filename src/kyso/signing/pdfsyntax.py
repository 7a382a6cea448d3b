"""Byte-level checks of a signed PDF that a parser alone does not make (PDF-Insecurity classes USF, SWA, ISA):

- the signature dictionary is well formed: /ByteRange of four non-negative integers starting at 0, whose gap
  is exactly the hexadecimal /Contents string of that very dictionary — an uncompressed object of the signed
  revision (ISO 32000-2, 12.8.1: the range covers the signature dictionary but its /Contents) — and which
  stays inside the file (universal signature forgery and signature wrapping both need a ByteRange that lies
  about what it covers; a dictionary added later that copies another signature's /ByteRange and /Contents
  covers nothing of itself);
- every byte after a signed revision belongs to a complete incremental update the reader analysed: objects
  with a cross-reference entry, a trailer, `startxref` and `%%EOF` (incremental saving attack: objects appended
  without a cross-reference section, which many readers still parse)."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from pyhanko.pdf_utils import generic

_OBJ = re.compile(rb"(?<![0-9])(\d{1,10})\s+(\d{1,5})\s+obj\b")
_HEX = re.compile(rb"<[0-9A-Fa-f\s]*>")
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s*%%EOF")
_EOF_END = re.compile(rb"%%EOF[\r\n\x00 \t\x0c]*\Z")
_TRAILING_OK = re.compile(rb"[ \t\r\n\x0c\x00]*")
_OBJECT_ENDS = re.compile(rb"\bendobj\b|>>\s*stream[\r\n]")


@dataclass(frozen=True)
class ByteRange:
    start1: int
    len1: int
    start2: int
    len2: int

    @property
    def end(self) -> int:
        return self.start2 + self.len2


def byte_range_problem(sig_object, data: bytes, ref=None) -> tuple[ByteRange | None, str]:
    """(the ByteRange, "") when well formed, else (None, a short English reason for the log). `ref`: the
    reference of the signature dictionary, whose object must hold the gap."""
    try:
        raw = sig_object.raw_get("/ByteRange")
    except KeyError:
        return None, "no /ByteRange"
    if isinstance(raw, generic.IndirectObject):
        raw = raw.get_object()
    if not isinstance(raw, generic.ArrayObject) or len(raw) != 4:
        return None, "/ByteRange is not an array of four numbers"
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in raw):
        return None, "/ByteRange holds something else than integers"
    br = ByteRange(*(int(v) for v in raw))
    if br.start1 != 0 or min(br.len1, br.start2, br.len2) < 0 or br.len1 == 0:
        return None, "/ByteRange does not start at the beginning of the file"
    if br.start2 <= br.len1 or br.end > len(data):
        return None, "/ByteRange points outside the file or overlaps itself"
    if not _EOF_END.search(data[max(br.end - 64, 0):br.end]):
        # ISO 32000-2, 12.8.1: the byte range covers the whole revision (up to its %%EOF) but /Contents
        return None, "/ByteRange ends before the end of its revision"
    gap = data[br.len1:br.start2]
    if not _HEX.fullmatch(gap):
        return None, "the gap in /ByteRange is not exactly the /Contents hexadecimal string"
    contents = sig_object.raw_get("/Contents") if "/Contents" in sig_object else None
    if isinstance(contents, generic.IndirectObject):
        return None, "/Contents is an indirect object"
    if not isinstance(contents, (generic.ByteStringObject, generic.TextStringObject)):
        return None, "/Contents is not a string"
    digits = b"".join(gap[1:-1].split())
    try:
        in_gap = bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())
    except ValueError:
        return None, "the /ByteRange gap is not hexadecimal"
    value = getattr(contents, "original_bytes", None) or (bytes(contents) if isinstance(contents, bytes) else b"")
    if value != in_gap:
        return None, "/Contents is not the string in the /ByteRange gap"
    if not _zero_padded_der(in_gap):
        return None, "/Contents holds other bytes than one DER structure and zero padding"
    if ref is not None and not _holds_gap(data, ref, br):
        return None, "the /ByteRange gap is not in the signature dictionary itself"
    return br, ""


def _holds_gap(data: bytes, ref, br: ByteRange) -> bool:
    """The object `ref` is written out (not compressed) in the signed part, and the gap lies inside it.

    Its last header before the gap is looked for backwards, in windows that double from 64 KB: the dictionary
    holding the gap starts a few hundred bytes before it, and scanning a 5 MB file from its start for it took
    nine tenths of the verification (benchmark: 5 MB PDF)."""
    header = re.compile(rb"(?<![0-9])%d\s+%d\s+obj\b" % (ref.idnum, ref.generation))
    window = 64 * 1024
    while True:
        start = max(br.len1 - window, 0)
        found = [m.end() for m in header.finditer(data, start, br.len1)]
        if found or start == 0:
            break
        window *= 2
    return bool(found) and not _OBJECT_ENDS.search(data, found[-1], br.len1)


def appended_problem(data: bytes, reader, signed_end: int, signed_revision: int) -> str:
    """"" when every byte after `signed_end` is explained by the later revisions the reader knows, else why not."""
    tail = data[signed_end:]
    if _TRAILING_OK.fullmatch(tail):
        return ""
    xrefs = reader.xrefs
    total = xrefs.total_revisions
    if total <= signed_revision + 1:
        return "bytes after the signed revision without a cross-reference section"
    known: set[int] = set()
    startxrefs: set[int] = set()
    last_end = signed_end
    for rev in range(signed_revision + 1, total):
        meta = xrefs.get_xref_container_info(rev)
        known.add(meta.start_location)
        startxrefs.add(meta.declared_startxref)
        last_end = max(last_end, meta.end_location)
        for _gen, offset in xrefs.get_xref_data(rev).standard_xrefs.values():
            known.add(offset)
    starts, spans = _stream_spans(data, known, signed_end)
    for m in _OBJ.finditer(data, signed_end):
        pos = m.start()
        if pos not in known and not _inside(starts, spans, pos):
            return f"object {int(m.group(1))} at offset {pos} has no cross-reference entry"
    ends = list(_STARTXREF.finditer(data, signed_end))
    if not ends or any(int(m.group(1)) not in startxrefs for m in ends):
        return "a startxref after the signed revision points at no analysed revision"
    if ends[-1].end() < last_end or not _TRAILING_OK.fullmatch(data[ends[-1].end():]):
        return "bytes after the last %%EOF"
    return ""


def _stream_spans(data: bytes, known: set[int], signed_end: int) -> tuple[list[int], list[tuple[int, int]]]:
    """For each known object that reaches into the appended bytes: where its stream data lies (from its
    `stream` keyword to its `endstream`, or to the next known object) — one pass over the appended bytes.

    An 'N G obj' in there is stream data of a known object (say, a compressed or binary stream). The search
    restarted from the stream's start for each such header: a 2 MB stream of '1 0 obj' took 188 s."""
    starts = sorted(known)
    spans = []
    for i, owner in enumerate(starts):
        limit = starts[i + 1] if i + 1 < len(starts) else len(data)
        if limit <= signed_end:
            spans.append((0, 0))
            continue
        head = data.find(b"stream", owner, limit)
        end = data.find(b"endstream", head, limit) if head >= 0 else -1
        spans.append((head, end if end >= 0 else limit) if head >= 0 else (0, 0))
    return starts, spans


def _inside(starts: list[int], spans: list[tuple[int, int]], pos: int) -> bool:
    i = bisect.bisect_left(starts, pos) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def _zero_padded_der(value: bytes) -> bool:
    """One DER SEQUENCE followed only by zero bytes (the usual padding): data hidden after the signature in
    /Contents is refused, since nothing covers it."""
    if len(value) < 2 or value[0] != 0x30:
        return False
    first = value[1]
    if first < 0x80:
        end = 2 + first
    else:
        n = first & 0x7F
        if n == 0 or n > 4 or len(value) < 2 + n:
            return False
        end = 2 + n + int.from_bytes(value[2:2 + n], "big")
    return end <= len(value) and not any(value[end:])
