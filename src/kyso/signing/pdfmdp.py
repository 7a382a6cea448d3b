"""DocMDP and FieldMDP (ISO 32000-2, 12.8.2.2 and 12.8.2.4): which DocMDP level is in force for a signature,
whether a certification signature is in its place (the document's first signature), which form fields a
signature locks — each entry read as a reader reads it, through indirect references (`entry`)."""

from __future__ import annotations

from pyhanko.pdf_utils import generic
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.fields import FieldMDPAction, FieldMDPSpec

# ISO 32000-2, 12.8.2.2.2: what each DocMDP level permits after signing (document timestamps and
# validation data are permitted at every level, ISO 32000-2 12.8.2.2.1 / ETSI EN 319 142-1).
PERMITTED = {1: ModificationLevel.LTA_UPDATES, 2: ModificationLevel.FORM_FILLING, 3: ModificationLevel.ANNOTATIONS}


def entry(d, key, default=None):
    """`d[key]` followed through an indirect reference, as every reader follows it (`dict.get` on a pyHanko
    dictionary does not: an indirect /AP, /Parent, /A, /Lock or /AcroForm was taken for no value at all)."""
    try:
        value = d.get(key, default)
        return value.get_object() if isinstance(value, generic.IndirectObject) else value
    except Exception:  # noqa: BLE001 - a dangling reference is no value
        return default


def effective_docmdp(emb, all_sigs) -> int | None:
    """The strictest DocMDP in force for `emb`: its own (certification or field lock /P) and that of the
    certification signature in force — the document's first signature, signed at or before `emb`'s revision.
    A certification signature after another signature certifies nothing (`misplaced_certification`)."""
    levels = []
    for other in all_sigs:
        if other is not emb and not (_is_certification(other) and not misplaced_certification(other, all_sigs)
                                     and other.signed_revision <= emb.signed_revision):
            continue
        try:
            perm = other.docmdp_level
        except Exception:  # noqa: BLE001 - a broken /Reference is judged on that signature
            continue
        if perm is not None:
            levels.append(int(perm.value))
    return min(levels) if levels else None


def misplaced_certification(emb, all_sigs) -> bool:
    """A certification signature that is not the document's first signature (ISO 32000-2, 12.8.2.2.1: a
    document has one DocMDP signature, its first signed field)."""
    return _is_certification(emb) and any(other.signed_revision < emb.signed_revision for other in all_sigs)


def _docmdp_reference(sig_object):
    refs = entry(sig_object, "/Reference")
    for ref in refs if isinstance(refs, generic.ArrayObject) else ():
        try:
            ref = ref.get_object()
        except Exception:  # noqa: BLE001
            continue
        if isinstance(ref, generic.DictionaryObject) and entry(ref, "/TransformMethod") == "/DocMDP":
            return ref
    return None


def _is_certification(emb) -> bool:
    return _docmdp_reference(emb.sig_object) is not None


def read_docmdp(sig_object, sig_field) -> int | None:
    """The DocMDP level a signature sets: its DocMDP transform's /P — 2 when /P or /TransformParams is absent
    (ISO 32000-2, Table 257) — else its field lock's /P; ValueError when that is none of 1, 2, 3."""
    ref = _docmdp_reference(sig_object)
    if ref is not None:
        params = entry(ref, "/TransformParams")
        value = entry(params, "/P", 2) if isinstance(params, generic.DictionaryObject) else 2
    else:
        lock = entry(sig_field, "/Lock") if isinstance(sig_field, generic.DictionaryObject) else None
        if not isinstance(lock, generic.DictionaryObject) or "/P" not in lock:
            return None
        value = entry(lock, "/P")
    if isinstance(value, bool) or not isinstance(value, int) or int(value) not in PERMITTED:
        raise ValueError(f"DocMDP /P {str(value)[:20]}")
    return int(value)


def field_locks(emb) -> FieldMDPSpec | None:
    try:
        spec = emb.fieldmdp
    except Exception:  # noqa: BLE001 - an unreadable /FieldMDP locks everything
        return FieldMDPSpec(action=_all_action())
    if spec is not None:
        return spec
    lock = entry(emb.sig_field, "/Lock")
    if isinstance(lock, generic.DictionaryObject) and "/Action" in lock:
        try:
            return FieldMDPSpec.from_pdf_object(lock)
        except (ValueError, KeyError):
            return FieldMDPSpec(action=_all_action())
    return None


def _all_action():
    return FieldMDPAction.ALL
