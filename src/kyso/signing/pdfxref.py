"""What other readers make of the bytes added after a signature: the revisions appended after a signed one are
read strictly, and compared with what a reader that rebuilds the cross-reference table, or one that trusts a
linearization dictionary, would show (ISO 32000-1, 7.5.4–7.5.8 and Annex F; ISO 32000-2, 12.8.2.2; ETSI EN
319 102-1: what is validated must be what a relying party is shown).

pyHanko reads a file leniently, and where a file is ambiguous it decides one way while poppler and MuPDF decide
the other (red team, PDF round 2 — every forgery below was TOTAL_PASSED while poppler showed other words):

- one cross-reference section that lists an object twice: pyHanko keeps the last entry, poppler and MuPDF the
  first;
- an entry whose type is neither `n` nor `f`, or a `startxref` a few bytes off: pyHanko skips or corrects it,
  poppler gives the table up and rebuilds it by scanning the file for `N G obj` headers — also inside stream
  data, the last header of each object winning;
- a first object /Linearized whose /L equals the file's length: poppler starts at the first-page
  cross-reference section right after it, which may name another catalogue, and never sees later revisions.

So `later_problem` refuses, in every revision after the signed one: a cross-reference section (table, stream
or hybrid) that is not exactly well formed, an object listed twice (or differently by a table and its
/XRefStm), an entry whose offset is not exactly its `N G obj`, a startxref or /Prev that is not exactly a
section; any `N G obj` in the appended bytes that a rebuilding reader would take for an object that pyHanko
resolves elsewhere; a linearization dictionary whose /L makes a reader skip or replace what pyHanko reads.
Everything is linear in the size of the file (one pass per section and one over the appended bytes)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from pyhanko.pdf_utils import generic

WS = rb"[ \t\r\n\x0c\x00]"
HEADER_AT = re.compile(rb"(\d{1,10})" + WS + rb"+(\d{1,5})" + WS + rb"+obj(?![A-Za-z0-9])")
OBJ = re.compile(rb"(?<![0-9])(\d{1,10})\s+(\d{1,5})\s+obj\b")
_EOL = rb"(?:\r\n|\r|\n)"
_XREF = re.compile(rb"xref[ \t]*" + _EOL)
_SUBSECTION = re.compile(rb"(\d{1,10})[ \t]+(\d{1,10})[ \t]*" + _EOL)
# ISO 32000-1, 7.5.4: ten digits, a space, five digits, a space, n or f, a two-character end of line (single
# ones too: common, and read alike by every reader); anything else is read differently by different readers
_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])(?: \r\n|\r\n| \r| \n|\n|\r)")
_TRAILER = re.compile(rb"trailer" + WS + rb"*(?=<<)")
_LINEARIZED_WINDOW = 1024       # poppler looks for the linearization dictionary and its endobj there


class Malformed(Exception):
    pass


@dataclass
class Section:
    """One cross-reference section: number → ("n", gen, offset) | ("f", gen, 0) | ("c", stream, index)."""
    entries: dict[int, tuple[str, int, int]] = field(default_factory=dict)
    trailer: generic.DictionaryObject | None = None
    kind: str = "table"


def _add(section: Section, num: int, entry: tuple[str, int, int]) -> None:
    if num in section.entries:
        raise Malformed(f"object {num} is listed twice in one cross-reference section")
    section.entries[num] = entry


def read_section(data: bytes, pos: int, handler) -> Section:
    """The cross-reference section (table or stream) that starts exactly at `pos`, read strictly."""
    if data.startswith(b"xref", pos):
        return _table(data, pos, handler)
    if HEADER_AT.match(data, pos):
        return _stream_section(data, pos, handler)
    raise Malformed(f"no cross-reference section starts at offset {pos}")


def _table(data: bytes, pos: int, handler) -> Section:
    m = _XREF.match(data, pos)
    if not m:
        raise Malformed("the 'xref' keyword is not followed by an end of line")
    p, section = m.end(), Section()
    while not _TRAILER.match(data, p):
        sub = _SUBSECTION.match(data, p)
        if not sub:
            raise Malformed(f"neither a subsection header nor 'trailer' at offset {p}")
        first, count = int(sub.group(1)), int(sub.group(2))
        if count * 19 > len(data) - sub.end():
            raise Malformed(f"subsection {first} {count} is longer than the file")
        p = sub.end()
        for num in range(first, first + count):
            e = _ENTRY.match(data, p)
            if not e:
                raise Malformed(f"entry of object {num} at offset {p} is not 10+5 digits and n or f "
                                "(or the subsection count is wrong)")
            kind = "n" if e.group(3) == b"n" else "f"
            _add(section, num, (kind, int(e.group(2)), int(e.group(1)) if kind == "n" else 0))
            p = e.end()
    stream = io.BytesIO(data)
    stream.seek(_TRAILER.match(data, p).end())
    try:
        section.trailer = generic.DictionaryObject.read_from_stream(stream, generic.TrailerReference(handler))
    except Exception as exc:  # noqa: BLE001 - pyHanko raises many kinds
        raise Malformed(f"unreadable trailer: {str(exc)[:80]}") from exc
    return section


def _stream_section(data: bytes, pos: int, handler) -> Section:
    m = HEADER_AT.match(data, pos)
    stream = io.BytesIO(data)
    stream.seek(m.end())
    ref = generic.Reference(int(m.group(1)), int(m.group(2)), pdf=handler)
    try:
        while data[stream.tell():stream.tell() + 1] in (b" ", b"\t", b"\r", b"\n", b"\x0c", b"\x00"):
            stream.seek(1, io.SEEK_CUR)
        obj = generic.DictionaryObject.read_from_stream(stream, ref)
        if not isinstance(obj, generic.StreamObject) or obj.get("/Type") != "/XRef":
            raise Malformed(f"the object at offset {pos} is no cross-reference stream")
        widths = [int(w) for w in obj["/W"]]
        size = int(obj["/Size"])
        index = [int(i) for i in obj.get("/Index", [0, size])]
        raw = obj.data
    except Malformed:
        raise
    except Exception as exc:  # noqa: BLE001
        raise Malformed(f"unreadable cross-reference stream: {str(exc)[:80]}") from exc
    if len(widths) != 3 or min(widths) < 0 or max(widths) > 8 or widths[1] == 0 or len(index) % 2:
        raise Malformed("cross-reference stream with malformed /W or /Index")
    width = sum(widths)
    pairs = list(zip(index[::2], index[1::2]))
    if sum(count for _f, count in pairs) * width != len(raw):
        raise Malformed("cross-reference stream data does not hold exactly the entries /Index declares")
    section, p = Section(trailer=obj, kind="stream"), 0

    def take(w: int, default: int) -> int:
        nonlocal p
        value = int.from_bytes(raw[p:p + w], "big") if w else default
        p += w
        return value

    for first, count in pairs:
        for num in range(first, first + count):
            kind, f2, f3 = take(widths[0], 1), take(widths[1], 0), take(widths[2], 0)
            if kind not in (0, 1, 2):
                raise Malformed(f"entry of object {num} has unknown type {kind}")
            _add(section, num, ("f", f3, 0) if kind == 0 else ("n", f3, f2) if kind == 1 else ("c", f2, f3))
    return section


def _points_at(data: bytes, offset: int, num: int, gen: int) -> bool:
    m = HEADER_AT.match(data, offset) if 0 <= offset < len(data) else None
    return m is not None and int(m.group(1)) == num and int(m.group(2)) == gen


def _strict_revision(data: bytes, reader, rev: int, prev_start: int) -> str:
    meta = reader.xrefs.get_xref_container_info(rev)
    section = read_section(data, meta.declared_startxref, reader)
    prev = section.trailer.get("/Prev")
    if not isinstance(prev, int) or int(prev) != prev_start:
        return f"/Prev of revision {rev} is {prev}, not the offset {prev_start} of the revision before"
    entries = dict(section.entries)
    hybrid = section.trailer.get("/XRefStm") if section.kind == "table" else None
    if hybrid is not None:
        if not isinstance(hybrid, int):
            return "/XRefStm is not an offset"
        stm = _stream_section(data, int(hybrid), reader) if HEADER_AT.match(data, int(hybrid)) else None
        if stm is None:
            return "/XRefStm does not point exactly at a cross-reference stream"
        for num, (kind, gen, where) in stm.entries.items():
            mine = entries.get(num)
            if mine is not None and kind != "f" and (mine[0] == "n" or mine[1] not in (0, 65535)):
                return f"object {num} is listed differently by the table and its /XRefStm"
            entries.setdefault(num, (kind, gen, where))
    for num, (kind, gen, where) in entries.items():
        if kind == "n" and num and not _points_at(data, where, num, gen):
            return f"the entry of object {num} (offset {where}) does not point at '{num} {gen} obj'"
    return ""


def strict_problem(data: bytes, reader, signed_revision: int) -> str:
    """"" when every revision after the signed one is a well-formed section, chained exactly, else why not."""
    xrefs = reader.xrefs
    for rev in range(signed_revision, xrefs.total_revisions):
        meta = xrefs.get_xref_container_info(rev)
        # pyHanko's start of a table is after its 'xref' and end of line (4 bytes after the 'x' it reads)
        table = meta.xref_section_type.name != "STREAM"
        expected = meta.declared_startxref + (5 if table else 0)
        if meta.start_location != expected or (table and not _XREF.match(data, meta.declared_startxref)):
            return (f"startxref or /Prev points at {meta.declared_startxref}, the section of revision {rev} "
                    f"was found at {meta.start_location}")
    for rev in range(signed_revision + 1, xrefs.total_revisions):
        prev_start = xrefs.get_xref_container_info(rev - 1).declared_startxref
        try:
            problem = _strict_revision(data, reader, rev, prev_start)
        except Malformed as exc:
            problem = f"revision {rev}: {exc}"
        if problem:
            return problem
    return ""


def rebuild_problem(data: bytes, reader, signed_end: int) -> str:
    """"" unless a reader that rebuilds the cross-reference table by scanning the file (poppler: every
    `N G obj`, stream data included, the last of the highest generation winning) would take, for some object,
    a header in the appended bytes that is not where pyHanko reads that object."""
    last: dict[int, tuple[int, int]] = {}
    for m in OBJ.finditer(data, signed_end):
        num, gen = int(m.group(1)), int(m.group(2))
        seen = last.get(num)
        if seen is None or gen >= seen[0]:
            last[num] = (gen, m.start())
    if not last:
        return ""
    xrefs = reader.xrefs
    sections = {xrefs.get_xref_container_info(rev).declared_startxref for rev in range(xrefs.total_revisions)}
    for num, (gen, pos) in last.items():
        try:
            where = xrefs[generic.Reference(num, gen)]
        except (KeyError, IndexError):
            where = None
        if where == pos or (where is None and pos in sections):
            continue
        return (f"a reader rebuilding the cross-reference table would take object {num} at offset {pos}; "
                f"pyHanko reads it at {where}")
    return ""


def _linearization(data: bytes, handler) -> tuple[int, int] | None:
    """(/L, where the first-page cross-reference section starts) when the first object is a linearization
    dictionary, as poppler finds them in the first 1024 bytes; else None."""
    head = data[:_LINEARIZED_WINDOW]
    m = OBJ.search(head)
    end = head.find(b"endobj")
    if m is None or end < 0 or b"/Linearized" not in head[m.end():end]:
        return None
    stream = io.BytesIO(data)
    stream.seek(m.end())
    try:
        while data[stream.tell():stream.tell() + 1] in (b" ", b"\t", b"\r", b"\n", b"\x0c", b"\x00"):
            stream.seek(1, io.SEEK_CUR)
        lin = generic.DictionaryObject.read_from_stream(stream, generic.Reference(1, 0, pdf=handler))
        length = lin.raw_get("/L")
    except Exception:  # noqa: BLE001 - no readable linearization dictionary: no linearized reading
        return None
    if not isinstance(length, int) or isinstance(length, bool) or "/Linearized" not in lin:
        return None
    start = end + 6
    while start < len(head) and head[start:start + 1] in b" \t\r\n\x0c\x00":
        start += 1
    return int(length), start


def linearized_problem(data: bytes, reader, signed_end: int, signed_revision: int) -> str:
    """"" unless a reader trusting the linearization dictionary (its /L equals the length of the file, or of
    the signed revision) would start at a first-page section that disagrees with what pyHanko reads."""
    lin = _linearization(data, reader)
    if lin is None:
        return ""
    length, first_page = lin
    total = reader.xrefs.total_revisions
    if length == len(data) and total > signed_revision + 1:
        return (f"/L {length} equals the length of the file: linearized readers start at the first-page "
                "section and skip the revisions after the signature")
    for size, rev in ((len(data), total - 1), (signed_end, signed_revision)):
        if length != size:
            continue
        try:
            section = read_section(data, first_page, reader)
        except Malformed as exc:
            return f"/L {length} matches, but the first-page cross-reference section is unreadable: {exc}"
        root = section.trailer.raw_get("/Root") if "/Root" in section.trailer else None
        mine = reader.trailer.flatten(rev).raw_get("/Root")
        if getattr(root, "reference", root) != getattr(mine, "reference", mine):
            return "the first-page cross-reference section names another catalogue than the document's"
        for num, (kind, gen, where) in section.entries.items():
            if kind == "n" and num:
                try:
                    resolved = reader.xrefs.get_historical_ref(generic.Reference(num, gen), rev)
                except (KeyError, IndexError):
                    resolved = None
                if resolved != where:
                    return f"the first-page cross-reference section puts object {num} elsewhere"
    return ""


def later_problem(data: bytes, reader, signed_end: int, signed_revision: int) -> str:
    """"" when the file after the signed revision reads the same for pyHanko, poppler and MuPDF, else why not
    (English, for the log)."""
    if reader.xrefs.total_revisions > signed_revision + 1:
        problem = strict_problem(data, reader, signed_revision) or rebuild_problem(data, reader, signed_end)
        if problem:
            return problem
    return linearized_problem(data, reader, signed_end, signed_revision)
