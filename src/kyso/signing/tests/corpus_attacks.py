"""More PDF attacks of the PDF-Insecurity classes, built by hand (raw bytes, pyHanko's object writer) on files
signed by independent tools: incremental saving with cross-reference streams, object streams, a second
trailer, a /Prev that skips the signed revision; shadow attacks through optional content, /NeedAppearances,
FreeText/Stamp annotations, a checkbox's appearance state, nested and reused XObjects and /Contents arrays;
signature wrapping with the signed part moved; and a PDF signer by hand (`hand_sign`: the signature
dictionary written as a test wants it, the CMS from `corpus_cms`)."""

from __future__ import annotations

import io
import re
import zlib

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from . import corpus_cms as C
from .corpus_pdf import TEXT_RECT, N, _appearance, _num, _write, append_annotation, base_pdf, form_updated

OPAQUE = b"1 g 0 0 270 40 re f 0 g BT /F1 24 Tf 12 10 Td (TRA 900 000 DONG) Tj ET"


def _last(data: bytes):
    r = PdfFileReader(io.BytesIO(data), strict=False)
    root = r.trailer.raw_get("/Root").reference
    size = int(r.trailer["/Size"])
    startxref = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    return root, size, startxref, r


def append_update(data: bytes, objects: dict[int, bytes], *, xref: str = "table", root=None, prev=None,
                  objstm: dict[int, bytes] | None = None, eof: bool = True, last=None) -> bytes:
    """An incremental update by hand: `objects` (number → body) written as `N 0 obj`; with `objstm`, those
    objects go into one object stream; `xref` "table", "stream" or "none" (no cross-reference section)."""
    root_ref, size, startxref, _r = last or _last(data)
    prev = startxref if prev is None else prev
    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    offsets: dict[int, int] = {}
    compressed: dict[int, tuple[int, int]] = {}
    numbers = set(objects) | set(objstm or {})
    top = max(numbers | {size - 1}) + 1
    if objstm:
        stm_num, top = top, top + 1
        header, body = [], b""
        for i, (num, obj) in enumerate(sorted(objstm.items())):
            header.append(b"%d %d" % (num, len(body)))
            compressed[num] = (stm_num, i)
            body += obj + b"\n"
        head = b" ".join(header) + b"\n"
        stream = zlib.compress(head + body)
        objects = {**objects, stm_num: b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
                   % (len(objstm), len(head), len(stream)) + stream + b"\nendstream"}
    for num, body in sorted(objects.items()):
        offsets[num] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (num, body)
    root_txt = root or b"%d %d R" % (root_ref.idnum, root_ref.generation)
    if xref == "none":
        return bytes(out)
    xref_at = len(out)
    if xref == "table":
        out += b"xref\n0 1\n0000000000 65535 f \n"
        for num in sorted(offsets):
            out += b"%d 1\n%010d 00000 n \n" % (num, offsets[num])
        out += b"trailer\n<< /Size %d /Root %s /Prev %d >>\n" % (top, root_txt, prev)
    else:
        xnum = top
        top += 1
        entries = dict(offsets)
        entries[xnum] = xref_at
        rows, index = b"", []
        for num in sorted(set(entries) | set(compressed)):
            if num in compressed:
                rows += b"\x02" + compressed[num][0].to_bytes(4, "big") + compressed[num][1].to_bytes(2, "big")
            else:
                rows += b"\x01" + entries[num].to_bytes(4, "big") + b"\x00\x00"
            index += [num, 1]
        out += b"%d 0 obj\n<< /Type /XRef /Size %d /Root %s /Prev %d /W [1 4 2] /Index [%s] /Length %d >>\nstream\n" % (
            xnum, top, root_txt, prev, b" ".join(b"%d" % i for i in index), len(rows)) + rows + b"\nendstream\nendobj\n"
    if eof:
        out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def content_id(data: bytes) -> int:
    return int(re.search(rb"/Contents (\d+) 0 R", data).group(1))


def page_id(data: bytes) -> int:
    return int(re.search(rb"/Kids \[ ?(\d+) 0 R", data).group(1))


def _stream(body: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n%s\nendstream" % (len(body), extra, body)


FORGED = b"BT /F1 24 Tf 72 700 Td (TRA 900 000 DONG) Tj ET"


# ---- incremental saving ------------------------------------------------------------------------------------

def isa_xref_stream(data: bytes) -> bytes:
    """A complete update with a cross-reference stream that redefines the page's content stream."""
    return append_update(data, {content_id(data): _stream(FORGED)}, xref="stream")


def isa_object_stream(data: bytes, *, xref: str = "stream") -> bytes:
    """The page dictionary redefined inside an object stream (compressed), pointing at new content."""
    _root, size, _s, r = _last(data)
    page = r.root["/Pages"]["/Kids"][0]
    font = page["/Resources"]["/Font"].raw_get("/F1").reference.idnum
    new_content = size + 5
    body = (b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> "
            b"/Contents %d 0 R >>" % (r.root.raw_get("/Pages").reference.idnum, font, new_content))
    return append_update(data, {new_content: _stream(FORGED)}, objstm={page_id(data): body}, xref=xref)


def isa_second_trailer(data: bytes) -> bytes:
    """A new object and a second trailer without a cross-reference section; startxref still points at the
    signed revision's cross-reference section (readers that reconstruct the file take the new object)."""
    _root, _size, startxref, _r = _last(data)
    out = append_update(data, {content_id(data): _stream(FORGED)}, xref="none")
    return out + b"trailer\n<< /Size 99 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % startxref


def isa_table_without_startxref(data: bytes) -> bytes:
    """Objects, a cross-reference table and a trailer, but no startxref/%%EOF (readers recover them)."""
    return append_update(data, {content_id(data): _stream(FORGED)}, eof=False)


def isa_prev_skips_signature(unsigned: bytes, signed: bytes) -> bytes:
    """An update whose /Prev points at the revision before the signature: the signature drops out of the
    chain a reader follows, and the page content is redefined."""
    prev = int(re.findall(rb"startxref\s+(\d+)", unsigned)[-1])
    return append_update(signed, {content_id(signed): _stream(FORGED)}, prev=prev)


def with_spare_catalog(data: bytes) -> bytes:
    """Before signing: a complete second catalog + page tree whose page says other words, referenced from
    nowhere (a reader never shows it)."""
    _root, size, _s, r = _last(data)
    font = r.root["/Pages"]["/Kids"][0]["/Resources"]["/Font"].raw_get("/F1").reference.idnum
    cat, pages, page, content = size, size + 1, size + 2, size + 3
    root = r.trailer.raw_get("/Root").reference
    objs = {cat: b"<< /Type /Catalog /Pages %d 0 R >>" % pages,
            pages: b"<< /Type /Pages /Count 1 /Kids [%d 0 R] >>" % page,
            page: b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> "
                  b"/Contents %d 0 R >>" % (pages, font, content),
            content: _stream(FORGED)}
    return append_update(data, objs, root=b"%d %d R" % (root.idnum, root.generation))


def isa_root_repointed(data: bytes) -> bytes:
    """A complete, empty update whose trailer points /Root at the spare catalog signed before."""
    spare = int(re.search(rb"(\d+) 0 obj\n<< /Type /Catalog /Pages", data).group(1))
    return append_update(data, {}, root=b"%d 0 R" % spare)


# ---- shadow attacks ----------------------------------------------------------------------------------------

def base_ocg(on: bool = False) -> bytes:
    """One page whose signed words are covered by an opaque box with other words in an optional content group
    that is OFF when signed (the signer does not see it)."""

    w = IncrementalPdfFileWriter(io.BytesIO(base_pdf()))
    ocg = w.add_object(generic.DictionaryObject({N("/Type"): N("/OCG"), N("/Name"): generic.TextStringObject("L")}))
    page = w.root["/Pages"]["/Kids"][0].get_object()
    res = page["/Resources"]
    res[N("/Properties")] = generic.DictionaryObject({N("/oc1"): ocg})
    old = page["/Contents"].data
    page[N("/Contents")] = w.add_object(generic.StreamObject(stream_data=old + b"\n/OC /oc1 BDC 1 g 60 690 270 40 re f "
                                                             b"0 g BT /F1 24 Tf 72 700 Td (TRA 900 000 DONG) Tj ET EMC"))
    config = w.add_object(generic.DictionaryObject({N("/ON" if on else "/OFF"): generic.ArrayObject([ocg])}))
    w.root[N("/OCProperties")] = generic.DictionaryObject({N("/OCGs"): generic.ArrayObject([ocg]), N("/D"): config})
    w.update_container(page)
    w.update_root()
    return _write(w)


def ocg_switched_on(data: bytes, *, in_place: bool = False) -> bytes:
    """After signing, the optional content group is turned ON: in the catalogue's /OCProperties, or in its
    (indirect) default configuration dictionary only."""
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    props = w.root["/OCProperties"]
    ocg = props["/OCGs"].raw_get(0)
    if in_place:
        config_ref = props.raw_get("/D")
        config = config_ref.get_object()
        del config["/OFF"]
        config[N("/ON")] = generic.ArrayObject([ocg])
        w.mark_update(config_ref)
    else:
        props[N("/D")] = generic.DictionaryObject({N("/ON"): generic.ArrayObject([ocg])})
        w.update_root()
    return _write(w)


def base_field_value(rect=TEXT_RECT) -> bytes:
    """A text field over the signed words that already holds a value, with an empty appearance: the reader
    shows nothing there unless told to regenerate appearances (/NeedAppearances)."""

    w = IncrementalPdfFileWriter(io.BytesIO(base_pdf(rect)))
    fld = w.root["/AcroForm"]["/Fields"][0].get_object()
    fld[N("/V")] = generic.TextStringObject("TRA 900 000 DONG")
    w.root["/AcroForm"][N("/DA")] = generic.TextStringObject("/Helv 24 Tf 0 g")
    w.mark_update(w.root["/AcroForm"]["/Fields"].raw_get(0))
    w.update_root()
    return _write(w)


def need_appearances(data: bytes) -> bytes:
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    form = w.root["/AcroForm"]
    form[N("/NeedAppearances")] = generic.BooleanObject(True)
    form_updated(w)
    return _write(w)


def add_markup(data: bytes, rect, subtype: str, *, ap: bool = True, flags: int = 4, extra=None) -> bytes:
    """A markup annotation of `subtype` (FreeText, Stamp, Square …) at `rect`, with an opaque appearance
    writing other words, or (ap=False) with only /DA and /Contents — readers draw it themselves."""
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    page = w.root["/Pages"]["/Kids"][0].get_object()
    annot = generic.DictionaryObject({N("/Type"): N("/Annot"), N("/Subtype"): N(subtype), N("/Rect"): _num(*rect),
                                      N("/F"): generic.NumberObject(flags),
                                      N("/Contents"): generic.TextStringObject("TRA 900 000 DONG"),
                                      N("/DA"): generic.TextStringObject("/Helv 24 Tf 0 g"),
                                      N("/IC"): _num(1, 1, 1)})
    if ap:
        annot[N("/AP")] = generic.DictionaryObject({N("/N"): w.add_object(_appearance(w, rect, b"TRA 900 000 DONG"))})
    annot.update(extra or {})
    return append_annotation(w, page, annot)


def unhide_annotation(data: bytes) -> bytes:
    """Only the /F flags of an annotation signed hidden change: it becomes visible."""
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    page = w.root["/Pages"]["/Kids"][0].get_object()
    ref = page["/Annots"].raw_get(0)
    annot = ref.get_object()
    annot[N("/F")] = generic.NumberObject(4)
    w.mark_update(ref)
    return _write(w)


def base_checkbox(rect=TEXT_RECT) -> bytes:
    """A checkbox over the signed words: its /Off appearance is empty, its /Yes appearance opaque with other
    words; signed in the /Off state."""

    w = IncrementalPdfFileWriter(io.BytesIO(base_pdf()))
    page_ref = w.root["/Pages"].raw_get("/Kids")[0]
    off = w.add_object(generic.StreamObject({N("/Type"): N("/XObject"), N("/Subtype"): N("/Form"),
                                             N("/BBox"): _num(0, 0, rect[2] - rect[0], rect[3] - rect[1])},
                                            stream_data=b""))
    yes = w.add_object(_appearance(w, rect, b"TRA 900 000 DONG"))
    box = w.add_object(generic.DictionaryObject({
        N("/FT"): N("/Btn"), N("/T"): generic.TextStringObject("Dong y"), N("/Type"): N("/Annot"),
        N("/Subtype"): N("/Widget"), N("/Rect"): _num(*rect), N("/P"): page_ref, N("/F"): generic.NumberObject(4),
        N("/V"): N("/Off"), N("/AS"): N("/Off"),
        N("/AP"): generic.DictionaryObject({N("/N"): generic.DictionaryObject({N("/Off"): off, N("/Yes"): yes})})}))
    page = page_ref.get_object()
    page[N("/Annots")] = generic.ArrayObject([box])
    w.root[N("/AcroForm")] = generic.DictionaryObject({N("/Fields"): generic.ArrayObject([box])})
    w.update_container(page)
    w.update_root()
    return _write(w)


def tick_checkbox(data: bytes) -> bytes:
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    ref = w.root["/AcroForm"]["/Fields"].raw_get(0)
    box = ref.get_object()
    box[N("/V")] = N("/Yes")
    box[N("/AS")] = N("/Yes")
    w.mark_update(ref)
    return _write(w)


def base_nested_xobject(rect=TEXT_RECT) -> bytes:
    """A text field over the signed words whose appearance draws a nested form XObject (empty when signed)."""

    w = IncrementalPdfFileWriter(io.BytesIO(base_pdf(rect)))
    fld = w.root["/AcroForm"]["/Fields"][0].get_object()
    bbox = _num(0, 0, rect[2] - rect[0], rect[3] - rect[1])
    inner = w.add_object(generic.StreamObject({N("/Type"): N("/XObject"), N("/Subtype"): N("/Form"), N("/BBox"): bbox},
                                              stream_data=b"% nothing yet"))
    outer = w.add_object(generic.StreamObject({
        N("/Type"): N("/XObject"), N("/Subtype"): N("/Form"), N("/BBox"): bbox,
        N("/Resources"): generic.DictionaryObject({N("/XObject"): generic.DictionaryObject({N("/Fm0"): inner})})},
        stream_data=b"/Fm0 Do"))
    fld[N("/AP")] = generic.DictionaryObject({N("/N"): outer})
    w.mark_update(w.root["/AcroForm"]["/Fields"].raw_get(0))
    return _write(w)


def replace_nested_xobject(data: bytes) -> bytes:
    """Only the nested XObject of the field's appearance is redefined (same object number)."""
    return append_update(data, {_find_stream(data, b"% nothing yet"): _stream(
        OPAQUE, b"/Type /XObject /Subtype /Form /BBox [0 0 270 40] /Resources << /Font << /F1 %d 0 R >> >> "
        % _font(data))})


def _font(data: bytes) -> int:
    r = PdfFileReader(io.BytesIO(data), strict=False)
    return r.root["/Pages"]["/Kids"][0]["/Resources"]["/Font"].raw_get("/F1").reference.idnum


def _find_stream(data: bytes, marker: bytes) -> int:
    r = PdfFileReader(io.BytesIO(data), strict=False)
    for num in range(1, int(r.trailer["/Size"])):
        try:
            obj = r.get_object(generic.Reference(num, 0))
        except Exception:  # noqa: BLE001
            continue
        if isinstance(obj, generic.StreamObject) and marker in obj.data:
            return num
    raise LookupError(marker)


def base_xobject_page(spare: bool = True, array: bool = False) -> bytes:
    """The signed words drawn through a form XObject /X1 (and, with `spare`, a second XObject with other words
    signed but used nowhere); with `array`, the page /Contents is an indirect array."""

    w = IncrementalPdfFileWriter(io.BytesIO(base_pdf()))
    page = w.root["/Pages"]["/Kids"][0].get_object()
    font = page["/Resources"]["/Font"].raw_get("/F1")
    res = generic.DictionaryObject({N("/Font"): generic.DictionaryObject({N("/F1"): font})})

    def xobj(text):
        return w.add_object(generic.StreamObject({N("/Type"): N("/XObject"), N("/Subtype"): N("/Form"),
                                                  N("/BBox"): _num(0, 0, 595, 842), N("/Resources"): res},
                                                 stream_data=b"BT /F1 24 Tf 72 700 Td (%s) Tj ET" % text))
    x1 = xobj(b"TRA 100 000 DONG")
    xobjects = {N("/X1"): x1}
    if spare:
        xobjects[N("/X2")] = xobj(b"TRA 900 000 DONG")
    page["/Resources"][N("/XObject")] = generic.DictionaryObject(xobjects)
    content = w.add_object(generic.StreamObject(stream_data=b"/X1 Do"))
    page[N("/Contents")] = w.add_object(generic.ArrayObject([content])) if array else content
    w.update_container(page)
    return _write(w)


def xobject_repointed(data: bytes) -> bytes:
    """The page draws /X1; after signing /X1 is re-pointed at the spare XObject (signed, never shown)."""
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    page = w.root["/Pages"]["/Kids"][0].get_object()
    xo = page["/Resources"]["/XObject"]
    xo[N("/X1")] = xo.raw_get("/X2")
    w.update_container(page)
    return _write(w)


def xobject_redefined(data: bytes) -> bytes:
    """The XObject the page draws is redefined in place (same object number, other words)."""
    r = PdfFileReader(io.BytesIO(data), strict=False)
    x1 = r.root["/Pages"]["/Kids"][0]["/Resources"]["/XObject"].raw_get("/X1").reference.idnum
    return append_update(data, {x1: _stream(
        FORGED, b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> "
        % _font(data))})


def contents_array_extended(data: bytes) -> bytes:
    """The page's indirect /Contents array gets one more stream (page dictionary untouched)."""
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    page = w.root["/Pages"]["/Kids"][0].get_object()
    ref = page.raw_get("/Contents")
    arr = ref.get_object()
    arr.append(w.add_object(generic.StreamObject(stream_data=b"1 g 60 690 270 40 re f 0 g " + FORGED)))
    w.mark_update(ref)
    return _write(w)


def contents_direct_array(data: bytes) -> bytes:
    """The page's /Contents turned into a direct array with one more stream."""
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    page = w.root["/Pages"]["/Kids"][0].get_object()
    old = page.raw_get("/Contents")
    page[N("/Contents")] = generic.ArrayObject(
        [old, w.add_object(generic.StreamObject(stream_data=b"1 g 60 690 270 40 re f 0 g " + FORGED))])
    w.update_container(page)
    return _write(w)


# ---- signature wrapping ------------------------------------------------------------------------------------

def _sig_dict(data: bytes):
    m = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", data)
    start = data.rfind(b" obj", 0, m.start())
    num = int(re.search(rb"(\d+) (\d+)$", data[:start]).group(1))
    return num, [int(x) for x in m.groups()]


def swa_moved(data: bytes) -> bytes:
    """Signature wrapping: the second signed part moved further, forged objects put in its place, a new
    signature dictionary (later update) whose /ByteRange points at the moved bytes."""
    num, (a, b, c, d) = _sig_dict(data)
    forged = b"\n%d 0 obj\n%s\nendobj\n" % (content_id(data), _stream(FORGED))
    moved = data[:c] + forged + data[c:]
    shift = len(forged)
    sig_body = re.search(rb"%d 0 obj\s*(<<.*?/ByteRange.*?>>)\s*endobj" % num, data, re.S).group(1)
    new_sig = sig_body.replace(b"[%d %d %d %d]" % (a, b, c, d), b"[%d %d %d %d]" % (a, b, c + shift, d))
    if new_sig == sig_body:
        new_sig = re.sub(rb"/ByteRange\s*\[[^\]]*\]", b"/ByteRange [%d %d %d %d]" % (a, b, c + shift, d), sig_body)
    root, size, startxref, r = _last(data)
    return append_update(moved, {num: new_sig}, last=(root, size, startxref + shift, r))


def swa_sig_redefined(data: bytes, *, second_range: bool = False) -> bytes:
    """A later update redefines the signature dictionary (same /ByteRange and /Contents), optionally with a
    second /ByteRange key, together with new page content."""
    num, (a, b, c, d) = _sig_dict(data)
    sig_body = re.search(rb"%d 0 obj\s*(<<.*?/ByteRange.*?>>)\s*endobj" % num, data, re.S).group(1)
    if second_range:
        sig_body = sig_body[:-2] + b" /ByteRange [0 %d %d %d] >>" % (b, c, d - 10)
    return append_update(data, {num: sig_body, content_id(data): _stream(FORGED)})


# ---- a PDF signer by hand ----------------------------------------------------------------------------------

PLACEHOLDER = 9999999999


def hand_sign(data: bytes, cert, key, chain=(), *, filter_: str | None = "/Adobe.PPKLite",
              subfilter: str | None = "/adbe.pkcs7.detached", extra=None, name="Sig1", byte_range=None, cms=None,
              size=8192, type_: str | None = "/Sig", range_text=None, perms: bool = False, field_extra=None, **cms_kw):
    """Sign `data` with a signature dictionary written by hand: without /Filter when `filter_` is None (without
    /Type when `type_` is None, without /SubFilter when `subfilter` is None), `extra` entries added (or
    `extra(writer)`'s), `byte_range(a, b, c, d, length)` → the four numbers to write (default: the standard
    ones), `range_text(numbers)` → the /ByteRange as written (default `[a b c d]`), `cms(message)` → the DER to
    embed (default: `corpus_cms.detached`); with `perms`, the catalogue's /Perms /DocMDP names the signature (as
    a certification signature's does); `field_extra(writer)` → entries added to the signature field."""
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    sig = generic.DictionaryObject({**({N("/SubFilter"): N(subfilter)} if subfilter else {}),
                                    N("/M"): generic.TextStringObject("D:20261207000000Z"),
                                    N("/ByteRange"): generic.ArrayObject([generic.NumberObject(PLACEHOLDER)] * 4),
                                    N("/Contents"): generic.ByteStringObject(b"\x00" * size)})
    if type_:
        sig[N("/Type")] = N(type_)
    if filter_:
        sig[N("/Filter")] = N(filter_)
    sig.update((extra(w) if callable(extra) else extra) or {})
    sig_ref = w.add_object(sig)
    if perms:
        w.root[N("/Perms")] = generic.DictionaryObject({N("/DocMDP"): sig_ref})
    page_ref = w.root["/Pages"].raw_get("/Kids").raw_get(0)
    widget = w.add_object(generic.DictionaryObject({
        N("/Type"): N("/Annot"), N("/Subtype"): N("/Widget"), N("/FT"): N("/Sig"),
        N("/T"): name if isinstance(name, generic.PdfObject) else generic.TextStringObject(name), N("/V"): sig_ref,
        N("/Rect"): _num(0, 0, 0, 0), N("/F"): generic.NumberObject(132), N("/P"): page_ref,
        **(field_extra(w) if field_extra else {})}))
    page = page_ref.get_object()
    page[N("/Annots")] = generic.ArrayObject([*page.get("/Annots", []), widget])
    form = w.root["/AcroForm"] if "/AcroForm" in w.root else generic.DictionaryObject()
    form[N("/Fields")] = generic.ArrayObject([*(form["/Fields"] if "/Fields" in form else []), widget])
    form[N("/SigFlags")] = generic.NumberObject(3)
    if isinstance(w.root.raw_get("/AcroForm") if "/AcroForm" in w.root else None, generic.IndirectObject):
        w.mark_update(w.root.raw_get("/AcroForm"))
    else:
        w.root[N("/AcroForm")] = form
    w.update_container(page)
    w.update_root()
    out = bytearray(_write(w))
    m = re.search(rb"\[\s*%d\s+%d\s+%d\s+%d\s*\]" % ((PLACEHOLDER,) * 4), out)
    at, placeholder = m.start(), m.group(0)
    gap_start = out.index(b"<" + b"00" * size + b">")
    gap_end = gap_start + 2 * size + 2
    numbers = (0, gap_start, gap_end, len(out) - gap_end)
    if byte_range is not None:
        numbers = byte_range(*numbers, len(out))
    text = range_text(numbers) if range_text else b"[" + b" ".join(b"%d" % n for n in numbers) + b"]"
    out[at:at + len(placeholder)] = text.ljust(len(placeholder))
    a, b, c, d = (0, gap_start, gap_end, len(out) - gap_end) if byte_range is None else numbers
    message = bytes(out[max(a, 0):max(a, 0) + max(b, 0)] + out[max(c, 0):max(c, 0) + max(d, 0)])
    der = (cms or (lambda m: C.detached(cert, key, m, chain, **cms_kw)))(message)
    hexed = der.hex().encode().ljust(2 * size, b"0")
    out[gap_start + 1:gap_end - 1] = hexed
    return bytes(out)


def add_text_field(data: bytes, rect, value: bytes = b"TRA 900 000 DONG") -> bytes:
    """A new text field (widget with an opaque appearance) added after signing."""
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    page_ref = w.root["/Pages"].raw_get("/Kids")[0]
    fld = w.add_object(generic.DictionaryObject({
        N("/FT"): N("/Tx"), N("/T"): generic.TextStringObject("Moi"), N("/Type"): N("/Annot"),
        N("/Subtype"): N("/Widget"), N("/Rect"): _num(*rect), N("/P"): page_ref, N("/F"): generic.NumberObject(4),
        N("/V"): generic.TextStringObject(value.decode()),
        N("/AP"): generic.DictionaryObject({N("/N"): w.add_object(_appearance(w, rect, value))})}))
    page = page_ref.get_object()
    page[N("/Annots")] = generic.ArrayObject([*page.get("/Annots", []), fld])
    form = w.root["/AcroForm"]
    form["/Fields"].append(fld)
    form_updated(w)
    w.update_container(page)
    return _write(w)


def add_page(data: bytes) -> bytes:
    """A second page appended to the page tree after signing."""
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    page = w.root["/Pages"]["/Kids"][0]
    new = generic.DictionaryObject({N("/Type"): N("/Page"), N("/MediaBox"): _num(0, 0, 595, 842),
                                    N("/Resources"): page["/Resources"],
                                    N("/Contents"): w.add_object(generic.StreamObject(stream_data=FORGED))})
    w.insert_page(new)
    return _write(w)
