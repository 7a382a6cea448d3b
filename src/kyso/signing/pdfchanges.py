"""What changed in a PDF after each signed revision, and whether the signature allows it.

pyHanko's difference analysis (its `StandardDiffPolicy` and whitelisting rules) explains every later
revision object by object; it is extended here where it is silent:

- annotations (ISO 32000-2, 12.8.2.2: DocMDP P=3 permits adding, deleting and changing them) are whitelisted
  at the ANNOTATIONS level by `AnnotationRule` — pyHanko rejects any new annotation on a page that a
  signature widget also points to;
- the DocMDP level in force is the strictest of the certification signature and the signature's own field
  lock (/Lock /P), and field locks are read from /Lock when the signature has no /FieldMDP reference;
- bytes after the signed range that are no complete, analysed update (incremental saving attack) make the
  change level OTHER (`pdfsyntax.appended_problem`);
- shadow attacks (hide, replace, hide-and-replace): every annotation or widget whose appearance appeared or
  changed after signing is visible change; `pdfvisual` tells whether it is drawn over what the signer saw
  (the page and its annotations; a real later signature's stamp may cover earlier signatures' stamps only,
  `pdfstamps`). A text or choice field given a value after signing without an appearance stream counts as a
  new appearance: readers (poppler, pdf.js, Acrobat) build one from /DA and /V;
- an annotation added or changed after signing that carries an action other than opening a link or a page
  (JavaScript, SetOCGState, Hide, Launch, …) is no harmless annotation even where DocMDP P=3 permits
  annotations: it can change what the document shows.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from pyhanko.pdf_utils import generic
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, ModificationLevel, StandardDiffPolicy
from pyhanko.sign.diff_analysis.commons import compare_dicts
from pyhanko.sign.diff_analysis.policy_api import SuspiciousModification
from pyhanko.sign.diff_analysis.rules_api import QualifiedWhitelistRule, ReferenceUpdate
from pyhanko.sign.fields import MDPPerm

from . import pdfstamps, pdfsyntax, pdfvisual, pdfxref
from .pdfmdp import PERMITTED, effective_docmdp, entry as _get, field_locks

log = logging.getLogger(__name__)

LEVEL_NAMES = {ModificationLevel.NONE: "none", ModificationLevel.LTA_UPDATES: "lta_updates",
               ModificationLevel.FORM_FILLING: "form_filling", ModificationLevel.ANNOTATIONS: "annotations",
               ModificationLevel.OTHER: "other"}
# An approval signature without DocMDP: later signatures and form filling, as pyHanko and readers accept.
APPROVAL_DEFAULT = ModificationLevel.FORM_FILLING
FLAG_HIDDEN, FLAG_PRINT, FLAG_NOVIEW, FLAG_TOGGLE_NOVIEW = 1 << 1, 1 << 2, 1 << 5, 1 << 8
# actions an annotation may carry after signing: they show another place or page, they change nothing
SAFE_ACTIONS = frozenset({"/URI", "/GoTo", "/GoToR"})
ANNOTATION_KEYS = frozenset({"/AP", "/Popup", "/A", "/AA"})


def _refs(arr) -> list[generic.Reference]:
    if isinstance(arr, generic.IndirectObject):
        arr = arr.get_object()
    if not isinstance(arr, generic.ArrayObject):
        return []
    return [v.reference for v in arr if isinstance(v, generic.IndirectObject)]


def _pages(root_pages, seen=None):
    """(reference, page dictionary) of every page, in order; cycles end the walk."""
    seen = seen if seen is not None else set()
    for ref in _refs(_get(root_pages, "/Kids")):
        if ref in seen or len(seen) > 10000:
            continue
        seen.add(ref)
        node = ref.get_object() if hasattr(ref, "get_object") else None
        if not isinstance(node, generic.DictionaryObject):
            continue
        if _get(node, "/Type") == "/Pages":
            yield from _pages(node, seen)
        else:
            yield ref, node


def _is_widget(annot) -> bool:
    return isinstance(annot, generic.DictionaryObject) and _get(annot, "/Subtype") == "/Widget"


class AnnotationRule(QualifiedWhitelistRule):
    """Whitelist annotations (not widgets: form fields have their own rules) added, changed or deleted on a
    page whose dictionary otherwise stays the same, at level ANNOTATIONS."""

    def apply_qualified(self, old, new):
        try:
            old_pages = list(_pages(old.root["/Pages"]))
            new_pages = list(_pages(new.root["/Pages"]))
        except (KeyError, TypeError, AttributeError):
            return
        if [r for r, _p in old_pages] != [r for r, _p in new_pages]:
            return
        new_xrefs = new.explicit_refs_in_revision()
        for (ref, old_page), (_ref, new_page) in zip(old_pages, new_pages):
            old_annots = set(_refs(_get(old_page, "/Annots")))
            new_annots = set(_refs(_get(new_page, "/Annots")))
            # changed annotations: the dictionary itself, or only an appearance (action, popup) of its own
            touched = [a for a in new_annots & old_annots
                       if a in new_xrefs or _owned_refs(new.get_object(a)) & new_xrefs]
            added, deleted = new_annots - old_annots, old_annots - new_annots
            if not (added or deleted or touched):
                continue
            if any(_is_widget(new.get_object(a)) for a in added | set(touched)) \
                    or any(_is_widget(old.get_object(a)) for a in deleted):
                continue        # widgets are form fields: judged by the form rules
            if added or deleted:
                try:
                    compare_dicts(old_page, new_page, frozenset(["/Annots"]))
                except (SuspiciousModification, Exception):  # noqa: BLE001 - other page changes stay unexplained
                    continue
                yield ModificationLevel.ANNOTATIONS, ReferenceUpdate(ref)
                annots_raw = new_page.raw_get("/Annots")
                if isinstance(annots_raw, generic.IndirectObject):
                    yield ModificationLevel.ANNOTATIONS, ReferenceUpdate(annots_raw.reference)
            for a in added | set(touched):
                before = _historical(old, a) if a in touched else None
                if before is None and not old.is_ref_unassignable(a):
                    continue        # an object of the signed revision (page content, …) listed as a new annotation
                yield ModificationLevel.ANNOTATIONS, ReferenceUpdate(a)
                owned = _owned_refs(before) if before is not None else set()
                for sub in _owned_refs(new.get_object(a)):
                    # what a new or changed annotation draws or runs: objects of its own, or those it had
                    # when signed — never another object of the signed revision redefined through it
                    if old.is_ref_unassignable(sub) or (sub in owned and _drawn_only_by_annotations(old, sub)):
                        yield ModificationLevel.ANNOTATIONS, ReferenceUpdate(sub)


def _drawn_only_by_annotations(old, ref) -> bool:
    """In the signed revision, every way to `ref` passes through an annotation's appearance, popup or action —
    not, say, a page's resources (an appearance stream the page also draws as an XObject)."""
    old._load_reverse_xref_cache()      # pyHanko's own map of the paths to each object (its diff policy uses it)
    return all(any(node in ANNOTATION_KEYS for node in path) for path in old._get_usages_of_ref(ref))


def _owned_refs(annot) -> set:
    """The objects an annotation draws or runs: its appearance dictionaries and streams, its popup, its
    actions."""
    if not isinstance(annot, generic.DictionaryObject):
        return set()
    refs = _appearance_refs(annot)
    for key in ("/Popup", "/A", "/AA"):
        raw = annot.raw_get(key) if key in annot else None
        if isinstance(raw, generic.IndirectObject):
            refs.add(raw.reference)
    aa = _get(annot, "/AA")
    if isinstance(aa, generic.DictionaryObject):
        refs |= {aa.raw_get(k).reference for k in aa if isinstance(aa.raw_get(k), generic.IndirectObject)}
    return refs


POLICY = StandardDiffPolicy(global_rules=[*DEFAULT_DIFF_POLICY.global_rules, AnnotationRule()],
                            form_rule=DEFAULT_DIFF_POLICY.form_rule)


@dataclass
class Changes:
    level: str = "none"                 # none, lta_updates, form_filling, annotations, other
    revisions: int = 0                  # revisions after the signed one
    docmdp: int | None = None           # DocMDP level in force (1, 2, 3) or None
    objects: list[int] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)      # 1-based
    fields: list[str] = field(default_factory=list)
    visible: list[str] = field(default_factory=list)    # what a person sees differently (active language)
    problems: list[str] = field(default_factory=list)   # why the changes are not permitted (active language)
    overlays: int = 0                   # appearances drawn over signed page content after signing

    @property
    def permitted(self) -> bool:
        return not self.problems

    @property
    def level_label(self) -> str:
        return level_label(self.level)

    def to_dict(self) -> dict:
        return {"level": self.level, "level_label": str(self.level_label), "revisions": self.revisions, "docmdp": self.docmdp,
                "objects": self.objects, "pages": self.pages, "fields": self.fields,
                "visible": [str(v) for v in self.visible], "problems": [str(p) for p in self.problems],
                "permitted": self.permitted}


def level_label(level: str) -> str:
    return {"none": _("no change"), "lta_updates": _("validation data and time-stamps"),
            "form_filling": _("form filling and signing"), "annotations": _("annotations"),
            "other": _("other changes")}[level]


def analyse(emb, all_sigs, data: bytes, signed_end: int) -> Changes:
    reader = emb.reader
    out = Changes()
    docmdp = effective_docmdp(emb, all_sigs)
    out.docmdp = docmdp
    allowed = PERMITTED.get(docmdp, APPROVAL_DEFAULT)
    level = ModificationLevel.NONE
    appended = pdfsyntax.appended_problem(data, reader, signed_end, emb.signed_revision)
    if appended:
        log.debug("appended data after signature %s: %s", emb.field_name, appended)
        level = ModificationLevel.OTHER
        out.problems.append(_("Bytes were appended after the signed part of the file without a complete "
                              "cross-reference section (incremental saving attack); some readers show them."))
        out.visible.append(_("A reader that parses the appended bytes may show content that was not signed."))
    ambiguous = pdfxref.later_problem(data, reader, signed_end, emb.signed_revision)
    if ambiguous:
        log.debug("file after signature %s read differently by other readers: %s", emb.field_name, ambiguous)
        level = ModificationLevel.OTHER
        out.problems.append(_("The part of the file after the signed revision is malformed or ambiguous (its "
                              "cross-reference sections, hidden object headers or linearization), so other "
                              "PDF readers may show different content than what was verified."))
        out.visible.append(_("A PDF reader may show content that was not signed."))
    total = reader.xrefs.total_revisions
    out.revisions = max(total - emb.signed_revision - 1, 0)
    locks = field_locks(emb)
    mdp = MDPPerm(docmdp) if docmdp else None
    changed_refs: set = set()
    if out.revisions:
        base = reader.get_historical_resolver(emb.signed_revision)
        for rev in range(emb.signed_revision + 1, total):
            changed_refs |= set(reader.xrefs.explicit_refs_in_revision(rev))
            try:
                result = POLICY.apply(old=base, new=reader.get_historical_resolver(rev), field_mdp_spec=locks,
                                      doc_mdp=mdp)
            except SuspiciousModification as exc:
                log.debug("revision %s after %s not explained: %s", rev, emb.field_name, exc)
                level = ModificationLevel.OTHER
                out.problems.append(_locked_or_other(str(exc)))
                continue
            except Exception as exc:  # noqa: BLE001 - an unreadable revision is an unexplained one
                log.debug("revision %s after %s unreadable: %s", rev, emb.field_name, exc)
                level = ModificationLevel.OTHER
                out.problems.append(_("A later revision of the file cannot be read."))
                continue
            level = max(level, result.modification_level)
            out.fields = sorted(set(out.fields) | set(result.changed_form_fields))
    out.objects = sorted({r.idnum for r in changed_refs})
    if level > allowed and level != ModificationLevel.OTHER:
        out.problems.append(_not_permitted(level, docmdp))
    out.level = LEVEL_NAMES[level]
    try:
        _visible(emb, all_sigs, data, signed_end, changed_refs, out)
    except Exception as exc:  # noqa: BLE001 - a page that cannot be read after signing is not explained
        log.debug("pages after %s unreadable: %s", emb.field_name, exc)
        out.level = LEVEL_NAMES[ModificationLevel.OTHER]
        out.problems.append(_("A later revision of the file cannot be read."))
    return out


def _locked_or_other(message: str) -> str:
    if "locked" in message:
        return _("A form field locked by the signature was changed after signing.")
    if "DocMDP" in message or "certification" in message:
        return _("The certification of the document does not permit this change.")
    return _("The file was changed after signing in a way no signature permits (content, pages or "
             "document structure).")


def _not_permitted(level, docmdp) -> str:
    what = {ModificationLevel.LTA_UPDATES: _("validation data and time-stamps"),
            ModificationLevel.FORM_FILLING: _("form filling and signing"),
            ModificationLevel.ANNOTATIONS: _("annotations")}[level]
    if docmdp is None:
        return _("Changes of the kind \"%(what)s\" were made after signing; an approval signature permits only "
                 "signing and form filling.") % {"what": what}
    return _("Changes of the kind \"%(what)s\" were made after signing; the certification (DocMDP level "
             "%(p)s) does not permit them.") % {"what": what, "p": docmdp}


def _visible(emb, all_sigs, data: bytes, signed_end: int, changed_refs: set, out: Changes) -> None:
    """Annotations and widgets that appeared or got a new appearance after signing (shadow attacks). Each is
    compared with everything the signer saw under it; a later signature's stamp may cover only earlier
    signatures' stamps (`pdfstamps`)."""
    reader = emb.reader
    if not changed_refs:
        return
    # /NeedAppearances turned on after signing: readers redraw every text and choice field from its value,
    # so each such widget is judged as a new appearance (a field holding a value over signed words)
    now_redrawn = _need_appearances(reader.root)
    redrawn = now_redrawn and not _need_appearances(reader.get_historical_resolver(emb.signed_revision).root)

    try:
        pages = list(_pages(reader.root["/Pages"]))
    except Exception:  # noqa: BLE001
        return
    signed = data[:signed_end]
    try:
        old_pages = [p for _r, p in _pages(reader.get_historical_resolver(emb.signed_revision).root["/Pages"])]
    except Exception:  # noqa: BLE001
        old_pages = []
    base = reader.get_historical_resolver(emb.signed_revision)
    unexplained = _("The file was changed after signing in a way no signature permits (content, pages or "
                    "document structure).")
    for number, (page_ref, page) in enumerate(pages, 1):
        old_page = old_pages[number - 1] if number <= len(old_pages) else None
        # what the page draws, compared byte for byte with what was signed: never a permitted change, whatever
        # rule cleared the objects that hold it (an annotation's appearance redefining the content stream, …)
        content_changed = old_page is None or _content_bytes(old_page) != _content_bytes(page)
        touched = page_ref in changed_refs or content_changed
        if content_changed:
            out.visible.append(_("Page %(page)s: what the page itself shows was changed after signing.") % {
                "page": number})
            out.level = LEVEL_NAMES[ModificationLevel.OTHER]
            if unexplained not in out.problems:
                out.problems.append(unexplained)
        annots = _refs(_get(page, "/Annots"))
        if touched or any(a in changed_refs for a in annots):
            out.pages.append(number)
        for a in annots:
            annot = a.get_object()
            if not isinstance(annot, generic.DictionaryObject):
                continue
            ap_refs = _appearance_refs(annot)
            if a in changed_refs and _actions(annot) and _actions(annot) != _actions(_historical(base, a)):
                out.problems.append(_("Page %(page)s: %(what)s added or changed after signing runs an action "
                                      "(JavaScript, showing hidden content, …) that can change what the document "
                                      "shows.") % {"page": number, "what": _annot_name(annot)})
            text_field = _field_type(annot) in ("/Tx", "/Ch")
            before = _historical(base, a)
            if text_field and _value(before) and (now_redrawn or _without_appearance(annot)) and \
                    not _invisible(annot, True) and _drawn_with(before, base.root) != _drawn_with(annot, reader.root):
                out.visible.append(_("Page %(page)s: %(what)s draws its signed value otherwise than when it was "
                                     "signed (its font or appearance settings were changed).") % {
                                         "page": number, "what": _annot_name(annot)})
                out.problems.append(_("A form field's signed value is drawn with another font or appearance than "
                                      "when it was signed."))
            # a value set on the widget or on a parent field it inherits /V from
            value_changed = a in changed_refs or bool(_parent_refs(annot) & changed_refs)
            redraw = text_field and (redrawn or (value_changed and _without_appearance(annot)))
            if a not in changed_refs and not (ap_refs & changed_refs) and not redraw:
                continue
            if _invisible(annot, redraw):
                continue
            name = _annot_name(annot)
            rect = _rect(annot)
            box = _box(old_page) if old_page is not None else None
            hide = [(a.idnum, a.generation)]
            if pdfstamps.signed_later(reader, a, annot, all_sigs, emb.signed_revision, _stamp_refs(annot)):
                # a later signer's stamp may lie over an earlier signer's (Decree 30), never over anything else
                hide += pdfstamps.earlier_stamps(reader, base, _refs(_get(old_page, "/Annots")), all_sigs,
                                                 emb.signed_revision, _stamp_refs)
            covers = pdfvisual.covers_content(signed, number - 1, rect, box, rotate=_rotation(old_page),
                                              flags=_flags(annot), hide=hide)
            if covers is False:
                out.visible.append(_("Page %(page)s: %(what)s shows new content in an empty area.") % {
                    "page": number, "what": name})
                continue
            out.overlays += 1
            out.visible.append(_("Page %(page)s: %(what)s is drawn over content that was signed; a reader sees "
                                 "other text or images in that place than the signer saw.") % {
                                     "page": number, "what": name})
            out.problems.append(_("An appearance added or changed after signing covers signed page content "
                                  "(shadow attack)."))
    out.pages = sorted(set(out.pages))


def _historical(base, ref):
    try:
        return base.get_object(ref)
    except Exception:  # noqa: BLE001 - not in the signed revision: added after it
        return None


def _actions(annot) -> list[str]:
    """The actions of an annotation (/A, /AA, their /Next chains) other than safe ones, as comparable text."""
    if not isinstance(annot, generic.DictionaryObject):
        return []
    found: list[str] = []
    todo = [("/A", _get(annot, "/A"))]
    aa = _get(annot, "/AA")
    if isinstance(aa, generic.DictionaryObject):
        todo += [(f"/AA{key}", _get(aa, key)) for key in aa]
    seen = 0
    while todo and seen < 64:
        seen += 1
        where, action = todo.pop()
        if not isinstance(action, generic.DictionaryObject):
            continue
        kind = str(_get(action, "/S"))
        if kind not in SAFE_ACTIONS:
            found.append(f"{where}{kind}{_get(action, '/JS')!r}{_get(action, '/State')!r}")
        nxt = _get(action, "/Next")
        for item in (nxt if isinstance(nxt, generic.ArrayObject) else [nxt]):
            todo.append((where, item.get_object() if isinstance(item, generic.IndirectObject) else item))
    return sorted(found)


def _without_appearance(annot) -> bool:
    """A field holding a value with no normal appearance: readers draw the value themselves."""
    ap = _get(annot, "/AP")
    if isinstance(ap, generic.DictionaryObject) and "/N" in ap:
        return False
    return _value(annot)


def _value(annot) -> bool:
    """The field of a widget (or a parent it inherits /V from) holds a value that is not blank."""
    node, depth = annot, 0
    while isinstance(node, generic.DictionaryObject) and depth < 32:
        if "/V" in node:
            return bool(str(_get(node, "/V") or "").strip())
        node, depth = _get(node, "/Parent"), depth + 1
    return False


def _drawn_with(annot, root) -> tuple:
    """What a reader draws a field's value with when it draws it itself (no appearance stream, or
    /NeedAppearances): the /DA in force (the widget's, a parent's or the form's) and the form's /DR fonts it
    names (a font added after signing under that name changes the drawing too)."""
    form = _get(root, "/AcroForm")
    form = form if isinstance(form, generic.DictionaryObject) else generic.DictionaryObject()
    da, node, depth = None, annot, 0
    while da is None and isinstance(node, generic.DictionaryObject) and depth < 32:
        da = str(_get(node, "/DA")) if "/DA" in node else None
        node, depth = _get(node, "/Parent"), depth + 1
    da = da if da is not None else str(_get(form, "/DA") or "")
    resources = _get(form, "/DR")
    fonts = _get(resources, "/Font") if isinstance(resources, generic.DictionaryObject) else None
    names = re.findall(r"/([^\s/\[\]()<>{}%]+)\s+[-+\d.]+\s+Tf", da)
    return da, tuple(repr(_get(fonts, "/" + n)) if isinstance(fonts, generic.DictionaryObject) else None
                     for n in names)


def _parent_refs(annot) -> set:
    """The references of the fields above a widget (its /Parent chain)."""
    refs, node = set(), annot
    while isinstance(node, generic.DictionaryObject) and len(refs) < 32:
        raw = node.raw_get("/Parent") if "/Parent" in node else None
        if not isinstance(raw, generic.IndirectObject) or raw.reference in refs:
            break
        refs.add(raw.reference)
        node = _get(node, "/Parent")
    return refs


def _appearance_refs(annot) -> set:
    refs = set()
    ap = _get(annot, "/AP")
    if isinstance(annot.raw_get("/AP") if "/AP" in annot else None, generic.IndirectObject):
        refs.add(annot.raw_get("/AP").reference)
    if not isinstance(ap, generic.DictionaryObject):
        return refs
    for key in ap:
        raw = ap.raw_get(key)
        if isinstance(raw, generic.IndirectObject):
            refs.add(raw.reference)
        val = _get(ap, key)
        if isinstance(val, generic.DictionaryObject) and not isinstance(val, generic.StreamObject):
            for k in val:
                sub = val.raw_get(k)
                if isinstance(sub, generic.IndirectObject):
                    refs.add(sub.reference)
    return refs


def _content_bytes(page) -> tuple:
    """The decoded content streams a page draws, in order (None for one that cannot be decoded)."""
    raw = _get(page, "/Contents")
    streams = raw if isinstance(raw, generic.ArrayObject) else [raw]
    out = []
    for item in list(streams)[:1000]:
        item = item.get_object() if isinstance(item, generic.IndirectObject) else item
        try:
            out.append(item.data if isinstance(item, generic.StreamObject) else repr(item))
        except Exception:  # noqa: BLE001 - an undecodable stream is compared by what it is
            out.append(None)
    return tuple(out)


def _box(page):
    """The crop box a reader shows (inherited from the page tree like the media box, ISO 32000-2 7.7.3.4),
    else the media box."""
    found: dict = {}
    node, depth = page, 0
    while isinstance(node, generic.DictionaryObject) and depth < 64:
        for key in ("/CropBox", "/MediaBox"):
            if key not in found and key in node:
                found[key] = _get(node, key)
        node, depth = _get(node, "/Parent"), depth + 1
    try:
        x1, y1, x2, y2 = (float(v) for v in found.get("/CropBox", found.get("/MediaBox")))
    except (TypeError, ValueError):
        return None
    return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)


def _rect(annot) -> tuple[float, float, float, float] | None:
    try:
        x1, y1, x2, y2 = (float(v) for v in _get(annot, "/Rect"))
    except (TypeError, ValueError):
        return None
    return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)


def _need_appearances(root) -> bool:
    try:
        form = _get(root, "/AcroForm")
        return isinstance(form, generic.DictionaryObject) and bool(_get(form, "/NeedAppearances", False))
    except Exception:  # noqa: BLE001 - an unreadable form asks for nothing
        return False


def _field_type(annot):
    node, depth = annot, 0
    while isinstance(node, generic.DictionaryObject) and depth < 32:
        if "/FT" in node:
            return _get(node, "/FT")
        node, depth = _get(node, "/Parent"), depth + 1
    return None


def _flags(annot) -> int:
    """The annotation flags (ISO 32000-2, 12.5.3); 0 when unreadable."""
    try:
        return int(_get(annot, "/F", 0))
    except (TypeError, ValueError):
        return 0


def _stamp_refs(widget) -> set:
    """The objects that make a widget look as it does, itself aside: its fields and appearances."""
    return _parent_refs(widget) | _appearance_refs(widget)


def _invisible(annot, redraw: bool = False) -> bool:
    flags = _flags(annot)
    if flags & FLAG_HIDDEN or (flags & FLAG_NOVIEW and not flags & (FLAG_TOGGLE_NOVIEW | FLAG_PRINT)):
        # NoView with ToggleNoView: shown when the pointer is over it or it is selected; with Print: on paper
        return True
    rect = _rect(annot)
    if rect is not None and (rect[2] - rect[0] < 0.5 or rect[3] - rect[1] < 0.5):
        return True
    ap = _get(annot, "/AP")
    if not redraw and (not isinstance(ap, generic.DictionaryObject) or "/N" not in ap):
        return _get(annot, "/Subtype") in ("/Widget", "/Link", "/Popup")
    return False


def _is_signature(annot) -> bool:
    return _get(annot, "/Subtype") == "/Widget" and (
        _get(annot, "/FT") == "/Sig" or _get(_get(annot, "/Parent") or {}, "/FT") == "/Sig")


def _rotation(page) -> int:
    """/Rotate of a page (inherited from its page tree nodes); 0 when absent or not a multiple of 90."""
    node, depth = page, 0
    while isinstance(node, generic.DictionaryObject) and depth < 64:
        if "/Rotate" in node:
            try:
                value = int(node["/Rotate"])
            except (TypeError, ValueError):
                return 0
            return value % 360 if value % 90 == 0 else 0
        node, depth = _get(node, "/Parent"), depth + 1
    return 0


def _annot_name(annot) -> str:
    if _get(annot, "/Subtype") == "/Widget":
        name = str(_get(annot, "/T") or _get(_get(annot, "/Parent") or {}, "/T") or "")
        if _is_signature(annot):
            return _("the signature stamp \"%(name)s\"") % {"name": name}
        return _("the form field \"%(name)s\"") % {"name": name}
    kind = str(_get(annot, "/Subtype") or "/Annot")[1:]
    return _("an annotation (%(kind)s)") % {"kind": kind}
