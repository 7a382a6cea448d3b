"""Filling a signed PDF's text form fields in an incremental update — the one change after a signature that
keeps it valid (form filling). The e-office uses it for the number and issue date the clerk gives after the
leader has signed (Decree 30, Art. 15–16; `core.documents.model.ISSUE_FIELDS`)."""

from __future__ import annotations

import io
import re

from kyso.core.errors import InvalidInput

_SAFE = re.compile(r"[ -~]{0,40}")  # printable ASCII only: the appearance uses a standard font, no embedding


def _appearance(writer, value: str, width: float, height: float, size: float, font_ref, right: bool = False):
    from pyhanko.pdf_utils import generic
    from reportlab.pdfbase.pdfmetrics import stringWidth

    text = value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    room = width - stringWidth(value, "Times-Roman", size)
    x = max(room - 1 if right else room / 2, 0)
    y = max((height - size * 0.66) / 2, 0)
    content = f"/Tx BMC q BT /F1 {size:g} Tf 0 g {x:.2f} {y:.2f} Td ({text}) Tj ET Q EMC".encode("ascii")
    stream = generic.StreamObject({
        generic.NameObject("/Type"): generic.NameObject("/XObject"),
        generic.NameObject("/Subtype"): generic.NameObject("/Form"),
        generic.NameObject("/BBox"): generic.ArrayObject([generic.FloatObject(0), generic.FloatObject(0),
                                                          generic.FloatObject(width), generic.FloatObject(height)]),
        generic.NameObject("/Resources"): generic.DictionaryObject({
            generic.NameObject("/Font"): generic.DictionaryObject({generic.NameObject("/F1"): font_ref})}),
    }, stream_data=content)
    return writer.add_object(stream)


def fill_text_fields(data: bytes, values: dict[str, str], *, italic: frozenset | set = frozenset(),
                     right: frozenset | set = frozenset()) -> bytes:
    """`data` with the named text fields set to `values` (those absent from the PDF are skipped); the input
    unchanged when it has none of them. Fields named in `italic` are drawn in Times-Italic, those in `right`
    flush right (a number against the "/SYMBOL" that follows it), the others centred."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    for name, value in values.items():
        if not _SAFE.fullmatch(value):
            raise InvalidInput("signing.field.value", "Giá trị trường %(name)s không hợp lệ.", name=name)
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    form = writer.root.get("/AcroForm")
    if form is None:
        return data
    fonts: dict[str, object] = {}
    filled = 0
    for ref in form.get_object().get("/Fields", []):
        field = ref.get_object()
        name = str(field.get("/T", ""))
        if name not in values or field.get("/FT") != "/Tx" or "/Rect" not in field:
            continue
        base = "/Times-Italic" if name in italic else "/Times-Roman"
        if base not in fonts:
            fonts[base] = writer.add_object(generic.DictionaryObject({
                generic.NameObject("/Type"): generic.NameObject("/Font"),
                generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
                generic.NameObject("/BaseFont"): generic.NameObject(base),
                generic.NameObject("/Encoding"): generic.NameObject("/WinAnsiEncoding")}))
        rect = [float(v) for v in field["/Rect"]]
        da = re.search(r"([\d.]+)\s+Tf", str(field.get("/DA", "")))
        size = float(da.group(1)) if da and float(da.group(1)) > 0 else 13.0
        field[generic.NameObject("/V")] = generic.TextStringObject(values[name])
        field[generic.NameObject("/AP")] = generic.DictionaryObject({generic.NameObject("/N"): _appearance(
            writer, values[name], rect[2] - rect[0], rect[3] - rect[1], size, fonts[base], right=name in right)})
        writer.mark_update(ref)
        filled += 1
    if not filled:
        return data
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
