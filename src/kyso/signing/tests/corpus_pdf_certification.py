"""PDF attacks of classes the other corpus modules leave out (Mainka et al. 2021, "Breaking the Specification:
PDF Certification"; Mladenov et al. 2019): a certification signature that is not the document's first
signature, DocMDP transform parameters missing or out of range, a signature dictionary that calls itself a
document time-stamp, a signature value shared by two fields or copied into a field directly, form fields
locked by FieldMDP renamed, re-flagged, re-drawn or removed, /ByteRange spelled with six numbers, swapped,
real or huge, CMS containers without a SignerInfo or of another content type, updates without /Prev, an
/Encrypt added after signing, a font redefined in place, annotations that show themselves on hover
(ToggleNoView), that lie half over signed words, or that a page lists through an indirect /Annots array, and
dictionaries a reader cannot walk (cycles, deep nesting, wrong types, names no text format can hold)."""

from __future__ import annotations

import io
import re

from asn1crypto import algos, cms
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from . import corpus_cms as C
from .corpus_attacks import FORGED, _last, _stream, append_update, content_id, hand_sign
from .corpus_pdf import N, _appearance, _num, _write, append_annotation, base_pdf, form_updated
from .corpus_pdf_variants import add_sig_field


def _writer(data: bytes) -> IncrementalPdfFileWriter:
    return IncrementalPdfFileWriter(io.BytesIO(data), strict=False)


# ---- certification signatures ------------------------------------------------------------------------------

def docmdp_reference(p=None, *, params: bool = True) -> dict:
    """The /Reference entry of a certification signature (ISO 32000-2, 12.8.2.2): DocMDP with /P `p`; without
    /P when `p` is None, without /TransformParams at all when not `params` (both mean P=2)."""
    ref = generic.DictionaryObject({N("/Type"): N("/SigRef"), N("/TransformMethod"): N("/DocMDP")})
    if params:
        tp = generic.DictionaryObject({N("/Type"): N("/TransformParams"), N("/V"): N("/1.2")})
        if p is not None:
            tp[N("/P")] = generic.NumberObject(p)
        ref[N("/TransformParams")] = tp
    return {N("/Reference"): generic.ArrayObject([ref])}


def certify_by_hand(data: bytes, cert, key, chain, p=None, *, params: bool = True, perms: bool = True,
                    name: str = "Sig1") -> bytes:
    return hand_sign(data, cert, key, chain, name=name, extra=docmdp_reference(p, params=params), perms=perms)


# ---- the signature dictionary ------------------------------------------------------------------------------

def no_signer_infos(cert, key, chain):
    """A SignedData over the message with its SignerInfo taken out (certificates still there)."""
    def build(message: bytes) -> bytes:
        info = cms.ContentInfo.load(C.detached(cert, key, message, chain))
        info["content"]["signer_infos"] = []
        info["content"]["digest_algorithms"] = [algos.DigestAlgorithm({"algorithm": "sha256"})]
        return info.dump(force=True)
    return build


def data_content_info(message: bytes) -> bytes:
    """A ContentInfo of type data (no SignedData at all) holding the message's SHA-256."""
    import hashlib

    return cms.ContentInfo({"content_type": "data", "content": hashlib.sha256(message).digest()}).dump()


def shared_signature_value(data: bytes) -> bytes:
    """A second signature field added after signing whose /V is the first field's signature dictionary (the
    same object): one signature shown as two."""
    return _second_field(data, lambda w, first_ref: first_ref)


def direct_signature_copy(data: bytes) -> bytes:
    """A second signature field added after signing whose /V is a direct dictionary copying the first one's
    /ByteRange and /Contents (with another /Reason): no object of its own to hold the /ByteRange gap."""
    def value(w, first_ref):
        first = first_ref.get_object()
        copy = generic.DictionaryObject({k: first.raw_get(k) for k in ("/Type", "/Filter", "/SubFilter",
                                                                         "/ByteRange", "/Contents") if k in first})
        copy[N("/Reason")] = generic.TextStringObject("Dong y chi 900 000 dong")
        return copy
    return _second_field(data, value)


def _second_field(data: bytes, value) -> bytes:
    w = _writer(data)
    add_sig_field(w, value(w, w.root["/AcroForm"]["/Fields"][0].get_object().raw_get("/V")))
    return _write(w)


def tamper_signed_words(data: bytes) -> bytes:
    pos = data.find(b"TRA 100 000 DONG")
    return data[:pos] + b"TRA 900 000 DONG" + data[pos + 16:]


# ---- form fields locked by FieldMDP ------------------------------------------------------------------------

def _edit_field(data: bytes, change) -> bytes:
    """`change(writer, field)` made to the form's first field in a new revision."""
    w = _writer(data)
    ref = w.root["/AcroForm"]["/Fields"].raw_get(0)
    change(w, ref.get_object())
    w.mark_update(ref)
    return _write(w)


def _fill(w, fld, text: bytes = b"Da nhan") -> None:
    fld[N("/V")] = generic.TextStringObject(text.decode())
    _redraw(w, fld, text)


def _redraw(w, fld, text: bytes = b"Da nhan") -> None:
    rect = [float(v) for v in fld["/Rect"]]
    fld[N("/AP")] = generic.DictionaryObject({N("/N"): w.add_object(_appearance(w, rect, text))})


def rename_and_fill(data: bytes) -> bytes:
    """The locked field "Ghi chu" renamed "Ghi chu 2" (no lock names it any more) and filled."""
    def change(w, fld):
        fld[N("/T")] = generic.TextStringObject("Ghi chu 2")
        _fill(w, fld)
    return _edit_field(data, change)


def reflag(data: bytes) -> bytes:
    """Only the locked field's flags change: Password (its value drawn as dots) and DoNotSpellCheck."""
    return _edit_field(data, lambda w, fld: fld.__setitem__(N("/Ff"), generic.NumberObject((1 << 13) | (1 << 22))))


def redraw_only(data: bytes) -> bytes:
    """Only the locked field's appearance stream is replaced (its value stays empty)."""
    return _edit_field(data, _redraw)


def remove_field(data: bytes) -> bytes:
    """The locked field taken out of /AcroForm /Fields and of the page's /Annots."""
    w = _writer(data)
    ref = w.root["/AcroForm"]["/Fields"].raw_get(0)
    form = w.root["/AcroForm"]
    form[N("/Fields")] = generic.ArrayObject([f for f in form.raw_get("/Fields") if f.reference != ref.reference])
    page = w.root["/Pages"]["/Kids"][0].get_object()
    page[N("/Annots")] = generic.ArrayObject([a for a in page.raw_get("/Annots") if a.reference != ref.reference])
    form_updated(w)
    w.update_container(page)
    return _write(w)


# ---- incremental updates -----------------------------------------------------------------------------------

def update_without_prev(data: bytes, *, xref: str = "table") -> bytes:
    """A complete update redefining the page content whose cross-reference section has no /Prev: readers that
    take it as the whole table rebuild the rest of the file."""
    out = append_update(data, {content_id(data): _stream(FORGED)}, xref=xref)
    head = out.rfind(b"trailer") if xref == "table" else out.rfind(b"/Type /XRef")
    tail = re.sub(rb"/Prev \d+", lambda m: b" " * len(m.group(0)), out[head:], count=1)
    return out[:head] + tail


def pages_redefined(data: bytes) -> bytes:
    """The /Pages node redefined (same number) with a new page that says other words."""
    _root, size, _s, r = _last(data)
    pages = r.root.raw_get("/Pages").reference.idnum
    font = r.root["/Pages"]["/Kids"][0]["/Resources"]["/Font"].raw_get("/F1").reference.idnum
    page, content = size + 1, size + 2
    return append_update(data, {
        pages: b"<< /Type /Pages /Count 1 /Kids [%d 0 R] >>" % page,
        page: b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> "
              b"/Contents %d 0 R >>" % (pages, font, content),
        content: _stream(FORGED)})


def encrypt_added(data: bytes) -> bytes:
    """An update whose trailer adds /Encrypt (standard handler, RC4 40 bits, empty user password): a reader
    decrypts every signed string and stream with it and shows other bytes."""
    root, size, startxref, _r = _last(data)
    enc = size
    body = (b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 "
            b"/O <" + b"28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a" + b"> "
            b"/U <" + b"28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a" + b"> >>")
    out = data if data.endswith(b"\n") else data + b"\n"
    at = len(out)
    out += b"%d 0 obj\n%s\nendobj\n" % (enc, body)
    xref_at = len(out)
    out += b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \n" % (enc, at)
    out += b"trailer\n<< /Size %d /Root %d %d R /Prev %d /Encrypt %d 0 R /ID [<00112233445566778899aabbccddeeff> " \
           b"<00112233445566778899aabbccddeeff>] >>\nstartxref\n%d\n%%%%EOF\n" % (
               enc + 1, root.idnum, root.generation, startxref, enc, xref_at)
    return out


def new_catalog(data: bytes) -> bytes:
    """A new catalogue object (a new number, the same pages) with a JavaScript /OpenAction; the trailer's /Root
    names it."""
    _root, size, _s, r = _last(data)
    pages = r.root.raw_get("/Pages").reference.idnum
    cat = size
    return append_update(data, {cat: b"<< /Type /Catalog /Pages %d 0 R /OpenAction << /S /JavaScript "
                                      b"/JS (app.alert\\('x'\\)) >> >>" % pages}, root=b"%d 0 R" % cat)


# ---- shadow attacks ----------------------------------------------------------------------------------------

def font_redefined(data: bytes) -> bytes:
    """The page's font redefined in place (a plain object of a complete update): its /Differences draw '1'
    as 'nine' — "TRA 100 000" reads "TRA 900 000", no byte of the content stream changes."""
    r = _last(data)[3]
    font = r.root["/Pages"]["/Kids"][0]["/Resources"]["/Font"].raw_get("/F1").reference.idnum
    return append_update(data, {font: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type "
                                      b"/Encoding /BaseEncoding /WinAnsiEncoding /Differences [49 /nine] >> >>"})


def font_repointed(data: bytes) -> bytes:
    """The page's /Resources /Font /F1 re-pointed at a new font (Courier)."""
    w = _writer(data)
    page = w.root["/Pages"]["/Kids"][0].get_object()
    page["/Resources"]["/Font"][N("/F1")] = w.add_object(generic.DictionaryObject({
        N("/Type"): N("/Font"), N("/Subtype"): N("/Type1"), N("/BaseFont"): N("/Courier")}))
    w.update_container(page)
    return _write(w)


def catalog_actions(data: bytes) -> bytes:
    """Document actions (/AA /WC, /WP: before closing, before printing) added to the catalogue."""
    w = _writer(data)
    js = generic.DictionaryObject({N("/S"): N("/JavaScript"), N("/JS"): generic.TextStringObject("app.alert('x');")})
    w.root[N("/AA")] = generic.DictionaryObject({N("/WC"): js, N("/WP"): js})
    w.update_root()
    return _write(w)


def ocg_base_state_off(data: bytes) -> bytes:
    """The default optional content configuration gets /BaseState /OFF: a layer visible when signed (not named
    in /ON) disappears."""
    w = _writer(data)
    props = w.root["/OCProperties"]
    config = generic.DictionaryObject({N("/BaseState"): N("/OFF")})
    props[N("/D")] = config
    w.update_root()
    return _write(w)


def base_indirect_annots() -> bytes:
    """One page whose /Annots is an indirect (empty) array."""
    w = _writer(base_pdf())
    page = w.root["/Pages"]["/Kids"][0].get_object()
    page[N("/Annots")] = w.add_object(generic.ArrayObject([]))
    w.update_container(page)
    return _write(w)


def annotate_through_array(data: bytes, rect) -> bytes:
    """A FreeText with an opaque appearance appended to the page's indirect /Annots array: the page
    dictionary itself does not change."""
    w = _writer(data)
    page = w.root["/Pages"]["/Kids"][0].get_object()
    arr_ref = page.raw_get("/Annots")
    annot = generic.DictionaryObject({N("/Type"): N("/Annot"), N("/Subtype"): N("/FreeText"), N("/Rect"): _num(*rect),
                                      N("/F"): generic.NumberObject(4),
                                      N("/Contents"): generic.TextStringObject("TRA 900 000 DONG"),
                                      N("/DA"): generic.TextStringObject("/Helv 24 Tf 0 g"),
                                      N("/AP"): generic.DictionaryObject({N("/N"): w.add_object(
                                          _appearance(w, rect, b"TRA 900 000 DONG"))})})
    arr_ref.get_object().append(w.add_object(annot))
    w.mark_update(arr_ref)
    return _write(w)


def widget_without_field(data: bytes, rect) -> bytes:
    """A Widget annotation that belongs to no form field, with an opaque appearance with other words."""
    w = _writer(data)
    page = w.root["/Pages"]["/Kids"][0].get_object()
    annot = generic.DictionaryObject({N("/Type"): N("/Annot"), N("/Subtype"): N("/Widget"), N("/Rect"): _num(*rect),
                                      N("/F"): generic.NumberObject(4),
                                      N("/AP"): generic.DictionaryObject({N("/N"): w.add_object(
                                          _appearance(w, rect, b"TRA 900 000 DONG"))})})
    return append_annotation(w, page, annot)


def _markup_index(page) -> int:
    """The index in /Annots of the page's last annotation that is no widget (a signature's widget follows)."""
    annots = page["/Annots"]
    return [i for i in range(len(annots)) if annots[i].get("/Subtype") != "/Widget"][-1]


def remove_markup(data: bytes) -> bytes:
    """The page's (signed) markup annotation deleted."""
    w = _writer(data)
    page = w.root["/Pages"]["/Kids"][0].get_object()
    annots = list(page.raw_get("/Annots"))
    del annots[_markup_index(page)]
    page[N("/Annots")] = generic.ArrayObject(annots)
    w.update_container(page)
    return _write(w)


def change_markup_text(data: bytes) -> bytes:
    """The text (/Contents) of the page's signed markup annotation changed; its appearance stays."""
    w = _writer(data)
    page = w.root["/Pages"]["/Kids"][0].get_object()
    ref = page["/Annots"].raw_get(_markup_index(page))
    ref.get_object()[N("/Contents")] = generic.TextStringObject("Da xem lai")
    w.mark_update(ref)
    return _write(w)


# ---- dictionaries a reader cannot walk ---------------------------------------------------------------------

def field_value_edit(data: bytes, value: bytes) -> bytes:
    """A complete update that redefines the signature field with /V written as `value` (raw PDF syntax)."""
    r = _last(data)[3]
    ref = r.root["/AcroForm"]["/Fields"].raw_get(0).reference
    page = r.root["/Pages"]["/Kids"].raw_get(0).reference
    return append_update(data, {ref.idnum: b"<< /Type /Annot /Subtype /Widget /FT /Sig /T (Sig1) /V %s "
                                           b"/Rect [0 0 0 0] /F 132 /P %d 0 R >>" % (value, page.idnum)})


def fields_cycle(data: bytes) -> bytes:
    """The signature field made its own kid (/Kids [itself]) in a later update."""
    r = _last(data)[3]
    ref = r.root["/AcroForm"]["/Fields"].raw_get(0).reference
    fld = r.root["/AcroForm"]["/Fields"][0]
    sig = fld.raw_get("/V").reference
    page = r.root["/Pages"]["/Kids"].raw_get(0).reference
    return append_update(data, {ref.idnum: b"<< /Type /Annot /Subtype /Widget /FT /Sig /T (Sig1) /V %d 0 R "
                                           b"/Kids [%d 0 R] /Rect [0 0 0 0] /F 132 /P %d 0 R >>" % (
                                               sig.idnum, ref.idnum, page.idnum)})


def deep_nesting(data: bytes, depth: int = 20000) -> bytes:
    """A later update whose catalogue holds an array nested `depth` deep."""
    r = _last(data)[3]
    root = r.trailer.raw_get("/Root").reference
    cat = generic.DictionaryObject(r.root)
    buf = io.BytesIO()
    cat.write_to_stream(buf)
    body = buf.getvalue()[:-2] + b"/Deep " + b"[" * depth + b"]" * depth + b" >>"
    return append_update(data, {root.idnum: body})




# ---- values a reader reaches through an indirect reference -------------------------------------------------

def fill_with_indirect_appearance(data: bytes, text: bytes = b"TRA 900 000 DONG") -> bytes:
    """The text field "Ghi chu" filled, its /AP an indirect dictionary (an object of its own) holding an opaque
    normal appearance."""
    def change(w, fld):
        _fill(w, fld, text)
        fld[N("/AP")] = w.add_object(fld["/AP"])
    return _edit_field(data, change)


def base_inherited(field_rect, *, rotate: int = 0, mediabox: bool = False) -> bytes:
    """`base_pdf(field_rect)` whose page inherits /Rotate `rotate` (and, with `mediabox`, its /MediaBox) from the
    page tree node instead of holding them itself (ISO 32000-2, 7.7.3.4)."""
    w = _writer(base_pdf(field_rect))
    pages_ref = w.root.raw_get("/Pages")
    pages = pages_ref.get_object()
    page = pages["/Kids"][0]
    if rotate:
        pages[N("/Rotate")] = generic.NumberObject(rotate)
    if mediabox:
        pages[N("/MediaBox")] = page["/MediaBox"]
        del page["/MediaBox"]
    w.mark_update(pages_ref)
    w.update_container(page)
    return _write(w)


def link_indirect_action(data: bytes, rect) -> bytes:
    """A Link annotation in `rect` whose /A is an indirect JavaScript action."""
    w = _writer(data)
    page = w.root["/Pages"]["/Kids"][0].get_object()
    act = w.add_object(generic.DictionaryObject({
        N("/S"): N("/JavaScript"), N("/JS"): generic.TextStringObject("this.getField('Ghi chu').value = 'x';")}))
    annot = generic.DictionaryObject({N("/Type"): N("/Annot"), N("/Subtype"): N("/Link"), N("/Rect"): _num(*rect),
                                      N("/Border"): _num(0, 0, 0), N("/F"): generic.NumberObject(4), N("/A"): act})
    return append_annotation(w, page, annot)


def indirect_acroform(data: bytes) -> bytes:
    """The catalogue's /AcroForm moved into an object of its own (before signing)."""
    w = _writer(data)
    form = w.root["/AcroForm"]
    w.root[N("/AcroForm")] = w.add_object(generic.DictionaryObject(form))
    w.update_root()
    return _write(w)


def indirect_lock(fields_locked):
    """`field_extra` for `hand_sign`: a /Lock (FieldMDP) of its own object, no /Reference to it."""
    def extra(w):
        lock = generic.DictionaryObject({N("/Type"): N("/SigFieldLock"), N("/Action"): N("/Include"),
                                         N("/Fields"): generic.ArrayObject(
                                             [generic.TextStringObject(f) for f in fields_locked])})
        return {N("/Lock"): w.add_object(lock)}
    return extra


def certify_indirect(data: bytes, cert, key, chain, p: int) -> bytes:
    """A certification (DocMDP /P `p`) whose /Reference array is an object of its own."""
    return hand_sign(data, cert, key, chain, perms=True,
                     extra=lambda w: {N("/Reference"): w.add_object(docmdp_reference(p)[N("/Reference")])})


def base_kid_widget(rect) -> bytes:
    """A text field "Nhom" (no widget of its own) whose one kid widget lies at `rect`, without appearance."""
    w = _writer(base_pdf())
    page_ref = w.root["/Pages"].raw_get("/Kids").raw_get(0)
    parent = w.add_object(generic.DictionaryObject({N("/FT"): N("/Tx"), N("/T"): generic.TextStringObject("Nhom")}))
    kid = w.add_object(generic.DictionaryObject({
        N("/Type"): N("/Annot"), N("/Subtype"): N("/Widget"), N("/Parent"): parent, N("/Rect"): _num(*rect),
        N("/P"): page_ref, N("/F"): generic.NumberObject(4)}))
    parent.get_object()[N("/Kids")] = generic.ArrayObject([kid])
    page = page_ref.get_object()
    page[N("/Annots")] = generic.ArrayObject([kid])
    w.root[N("/AcroForm")] = generic.DictionaryObject({N("/Fields"): generic.ArrayObject([parent]),
                                                       N("/DA"): generic.TextStringObject("/Helv 24 Tf 0 g")})
    w.update_container(page)
    w.update_root()
    return _write(w)


def fill_parent(data: bytes, text: str = "TRA 900 000 DONG") -> bytes:
    """The value of the field "Nhom" set on the parent field only (its kid widget has no appearance)."""
    return _edit_field(data, lambda w, fld: fld.__setitem__(N("/V"), generic.TextStringObject(text)))


# ---- the CMS in /Contents (not covered by the byte range: anybody may rewrite it) ---------------------------

def two_signer_infos(cert, key, chain, second_broken: bool = False):
    """A SignedData with two SignerInfos over the message (ISO 32000-2, 12.8.3.3.1: exactly one signer)."""
    def build(message: bytes) -> bytes:
        first = C.signer_info(cert, key, message)
        second = C.signer_info(cert, key, message if not second_broken else message + b"x")
        return C.signed_data([first, second], [cert, *chain])
    return build


def attached_other_content(cert, key, chain):
    """adbe.pkcs7.detached over a CMS that encapsulates other content and signs that instead of the bytes of
    the document."""
    return lambda message: C.attached(cert, key, chain, content=b"Quyet dinh so 99/QD-BHXH")


def redraw_stamp(data: bytes, text: bytes = b"KHONG DUYET") -> bytes:
    """The appearance stream of the (signed) visible signature's widget redefined in place."""
    r = _last(data)[3]
    fld = r.root["/AcroForm"]["/Fields"][0]
    stream = fld["/AP"].raw_get("/N").reference.idnum
    return append_update(data, {stream: _stream(b"1 g 0 0 200 80 re f 0 g BT /Helv 12 Tf 10 30 Td (%s) Tj ET" % text,
                                                b"/Type /XObject /Subtype /Form /BBox [0 0 200 80] ")})


def form_defaults_changed(data: bytes, *, da: bytes | None = None, font: bool = False) -> bytes:
    """/AcroForm's default appearance (/DA) or default font resource (/DR /Font /Helv) changed after signing."""
    w = _writer(data)
    form = w.root["/AcroForm"]
    if da is not None:
        form[N("/DA")] = generic.TextStringObject(da.decode())
    if font:
        form[N("/DR")] = generic.DictionaryObject({N("/Font"): generic.DictionaryObject({N("/Helv"): w.add_object(
            generic.DictionaryObject({N("/Type"): N("/Font"), N("/Subtype"): N("/Type1"), N("/BaseFont"): N("/Helvetica"),
                                      N("/Encoding"): generic.DictionaryObject({
                                          N("/Differences"): generic.ArrayObject([generic.NumberObject(49),
                                                                                  N("/nine")])})}))})})
    form_updated(w)
    return _write(w)


def link_indirect_uri(data: bytes, rect) -> bytes:
    """A Link annotation in `rect` whose /A is an indirect action opening a web page."""
    w = _writer(data)
    page = w.root["/Pages"]["/Kids"][0].get_object()
    act = w.add_object(generic.DictionaryObject({N("/S"): N("/URI"),
                                                 N("/URI"): generic.TextStringObject("https://baohiemxahoi.gov.vn")}))
    annot = generic.DictionaryObject({N("/Type"): N("/Annot"), N("/Subtype"): N("/Link"), N("/Rect"): _num(*rect),
                                      N("/Border"): _num(0, 0, 0), N("/F"): generic.NumberObject(4), N("/A"): act})
    return append_annotation(w, page, annot)


def _page_with_annots(data: bytes, extra_annots: bytes) -> tuple[int, bytes]:
    """(page number, the page dictionary written out with `extra_annots` appended to its /Annots)."""
    r = _last(data)[3]
    page_ref = r.root["/Pages"]["/Kids"].raw_get(0).reference
    page = generic.DictionaryObject(r.root["/Pages"]["/Kids"][0])
    annots = b" ".join(b"%d %d R" % (a.reference.idnum, a.reference.generation) for a in page.raw_get("/Annots")) \
        if "/Annots" in page else b""
    del page["/Annots"]
    buf = io.BytesIO()
    page.write_to_stream(buf)
    return page_ref.idnum, buf.getvalue()[:-2] + b"/Annots [%s %s] >>" % (annots, extra_annots)


def content_as_annotation_appearance(data: bytes) -> bytes:
    """A new hidden annotation whose appearance is the page's content stream object, redefined in the same
    update with other words: a rule that clears an annotation's appearance must not clear the page content."""
    cid = content_id(data)
    size = _last(data)[1]
    annot = size
    page_num, page = _page_with_annots(data, b"%d 0 R" % annot)
    return append_update(data, {
        cid: _stream(FORGED, b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] "),
        annot: b"<< /Type /Annot /Subtype /Square /Rect [60 200 300 240] /F 2 /AP << /N %d 0 R >> >>" % cid,
        page_num: page})


def content_as_annotation(data: bytes) -> bytes:
    """The page's content stream object redefined as a hidden annotation listed in the page's /Annots: the page
    shows nothing any more (the rule that clears a changed annotation must not clear any object)."""
    cid = content_id(data)
    page_num, page = _page_with_annots(data, b"%d 0 R" % cid)
    return append_update(data, {cid: b"<< /Type /Annot /Subtype /Square /Rect [60 200 300 240] /F 2 >>",
                                page_num: page})


def base_value_drawn_by_reader(rect) -> bytes:
    """The text field "Ghi chu" at `rect` holding "TRA 100 000 DONG" without appearance stream nor /DA of its
    own: readers draw the value with the form's /DA (and /DR fonts) — what the signer saw."""
    from .corpus_pdf_variants import base_field_without_appearance

    w = _writer(base_field_without_appearance(rect))
    ref = w.root["/AcroForm"]["/Fields"].raw_get(0)
    fld = ref.get_object()
    fld[N("/V")] = generic.TextStringObject("TRA 100 000 DONG")
    del fld["/DA"]          # drawn with the form's /DA
    w.mark_update(ref)
    return _write(w)


def field_da(data: bytes, da: bytes) -> bytes:
    """The first field's own /DA set after signing (its value unchanged)."""
    return _edit_field(data, lambda w, fld: fld.__setitem__(N("/DA"), generic.TextStringObject(da.decode())))


def base_shared_appearance() -> bytes:
    """The signed words drawn through a form XObject /X1 that is also the appearance of a (hidden) square
    annotation in an empty area: one object, two uses."""
    from .corpus_attacks import base_xobject_page

    w = _writer(base_xobject_page(spare=False))
    page = w.root["/Pages"]["/Kids"][0].get_object()
    x1 = page["/Resources"]["/XObject"].raw_get("/X1")
    annot = w.add_object(generic.DictionaryObject({
        N("/Type"): N("/Annot"), N("/Subtype"): N("/Square"), N("/Rect"): _num(60, 200, 300, 240),
        N("/F"): generic.NumberObject(2), N("/AP"): generic.DictionaryObject({N("/N"): x1})}))
    page[N("/Annots")] = generic.ArrayObject([annot])
    w.update_container(page)
    return _write(w)


def redefine_shared_appearance(data: bytes) -> bytes:
    """The square annotation's appearance stream redefined (a permitted change of an annotation, were the
    stream its own): the page draws it as /X1."""
    r = _last(data)[3]
    page = r.root["/Pages"]["/Kids"][0]
    x1 = page["/Resources"]["/XObject"].raw_get("/X1").reference.idnum
    font = page["/Resources"]["/Font"].raw_get("/F1").reference.idnum
    annot = [a for a in page.raw_get("/Annots") if a.get_object().get("/Subtype") == "/Square"][0].reference.idnum
    return append_update(data, {
        x1: _stream(FORGED, b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R "
                            b">> >> " % font),
        annot: b"<< /Type /Annot /Subtype /Square /Rect [60 200 300 240] /F 2 /AP << /N %d 0 R >> "
               b"/Contents (x) >>" % x1})


def move_field(data: bytes, rect) -> bytes:
    """The first field (a text field with its value's appearance) moved to `rect`."""
    return _edit_field(data, lambda w, fld: fld.__setitem__(N("/Rect"), _num(*rect)))


def base_combo(rect) -> bytes:
    """A combo box at `rect` whose value "1" is shown by readers as its display text "TRA 100 000 DONG" (/Opt),
    drawn by the reader (no appearance stream)."""
    from .corpus_pdf_variants import base_field_without_appearance

    w = _writer(base_field_without_appearance(rect))
    ref = w.root["/AcroForm"]["/Fields"].raw_get(0)
    fld = ref.get_object()
    fld[N("/FT")] = N("/Ch")
    fld[N("/Ff")] = generic.NumberObject(1 << 17)
    fld[N("/Opt")] = generic.ArrayObject([generic.ArrayObject([generic.TextStringObject("1"),
                                                               generic.TextStringObject("TRA 100 000 DONG")])])
    fld[N("/V")] = generic.TextStringObject("1")
    w.mark_update(ref)
    return _write(w)


def combo_display_changed(data: bytes) -> bytes:
    """Only the display text of the combo box's chosen option changes (its value stays "1")."""
    return _edit_field(data, lambda w, fld: fld.__setitem__(N("/Opt"), generic.ArrayObject([generic.ArrayObject(
        [generic.TextStringObject("1"), generic.TextStringObject("TRA 900 000 DONG")])])))


def redraw_markup(data: bytes) -> bytes:
    """The appearance stream of the page's signed markup annotation redefined in place (other words, same
    rectangle)."""
    r = _last(data)[3]
    page = r.root["/Pages"]["/Kids"][0]
    markup = page["/Annots"][_markup_index(page)]
    stream = markup["/AP"].raw_get("/N").reference.idnum
    font = page["/Resources"]["/Font"].raw_get("/F1").reference.idnum
    return append_update(data, {stream: _stream(b"0 g BT /F1 18 Tf 12 10 Td (DA XEM) Tj ET",
                                                b"/Type /XObject /Subtype /Form /BBox [0 0 240 40] /Resources << "
                                                b"/Font << /F1 %d 0 R >> >> " % font)})


def move_stamp(data: bytes, rect) -> bytes:
    """The visible signature's widget moved to `rect` (its appearance unchanged)."""
    return _edit_field(data, lambda w, fld: fld.__setitem__(N("/Rect"), _num(*rect)))


def repoint_stamp(data: bytes, text: bytes = b"KHONG DUYET") -> bytes:
    """The visible signature's widget given a new appearance stream (a new object)."""
    return _edit_field(data, _redraw_with(text))


def _redraw_with(text: bytes):
    return lambda w, fld: _redraw(w, fld, text)
