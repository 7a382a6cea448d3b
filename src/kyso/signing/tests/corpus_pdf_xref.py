"""Incremental updates written by hand that pyHanko (non-strict) and poppler/MuPDF read differently: a
cross-reference section listing an object twice, an entry of unknown type, a startxref a few bytes off, an
entry whose offset is not its object, an object header hidden in an orphan stream's data, a hybrid file whose
/XRefStm contradicts its table, a linearization dictionary made true by padding (red team, PDF round 2)."""

from __future__ import annotations

import io
import re
import zlib

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import MDPPerm

from .corpus_attacks import FORGED, _last, content_id

SIGNED_TEXT = b"BT /F1 24 Tf 72 700 Td (TRA 100 000 DONG) Tj ET"


def _obj(num: int, body: bytes) -> bytes:
    return b"%d 0 obj\n%s\nendobj\n" % (num, body)


def _stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n%s\nendstream" % (len(data), data)


class Update:
    """An incremental update after `signed`, written byte by byte: `add` objects, then `close` with the
    cross-reference rows a test wants."""

    def __init__(self, signed: bytes):
        self.signed = signed
        self.root, self.size, self.prev, _r = _last(signed)
        self.content = content_id(signed)
        self.out = bytearray(signed if signed.endswith(b"\n") else signed + b"\n")

    def add(self, num: int, body: bytes) -> int:
        at = len(self.out)
        self.out += _obj(num, body)
        return at

    def hidden(self, num: int, hidden_num: int, hidden_body: bytes) -> tuple[int, int]:
        """Object `num`, an orphan stream whose data holds `hidden_num 0 obj` (hidden_body): (its offset,
        the hidden header's offset)."""
        fake = b"\n" + _obj(hidden_num, hidden_body)
        at = self.add(num, _stream(fake))
        return at, self.out.index(b"%d 0 obj" % hidden_num, at + 8)

    def close(self, rows: bytes, *, size: int = 30, extra: bytes = b"", shift: int = 0) -> bytes:
        at = len(self.out)
        self.out += b"xref\n0 1\n0000000000 65535 f \n" + rows
        self.out += b"trailer\n<< /Size %d /Root %d 0 R /Prev %d %s>>\nstartxref\n%d\n%%%%EOF\n" % (
            size, self.root.idnum, self.prev, extra, at - shift)
        return bytes(self.out)


def row(num: int, offset: int, kind: bytes = b"n") -> bytes:
    return b"%d 1\n%010d 00000 %s \n" % (num, offset, kind)


def duplicate_entry(signed: bytes) -> bytes:
    """t2: object 4 listed twice in one section — first a forged content stream hidden in an orphan stream's
    data (poppler, MuPDF: first entry wins), then an identical copy of the signed one (pyHanko: last wins)."""
    u = Update(signed)
    orphan, fake = u.hidden(20, u.content, _stream(FORGED))
    copy = u.add(u.content, _stream(SIGNED_TEXT))
    return u.close(row(u.content, fake) + row(20, orphan) + row(u.content, copy))


def duplicate_entry_reversed(signed: bytes) -> bytes:
    """The other order: the identical copy listed first (poppler, MuPDF), the hidden forgery last (pyHanko)."""
    u = Update(signed)
    orphan, fake = u.hidden(20, u.content, _stream(FORGED))
    copy = u.add(u.content, _stream(SIGNED_TEXT))
    return u.close(row(u.content, copy) + row(20, orphan) + row(u.content, fake))


def unknown_entry_type(signed: bytes) -> bytes:
    """t1: an entry of type `x` (pyHanko skips it; poppler refuses the table and rebuilds it by scanning, where
    the forged object hidden in the orphan stream is the last header of the content stream)."""
    u = Update(signed)
    orphan, _fake = u.hidden(20, u.content, _stream(FORGED))
    return u.close(b"20 2\n%010d 00000 n \n0000000000 00000 x \n" % orphan)


def startxref_off(signed: bytes, shift: int = 3) -> bytes:
    """t1b: startxref points 3 bytes before `xref` (pyHanko corrects it; poppler rebuilds)."""
    u = Update(signed)
    orphan, _fake = u.hidden(20, u.content, _stream(FORGED))
    return u.close(row(20, orphan), shift=shift)


def entry_off_target(signed: bytes) -> bytes:
    """The content stream rewritten identically, its entry pointing at the end of line before its header
    (pyHanko skips the whitespace; a strict reader finds no object there)."""
    u = Update(signed)
    copy = u.add(u.content, _stream(SIGNED_TEXT))
    return u.close(row(u.content, copy - 1))


def hidden_header(signed: bytes) -> bytes:
    """A correct update whose orphan stream's data holds a forged `4 0 obj`: a reader that rebuilds the
    cross-reference table (any later damage, a fetch that fails) takes it for the page content."""
    u = Update(signed)
    orphan, _fake = u.hidden(20, u.content, _stream(FORGED))
    return u.close(row(20, orphan))


def hidden_header_superseded(signed: bytes) -> bytes:
    """The same hidden header, followed in the update by an identical rewrite of the content stream that the
    table lists: a rebuilding reader takes the later, identical one — nothing a reader shows changes."""
    u = Update(signed)
    orphan, _fake = u.hidden(20, u.content, _stream(FORGED))
    copy = u.add(u.content, _stream(SIGNED_TEXT))
    return u.close(row(20, orphan) + row(u.content, copy))


def hybrid_disagreement(signed: bytes) -> bytes:
    """A hybrid-reference update: the table lists the content stream as an identical copy, its /XRefStm lists
    it at the forged object hidden in an orphan stream."""
    u = Update(signed)
    orphan, fake = u.hidden(20, u.content, _stream(FORGED))
    copy = u.add(u.content, _stream(SIGNED_TEXT))
    rows = b"\x01" + fake.to_bytes(4, "big") + b"\x00\x00"
    stm_at = len(u.out)
    u.out += _obj(21, b"<< /Type /XRef /Size 30 /W [1 4 2] /Index [%d 1] /Length %d >>\nstream\n"
                  % (u.content, len(rows)) + rows + b"\nendstream")
    return u.close(row(u.content, copy) + b"20 2\n%010d 00000 n \n%010d 00000 n \n" % (orphan, stm_at),
                   extra=b"/XRefStm %d " % stm_at)


def hostile_stream(signed: bytes, mb: float = 2) -> bytes:
    """t4: an orphan stream of `1 0 obj` headers after the signature (the appended-bytes check was quadratic
    in them)."""
    u = Update(signed)
    payload = b"1 0 obj\n" * int(mb * 1024 * 1024 / 8)
    orphan = u.add(20, _stream(payload))
    return u.close(row(20, orphan))


def compressed_attachment_like(signed: bytes) -> bytes:
    """A legitimate orphan: a Flate stream appended after signing (no header in its data)."""
    u = Update(signed)
    data = zlib.compress(b"%PDF-1.7\n1 0 obj\n<< >>\nendobj\n" * 50)
    orphan = u.add(20, b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream")
    return u.close(row(20, orphan))


# ---- linearization decoy (t6) ------------------------------------------------------------------------------

DECOY_L = 20000


def linearized_author_pdf(length: int = DECOY_L) -> bytes:
    """A malicious author's PDF: a linearization dictionary whose /L is not the file's length yet, then a
    first-page cross-reference section naming a decoy catalogue (TRA 900 000 DONG); the main section (what
    startxref names) the real one."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offs: dict[int, int] = {}

    def obj(n, body):
        offs[n] = len(out)
        out.extend(_obj(n, body))
    obj(1, b"<< /Linearized 1 /L %010d /O 12 /E 0 /N 1 /T 0 /H [ 0 0 ] >>" % length)
    fp_at = len(out)
    placeholder = b"xref\n10 4\n" + b"XXXXXXXXXX 00000 n \n" * 4 + b"trailer\n<< /Size 14 /Root 10 0 R /Prev YYYYYYYYYY >>\n"
    out.extend(placeholder)
    page = b"<< /Type /Page /Parent %d 0 R /MediaBox [ 0 0 595 842 ] /Resources << /Font << /F1 6 0 R >> >> /Contents %d 0 R >>"
    obj(2, b"<< /Type /Catalog /Pages 3 0 R >>")
    obj(3, b"<< /Type /Pages /Count 1 /Kids [ 4 0 R ] >>")
    obj(4, page % (3, 5))
    obj(5, _stream(SIGNED_TEXT))
    obj(6, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    obj(10, b"<< /Type /Catalog /Pages 11 0 R >>")
    obj(11, b"<< /Type /Pages /Count 1 /Kids [ 12 0 R ] >>")
    obj(12, page % (11, 13))
    obj(13, _stream(FORGED))
    main = len(out)
    out.extend(b"xref\n0 7\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % offs[n] for n in range(1, 7)))
    out.extend(b"10 4\n" + b"".join(b"%010d 00000 n \n" % offs[n] for n in range(10, 14)))
    out.extend(b"trailer\n<< /Size 14 /Root 2 0 R /ID [<00112233445566778899aabbccddeeff>"
               b"<00112233445566778899aabbccddeeff>] >>\nstartxref\n%d\n%%%%EOF\n" % main)
    fp = (b"xref\n10 4\n" + b"".join(b"%010d 00000 n \n" % offs[n] for n in range(10, 14))
          + b"trailer\n<< /Size 14 /Root 10 0 R /Prev %010d >>\n" % main)
    assert len(fp) == len(placeholder)
    out[fp_at:fp_at + len(fp)] = fp
    return bytes(out)


def sign_lenient(pyhanko_signer, data: bytes) -> bytes:
    w = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    meta = signers.PdfSignatureMetadata(field_name="Sig1", md_algorithm="sha256",
                                        docmdp_permissions=MDPPerm.FILL_FORMS)
    return signers.sign_pdf(w, meta, signer=pyhanko_signer).getvalue()


def pad_to(signed: bytes, length: int = DECOY_L) -> bytes:
    """An orphan-object update (permitted: 'validation data') padded so the file is exactly `length` long."""
    prev = int(re.findall(rb"startxref\s+(\d+)", signed)[-1])

    def build(n):
        out = bytearray(signed)
        at = len(out)
        out += b"20 0 obj\n<< /Length %010d >>\nstream\n%s\nendstream\nendobj\n" % (n, b"\x00" * n)
        x = len(out)
        out += b"xref\n0 1\n0000000000 65535 f \n20 1\n%010d 00000 n \n" % at
        out += b"trailer\n<< /Size 21 /Root 2 0 R /Prev %010d >>\nstartxref\n%010d\n%%%%EOF\n" % (prev, x)
        return bytes(out)
    return build(length - len(build(0)))
