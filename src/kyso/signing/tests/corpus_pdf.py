"""PDF documents of the verdict corpus, built by hand (pyHanko's object writer, raw bytes) and signed by
independent tools (plain pyHanko; endesive): valid ones, permitted and forbidden later changes, shadow
attacks (hide, replace, hide-and-replace), incremental saving attacks, universal signature forgery and
signature wrapping on the signature dictionary."""

from __future__ import annotations

import io
import re

from asn1crypto import keys as asn1_keys
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.writer import PdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import FieldMDPAction, FieldMDPSpec, MDPPerm, SigFieldSpec
from pyhanko_certvalidator.registry import SimpleCertificateStore

from kyso.signing.keys import to_asn1

N = generic.NameObject
TEXT_RECT = (60, 690, 330, 730)       # where the signed words "TRA 100 000 DONG" are drawn
BLANK_RECT = (60, 200, 300, 240)      # empty paper


def _num(*values):
    return generic.ArrayObject([generic.FloatObject(v) for v in values])


def base_pdf(field_rect=None, rotate: int = 0) -> bytes:
    """One page with signed words at TEXT_RECT; with `field_rect`, an empty text field "Ghi chu" there; with
    `rotate`, the page is shown turned (/Rotate) — the words stay at TEXT_RECT in user space."""
    w = PdfFileWriter()
    font = w.add_object(generic.DictionaryObject({N("/Type"): N("/Font"), N("/Subtype"): N("/Type1"),
                                                  N("/BaseFont"): N("/Helvetica")}))
    page = generic.DictionaryObject({
        N("/Type"): N("/Page"), N("/MediaBox"): _num(0, 0, 595, 842),
        N("/Resources"): generic.DictionaryObject({N("/Font"): generic.DictionaryObject({N("/F1"): font})}),
        N("/Contents"): w.add_object(generic.StreamObject(
            stream_data=b"BT /F1 24 Tf 72 700 Td (TRA 100 000 DONG) Tj ET")),
    })
    if rotate:
        page[N("/Rotate")] = generic.NumberObject(rotate)
    w.insert_page(page)
    if field_rect is not None:
        page_ref = w.root["/Pages"].raw_get("/Kids")[0]
        ap = w.add_object(generic.StreamObject({N("/Type"): N("/XObject"), N("/Subtype"): N("/Form"),
                                                N("/BBox"): _num(0, 0, field_rect[2] - field_rect[0],
                                                                 field_rect[3] - field_rect[1])}, stream_data=b""))
        fld = w.add_object(generic.DictionaryObject({
            N("/FT"): N("/Tx"), N("/T"): generic.TextStringObject("Ghi chu"), N("/Type"): N("/Annot"),
            N("/Subtype"): N("/Widget"), N("/Rect"): _num(*field_rect), N("/P"): page_ref, N("/F"): generic.NumberObject(4),
            N("/DA"): generic.TextStringObject("/F1 12 Tf 0 g"), N("/AP"): generic.DictionaryObject({N("/N"): ap})}))
        page_obj = page_ref.get_object()
        page_obj[N("/Annots")] = generic.ArrayObject([fld])
        w.root[N("/AcroForm")] = generic.DictionaryObject({N("/Fields"): generic.ArrayObject([fld])})
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


class Signer:
    """Plain pyHanko with a certificate of our CA (an independent signing tool, not Kyso's own code)."""

    def __init__(self, cert, private_key, chain=()):
        der = private_key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption())
        self.pyhanko = signers.SimpleSigner(signing_cert=to_asn1(cert), signing_key=asn1_keys.PrivateKeyInfo.load(der),
                                            cert_registry=SimpleCertificateStore.from_certs([to_asn1(c) for c in chain]))

    def sign(self, data: bytes, name="Sig1", *, certify=None, lock=None, md="sha256", visible_rect=None) -> bytes:
        w = IncrementalPdfFileWriter(io.BytesIO(data))
        spec = None
        if visible_rect or lock:
            spec = SigFieldSpec(sig_field_name=name, box=visible_rect, field_mdp_spec=lock)
        meta = signers.PdfSignatureMetadata(field_name=name, md_algorithm=md, certify=certify is not None,
                                            docmdp_permissions=certify or MDPPerm.FILL_FORMS)
        return signers.sign_pdf(w, meta, signer=self.pyhanko, new_field_spec=spec).getvalue()


def lock_fields(*names):
    return FieldMDPSpec(action=FieldMDPAction.INCLUDE, fields=list(names))


def _write(w) -> bytes:
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def form_updated(w) -> None:
    """Mark the catalogue's /AcroForm as changed (its own object, or the catalogue holding it)."""
    raw = w.root.raw_get("/AcroForm")
    if isinstance(raw, generic.IndirectObject):
        w.mark_update(raw)
    else:
        w.update_root()


def append_annotation(w, page, annot) -> bytes:
    """`annot` added as an object of its own at the end of `page`'s /Annots, and the update written."""
    annots = generic.ArrayObject(list(page.get("/Annots", generic.ArrayObject())))
    annots.append(w.add_object(annot))
    page[N("/Annots")] = annots
    w.update_container(page)
    return _write(w)


def add_annotation(data: bytes, rect, *, opaque_text: bytes | None = None) -> bytes:
    """A square annotation (white fill) at `rect`; with `opaque_text`, an appearance painting it white and
    writing that text (hide-and-replace)."""
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    page_ref = w.root["/Pages"].raw_get("/Kids")[0]
    page = page_ref.get_object()
    annot = generic.DictionaryObject({N("/Type"): N("/Annot"), N("/Subtype"): N("/Square"), N("/Rect"): _num(*rect),
                                      N("/IC"): _num(1, 1, 1), N("/C"): _num(1, 1, 1), N("/F"): generic.NumberObject(4)})
    if opaque_text is not None:
        annot[N("/AP")] = generic.DictionaryObject({N("/N"): w.add_object(_appearance(w, rect, opaque_text))})
    return append_annotation(w, page, annot)


def _appearance(w, rect, text: bytes):
    width, height = rect[2] - rect[0], rect[3] - rect[1]
    font = w.root["/Pages"]["/Kids"][0]["/Resources"]["/Font"].raw_get("/F1")
    return generic.StreamObject({
        N("/Type"): N("/XObject"), N("/Subtype"): N("/Form"), N("/BBox"): _num(0, 0, width, height),
        N("/Resources"): generic.DictionaryObject({N("/Font"): generic.DictionaryObject({N("/F1"): font})})},
        stream_data=b"1 g 0 0 %d %d re f 0 g BT /F1 24 Tf 12 10 Td (%s) Tj ET" % (width, height, text))


def fill_field(data: bytes, text: bytes = b"TRA 900 000 DONG") -> bytes:
    """Give the text field "Ghi chu" a value and a new (opaque) appearance — form filling, and the replace
    attack when the field lies over signed words."""
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    ref = w.root["/AcroForm"]["/Fields"][0]
    fld = ref.get_object()
    rect = [float(v) for v in fld["/Rect"]]
    fld[N("/V")] = generic.TextStringObject(text.decode())
    fld[N("/AP")] = generic.DictionaryObject({N("/N"): w.add_object(_appearance(w, rect, text))})
    w.update_container(fld)
    return _write(w)


def replace_page_content(data: bytes, text: bytes = b"TRA 900 000 DONG") -> bytes:
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    page = w.root["/Pages"]["/Kids"][0].get_object()
    page[N("/Contents")] = w.add_object(generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 700 Td (%s) Tj ET" % text))
    w.update_container(page)
    return _write(w)


def reuse_object(data: bytes) -> bytes:
    """Hide-and-replace with an object the signer signed but never saw: the signed revision carries an
    unused content stream; after signing the page is re-pointed at it."""
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    hidden = [ref for ref in range(1, 40) if _is_hidden_stream(w, ref)]
    page = w.root["/Pages"]["/Kids"][0].get_object()
    page[N("/Contents")] = generic.IndirectObject(hidden[0], 0, w)
    w.update_container(page)
    return _write(w)


def _is_hidden_stream(w, idnum) -> bool:
    try:
        obj = generic.IndirectObject(idnum, 0, w).get_object()
    except Exception:  # noqa: BLE001
        return False
    return isinstance(obj, generic.StreamObject) and b"HIDDEN" in obj.data


def with_hidden_stream(data: bytes) -> bytes:
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    w.add_object(generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 700 Td (TRA 900 000 DONG) Tj ET % HIDDEN"))
    w.root[N("/KysoTest")] = generic.BooleanObject(True)     # a reason to write the revision
    w.update_root()
    return _write(w)


def appended_without_xref(data: bytes) -> bytes:
    """Incremental saving attack: a new page content object appended with no cross-reference section."""
    content_id = int(re.search(rb"/Contents (\d+) 0 R", data).group(1))
    body = b"BT /F1 24 Tf 72 700 Td (TRA 900 000 DONG) Tj ET"
    return data + b"\n%d 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n" % (content_id, len(body), body)


def appended_after_eof(data: bytes) -> bytes:
    """Bytes after the final %%EOF that are no update at all (a trailer-less object and junk)."""
    return data + b"\n% appended\n99 0 obj\n(TRA 900 000 DONG)\nendobj\ntrailer\n<< /Root 1 0 R >>\n"


def broken_xref_update(data: bytes) -> bytes:
    """A later update whose cross-reference section points at the wrong offsets and has no valid startxref."""
    content_id = int(re.search(rb"/Contents (\d+) 0 R", data).group(1))
    prev = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    body = b"BT /F1 24 Tf 72 700 Td (TRA 900 000 DONG) Tj ET"
    obj = b"%d 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n" % (content_id, len(body), body)
    xref_at = len(data) + 1 + len(obj)
    return data + b"\n" + obj + (b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \n"
                                 b"trailer\n<< /Size 99 /Prev %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
                                 % (content_id, 7, prev, xref_at + 3))


def byte_range_edit(data: bytes, kind: str) -> bytes:
    """Hand-edited signature dictionaries (universal signature forgery, signature wrapping)."""
    m = re.search(rb"/ByteRange\s*\[([^\]]*)\]", data)
    whole = m.group(0)
    a, b, c, d = (int(x) for x in m.group(1).split())
    c_match = re.search(rb"/Contents\s*<([0-9a-fA-F]+)>", data)
    if kind == "missing":
        return data.replace(whole, b" " * len(whole), 1)
    if kind == "zero":
        return data.replace(whole, b"/ByteRange [0 0 0 0]".ljust(len(whole)), 1)
    if kind == "odd":
        return data.replace(whole, (b"/ByteRange [0 %d %d]" % (b, c)).ljust(len(whole)), 1)
    if kind == "shifted":        # the gap swallows signed bytes: wrapping
        return data.replace(whole, (b"/ByteRange [0 %d %d %d]" % (b - 40, c, d)).ljust(len(whole)), 1)
    if kind == "beyond_eof":
        return data.replace(whole, (b"/ByteRange [0 %d %d %d]" % (b, c, d + 1000)).ljust(len(whole)), 1)
    start, end = c_match.span(1)
    if kind == "contents_null":
        return data[:c_match.start()] + b"/Contents null".ljust(c_match.end() - c_match.start()) + data[c_match.end():]
    if kind == "contents_not_cms":
        return data[:start] + b"41" * ((end - start) // 2) + data[end:]
    if kind == "contents_zeros":
        return data[:start] + b"0" * (end - start) + data[end:]
    if kind == "subfilter":
        return re.sub(rb"/SubFilter\s*/[A-Za-z.0-9]+", lambda mm: b"/SubFilter /x.y".ljust(len(mm.group(0))), data,
                      count=1)
    raise ValueError(kind)


def flip_signed_byte(data: bytes) -> bytes:
    pos = data.find(b"TRA 100 000 DONG")
    return data[:pos] + b"TRA 900 000 DONG" + data[pos + 16:]
