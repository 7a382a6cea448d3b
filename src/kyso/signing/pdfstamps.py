"""Which signature stamps a later signature's stamp may be drawn over. Decree 30/2020 puts the organisation's
seal over the left third of the leader's signature stamp: that is no shadow attack on the leader's signature.
The exemption is narrow, because anything else under a new stamp is content the signer saw:

- only the stamps of signatures really signed are left out of what is compared: a widget of a /Sig field
  whose /V is the dictionary of a well-formed signature of the file (its /ByteRange covering it, `pdfverify`),
  signed in or before the revision judged, its widget unchanged since then. A form field's value, a comment,
  an empty signature field's box stay signed content;
- only a real later signature's stamp gets the exemption: a widget whose /V is such a signature, signed after
  the revision judged, drawn as that signature signed it. An unsigned signature field (any appearance may be
  given to it) is judged like any other annotation.

A signature whose /V is a direct object is never matched (no known tool writes one): its stamp stays signed
content, the fail-safe side."""

from __future__ import annotations

from pyhanko.pdf_utils import generic

from .pdfmdp import entry as _get

MAX_DEPTH = 32


def _value_ref(widget):
    """The reference of the /V of a signature widget (its own or its field's, up the /Parent chain); None when
    the field is no signature field, has no value or a direct one."""
    field_type, value, node, depth = None, None, widget, 0
    while isinstance(node, generic.DictionaryObject) and depth < MAX_DEPTH:
        if field_type is None and "/FT" in node:
            field_type = _get(node, "/FT")
        if value is None and "/V" in node:
            value = node.raw_get("/V")
        node, depth = _get(node, "/Parent"), depth + 1
    return value.reference if field_type == "/Sig" and isinstance(value, generic.IndirectObject) else None


def _signature_of(widget, all_sigs):
    """The well-formed signature (pyHanko's `EmbeddedPdfSignature`) whose dictionary is the widget's /V."""
    if not isinstance(widget, generic.DictionaryObject) or _get(widget, "/Subtype") != "/Widget":
        return None
    ref = _value_ref(widget)
    if ref is None:
        return None
    for sig in all_sigs:
        raw = sig.sig_field.raw_get("/V") if "/V" in sig.sig_field else None
        if isinstance(raw, generic.IndirectObject) and raw.reference == ref:
            return sig
    return None


def _changed_between(reader, refs: set, first: int, last: int) -> bool:
    """Any of `refs` written in a revision after `first` up to `last` (0-based, inclusive)."""
    return any(refs & set(reader.xrefs.explicit_refs_in_revision(rev)) for rev in range(first + 1, last + 1))


def earlier_stamps(reader, base, annot_refs, all_sigs, revision: int, own_refs) -> list[tuple[int, int]]:
    """The stamps, among the annotations `annot_refs` of a page of the signed revision `base` (revision
    `revision`), of signatures signed in or before it and unchanged since: (object number, generation) each.
    `own_refs(annot)`: the objects that make a widget look as it does (itself aside)."""
    found = []
    for ref in annot_refs:
        try:
            widget = base.get_object(ref)
        except Exception:  # noqa: BLE001 - an unreadable annotation is no signed stamp
            continue
        sig = _signature_of(widget, all_sigs)
        if sig is None or sig.signed_revision > revision:
            continue
        if not _changed_between(reader, {ref} | own_refs(widget), sig.signed_revision, revision):
            found.append((ref.idnum, ref.generation))
    return found


def signed_later(reader, ref, widget, all_sigs, revision: int, own_refs: set) -> bool:
    """`widget` (at `ref`, as the file ends) is the stamp of a signature signed after revision `revision`, drawn
    as that signature signed it (`own_refs`: its field and appearance objects, unchanged since)."""
    sig = _signature_of(widget, all_sigs)
    if sig is None or sig.signed_revision <= revision:
        return False
    return not _changed_between(reader, {ref} | set(own_refs), sig.signed_revision,
                                reader.xrefs.total_revisions - 1)
