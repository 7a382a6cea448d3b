"""The verdict corpus, PDF certification and hostile structure (`corpus_pdf_certification`): certification
signatures out of place or with odd DocMDP parameters, signature dictionaries posing as document time-stamps or
shared between fields, FieldMDP locks evaded, /ByteRange and CMS malformations, updates without /Prev or with
/Encrypt, fonts and catalogue actions changed, annotations that hide themselves until hovered, and dictionaries a
reader cannot walk. Each case: the ETSI EN 319 102-1 indication and sub-indication, a one-line reason, and where
a document has several signatures, the indication of each; CLI, API and the ETSI report must agree."""

from __future__ import annotations

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.sign.fields import FieldMDPAction, FieldMDPSpec, MDPPerm

from . import corpus_attacks as A
from . import corpus_pdf as P
from . import corpus_pdf_certification as Z
from .test_verdict_corpus import FAILED, FORMAT, INDET, PASSED, SIG_CONSTRAINTS, assert_case

N = generic.NameObject


def _signed(k, base=None, **kw):
    return k.pdf.sign(base if base is not None else P.base_pdf(), **kw)


def _p(k, level, base=None, **kw):
    return _signed(k, base, certify=level, **kw)


def _hand(k, base=None, **kw):
    return A.hand_sign(base if base is not None else P.base_pdf(), k.cert, k.key, k.chain, **kw)


def _certify(k, p=None, base=None, **kw):
    return Z.certify_by_hand(base if base is not None else P.base_pdf(), k.cert, k.key, k.chain, p, **kw)


def _locked(k):
    """The text field "Ghi chu" (empty paper) locked by the signature's FieldMDP."""
    return _signed(k, P.base_pdf(P.BLANK_RECT), lock=FieldMDPSpec(action=FieldMDPAction.INCLUDE, fields=["Ghi chu"]))


def _range(text):
    return lambda k: _hand(k, range_text=lambda n: text(*n))


def _drawn():
    return Z.base_value_drawn_by_reader(P.BLANK_RECT)


def _doc_timestamp_cms_p1(k):
    """Certified P=1, then a CMS signature whose dictionary says /Type /DocTimeStamp (an LTA update for a
    difference analysis that trusts the type)."""
    return _hand(k, _p(k, MDPPerm.NO_CHANGES), type_="/DocTimeStamp", name="Sig2")


CASES = [
    # certification signatures (ISO 32000-2, 12.8.2.2.1: one DocMDP signature, the first signed field)
    ("cert-after-approval", lambda k: _certify(k, 1, _signed(k), name="Sig2", perms=False), INDET, SIG_CONSTRAINTS,
     "a certification signature (P=1) after an approval one: a document is certified by its first signature only; "
     "the approval signature stays valid (its P=1 is not in force for it)", [PASSED, INDET]),
    ("cert-after-approval-perms", lambda k: _certify(k, 1, _signed(k), name="Sig2"), INDET, SIG_CONSTRAINTS,
     "the same, the second signer also setting the catalogue's /Perms: a catalogue change no approval permits",
     [INDET, INDET]),
    ("cert-second-certification", lambda k: _certify(k, 3, _p(k, MDPPerm.ANNOTATE), name="Sig2", perms=False), INDET,
     SIG_CONSTRAINTS, "a second certification signature after a P=3 certification", [PASSED, INDET]),
    ("pdf-perms-names-approval", lambda k: _hand(k, perms=True), PASSED, None,
     "/Perms /DocMDP names a signature without DocMDP transform: an approval signature, untouched", None),
    ("pdf-docmdp-p-absent", lambda k: _certify(k), PASSED, None,
     "a certification without /P (ISO 32000-2 Table 257: default 2), untouched", None),
    ("pdf-docmdp-p-absent-fill", lambda k: P.fill_field(_certify(k, base=P.base_pdf(P.BLANK_RECT)), b"Da nhan"),
     PASSED, None, "a certification without /P (P=2) permits filling a field in an empty area", None),
    ("docmdp-p-absent-annotation", lambda k: P.add_annotation(_certify(k), P.BLANK_RECT), INDET, SIG_CONSTRAINTS,
     "a certification without /P (P=2) does not permit an annotation", None),
    ("docmdp-no-transform-params-annotation", lambda k: P.add_annotation(_certify(k, params=False), P.BLANK_RECT),
     INDET, SIG_CONSTRAINTS, "a DocMDP reference without /TransformParams (P=2): no annotation", None),
    ("docmdp-p-out-of-range", lambda k: _certify(k, 4), FAILED, FORMAT,
     "DocMDP /P 4 (valid values 1, 2, 3): the signature's permissions cannot be read", None),
    ("docmdp-p1-cms-as-doc-timestamp", _doc_timestamp_cms_p1, FAILED, FORMAT,
     "P=1, then a CMS signature whose dictionary claims /Type /DocTimeStamp (only ETSI.RFC3161 is a "
     "time-stamp): a malformed signature, not an LTA update", None),
    ("usf-doc-timestamp-type-tampered", lambda k: Z.tamper_signed_words(_hand(k, type_="/DocTimeStamp")), FAILED,
     FORMAT, "the only signature says /Type /DocTimeStamp over a CMS signature, the words changed", None),
    ("usf-rfc3161-subfilter-on-sig", lambda k: _hand(k, subfilter="/ETSI.RFC3161"), FAILED, FORMAT,
     "/Type /Sig with /SubFilter ETSI.RFC3161 over a CMS signature (a time-stamp sub-filter)", None),
    ("usf-no-subfilter", lambda k: _hand(k, subfilter=None), FAILED, FORMAT,
     "a signature dictionary without /SubFilter: no PAdES signature format named", None),
    ("pdf-no-type-entry", lambda k: _hand(k, type_=None), PASSED, None,
     "a signature dictionary without /Type (optional, ISO 32000-2 Table 255)", None),
    # one signature value shown as two
    ("usf-shared-signature-value", lambda k: Z.shared_signature_value(_signed(k)), FAILED, FORMAT,
     "a second field added whose /V is the first field's signature dictionary", None),
    ("usf-direct-signature-copy", lambda k: Z.direct_signature_copy(_signed(k)), FAILED, FORMAT,
     "a second field added whose direct /V copies the first /ByteRange and /Contents with another /Reason", None),
    # FieldMDP
    ("fieldmdp-locked-renamed", lambda k: Z.rename_and_fill(_locked(k)), INDET, SIG_CONSTRAINTS,
     "the locked field renamed (no lock names it any more) and filled", None),
    ("fieldmdp-locked-reflagged", lambda k: Z.reflag(_locked(k)), INDET, SIG_CONSTRAINTS,
     "only the flags of the locked field change (Password: its value drawn as dots)", None),
    ("fieldmdp-locked-redrawn", lambda k: Z.redraw_only(_locked(k)), INDET, SIG_CONSTRAINTS,
     "only the appearance of the locked field is replaced", None),
    ("fieldmdp-locked-removed", lambda k: Z.remove_field(_locked(k)), INDET, SIG_CONSTRAINTS,
     "the locked field taken out of the form and the page", None),
    # /ByteRange and /Contents
    ("usf-byterange-six-numbers", _range(lambda a, b, c, d: b"[0 %d %d %d %d 0]" % (b, c, d - 1, d + c - 1)),
     FAILED, FORMAT, "/ByteRange with three ranges (PAdES: exactly two around /Contents)", None),
    ("usf-byterange-swapped", _range(lambda a, b, c, d: b"[%d %d 0 %d]" % (c, d, b)), FAILED, FORMAT,
     "/ByteRange listing the second range first", None),
    ("usf-byterange-real", _range(lambda a, b, c, d: b"[0 %d.0 %d %d]" % (b, c, d)), FAILED, FORMAT,
     "/ByteRange with a real number", None),
    ("usf-byterange-after-start", _range(lambda a, b, c, d: b"[1 %d %d %d]" % (b - 1, c, d)), FAILED, FORMAT,
     "/ByteRange starting at byte 1: the header is not signed", None),
    ("usf-byterange-huge", _range(lambda a, b, c, d: b"[0 %d %d 99999999999999999999]" % (b, c)), FAILED, FORMAT,
     "/ByteRange with a length past any integer type", None),
    ("usf-cms-no-signer-info", lambda k: _hand(k, cms=Z.no_signer_infos(k.cert, k.key, k.chain)), FAILED, FORMAT,
     "/Contents a SignedData with certificates but no SignerInfo", None),
    ("usf-cms-data-content-info", lambda k: _hand(k, cms=Z.data_content_info), FAILED, FORMAT,
     "/Contents a ContentInfo of type data (the digest, unsigned)", None),
    # incremental updates
    ("isa-table-no-prev", lambda k: Z.update_without_prev(_signed(k)), INDET, SIG_CONSTRAINTS,
     "a complete update redefining the content whose cross-reference table has no /Prev", None),
    ("isa-xref-stream-no-prev", lambda k: Z.update_without_prev(_signed(k), xref="stream"), INDET, SIG_CONSTRAINTS,
     "the same with a cross-reference stream", None),
    ("isa-pages-redefined", lambda k: Z.pages_redefined(_signed(k)), INDET, SIG_CONSTRAINTS,
     "the page tree node redefined with a new page", None),
    ("isa-encrypt-added", lambda k: Z.encrypt_added(_signed(k)), INDET, SIG_CONSTRAINTS,
     "an update adding /Encrypt to the trailer: every signed string and stream is read decrypted", None),
    ("isa-new-catalog", lambda k: Z.new_catalog(_signed(k)), INDET, SIG_CONSTRAINTS,
     "a new catalogue object with a JavaScript /OpenAction named by the trailer", None),
    # shadow attacks
    ("shadow-font-redefined", lambda k: Z.font_redefined(_signed(k)), INDET, SIG_CONSTRAINTS,
     "the font redefined in place: '1' drawn as '9'", None),
    ("shadow-font-repointed", lambda k: Z.font_repointed(_signed(k)), INDET, SIG_CONSTRAINTS,
     "the page's /F1 re-pointed at another font", None),
    ("shadow-catalog-actions-p3", lambda k: Z.catalog_actions(_p(k, MDPPerm.ANNOTATE)), INDET, SIG_CONSTRAINTS,
     "document actions (/AA /WC, /WP) added under P=3", None),
    ("shadow-ocg-base-state-off", lambda k: Z.ocg_base_state_off(_signed(k, A.base_ocg(on=True))), INDET,
     SIG_CONSTRAINTS, "/BaseState /OFF: a layer visible when signed disappears", None),
    ("shadow-indirect-annots-p3", lambda k: Z.annotate_through_array(_p(k, MDPPerm.ANNOTATE, Z.base_indirect_annots()),
                                                                      P.TEXT_RECT), INDET, SIG_CONSTRAINTS,
     "P=3: an opaque FreeText over the signed words added through the page's indirect /Annots array", None),
    ("pdf-indirect-annots-blank-p3", lambda k: Z.annotate_through_array(
        _p(k, MDPPerm.ANNOTATE, Z.base_indirect_annots()), P.BLANK_RECT), PASSED, None,
     "P=3: the same FreeText in an empty area is a permitted annotation", None),
    ("shadow-toggle-noview-p3", lambda k: A.add_markup(_p(k, MDPPerm.ANNOTATE), P.TEXT_RECT, "/FreeText",
                                                       flags=(1 << 5) | (1 << 8)), INDET, SIG_CONSTRAINTS,
     "P=3: a FreeText over signed words flagged NoView and ToggleNoView (shown when the pointer is over it)", None),
    ("shadow-print-only-p3", lambda k: A.add_markup(_p(k, MDPPerm.ANNOTATE), P.TEXT_RECT, "/FreeText",
                                                    flags=(1 << 5) | (1 << 2)), INDET, SIG_CONSTRAINTS,
     "P=3: a FreeText over signed words flagged NoView and Print: not on screen, on every printed copy", None),
    ("pdf-print-only-blank-p3", lambda k: A.add_markup(_p(k, MDPPerm.ANNOTATE), P.BLANK_RECT, "/FreeText",
                                                       flags=(1 << 5) | (1 << 2)), PASSED, None,
     "P=3: the same in an empty area is a permitted annotation", None),
    ("shadow-partial-overlap-p3", lambda k: A.add_markup(_p(k, MDPPerm.ANNOTATE), (250, 680, 450, 740), "/Stamp"),
     INDET, SIG_CONSTRAINTS, "P=3: a Stamp lying half over the end of the signed words", None),
    ("shadow-huge-rect-p3", lambda k: A.add_markup(_p(k, MDPPerm.ANNOTATE), (-5000, -5000, 5000, 5000), "/Square",
                                                   ap=False), INDET, SIG_CONSTRAINTS,
     "P=3: a white Square whose rectangle is larger than the page", None),
    ("evil-widget-without-field-p3", lambda k: Z.widget_without_field(_p(k, MDPPerm.ANNOTATE), P.TEXT_RECT), INDET,
     SIG_CONSTRAINTS, "P=3: a widget of no form field, opaque, over the signed words", None),
    ("pdf-annotation-deleted-p3", lambda k: Z.remove_markup(_p(k, MDPPerm.ANNOTATE, A.add_markup(
        P.base_pdf(), P.BLANK_RECT, "/FreeText"))), PASSED, None,
     "P=3 permits deleting an annotation (ISO 32000-2, 12.8.2.2.2)", None),
    ("annotation-deleted-p2", lambda k: Z.remove_markup(_p(k, MDPPerm.FILL_FORMS, A.add_markup(
        P.base_pdf(), P.BLANK_RECT, "/FreeText"))), INDET, SIG_CONSTRAINTS,
     "P=2 does not permit deleting an annotation", None),
    ("pdf-annotation-text-changed-p3", lambda k: Z.change_markup_text(_p(k, MDPPerm.ANNOTATE, A.add_markup(
        P.base_pdf(), P.BLANK_RECT, "/FreeText"))), PASSED, None,
     "P=3 permits changing an annotation's text (its appearance stays)", None),
    # values reached through an indirect reference (a reader follows it: so must the verifier)
    ("shadow-fill-indirect-appearance", lambda k: Z.fill_with_indirect_appearance(_signed(k, P.base_pdf(P.TEXT_RECT))),
     INDET, SIG_CONSTRAINTS, "a field over signed words filled, its /AP dictionary an object of its own", None),
    ("shadow-fill-rotation-inherited", lambda k: P.fill_field(_signed(k, Z.base_inherited(P.TEXT_RECT, rotate=90))),
     INDET, SIG_CONSTRAINTS, "shadow replace on a page turned by the /Rotate it inherits from the page tree", None),
    ("pdf-fill-mediabox-inherited", lambda k: P.fill_field(_signed(k, Z.base_inherited(P.BLANK_RECT, mediabox=True)),
                                                           b"Da nhan"), PASSED, None,
     "form filling over empty paper on a page that inherits its /MediaBox", None),
    ("shadow-fill-mediabox-inherited", lambda k: P.fill_field(_signed(k, Z.base_inherited(P.TEXT_RECT, mediabox=True))),
     INDET, SIG_CONSTRAINTS, "shadow replace on a page that inherits its /MediaBox", None),
    ("js-link-indirect-action-p3", lambda k: Z.link_indirect_action(_p(k, MDPPerm.ANNOTATE), P.BLANK_RECT), INDET,
     SIG_CONSTRAINTS, "P=3: a link in an empty area whose /A is an indirect JavaScript action", None),
    ("shadow-need-appearances-indirect-form", lambda k: A.need_appearances(_signed(k, Z.indirect_acroform(
        A.base_field_value()))), INDET, SIG_CONSTRAINTS,
     "/NeedAppearances turned on in an /AcroForm that is an object of its own: the value is drawn over signed words",
     None),
    ("fieldmdp-lock-indirect", lambda k: P.fill_field(_hand(k, P.base_pdf(P.BLANK_RECT),
                                                            field_extra=Z.indirect_lock(["Ghi chu"])), b"x"),
     INDET, SIG_CONSTRAINTS, "the signature field's /Lock (an object of its own, no /Reference) locks the filled "
     "field", None),
    ("cert-indirect-reference-p1", lambda k: P.fill_field(Z.certify_indirect(P.base_pdf(P.BLANK_RECT), k.cert, k.key,
                                                                             k.chain, 1), b"x"),
     INDET, SIG_CONSTRAINTS, "a P=1 certification whose /Reference array is an object of its own, then filling",
     None),
    ("shadow-kid-widget-value", lambda k: Z.fill_parent(_signed(k, Z.base_kid_widget(P.TEXT_RECT))), INDET,
     SIG_CONSTRAINTS, "a text field whose kid widget (over signed words, no appearance) gets a value on the "
     "parent: readers draw it", None),
    ("pdf-kid-widget-value-blank", lambda k: Z.fill_parent(_signed(k, Z.base_kid_widget(P.BLANK_RECT)), "Da nhan"),
     PASSED, None, "the same field over empty paper: permitted form filling", None),
    # the CMS in /Contents (outside the byte range: anybody may rewrite it)
    ("usf-cms-two-signer-infos", lambda k: _hand(k, cms=Z.two_signer_infos(k.cert, k.key, k.chain)), FAILED, FORMAT,
     "two SignerInfos in a PDF signature (ISO 32000-2 12.8.3.3.1: only a single signer), both valid", None),
    ("usf-cms-second-signer-info-broken", lambda k: _hand(k, cms=Z.two_signer_infos(k.cert, k.key, k.chain, True)),
     FAILED, FORMAT, "two SignerInfos, the second over other bytes: never judged unless refused", None),
    ("usf-detached-cms-with-content", lambda k: _hand(k, cms=Z.attached_other_content(k.cert, k.key, k.chain)),
     FAILED, FORMAT, "adbe.pkcs7.detached over a CMS encapsulating and signing other content (a detached "
     "signature holds no content, RFC 5652 5.2)", None),
    # what else may change after signing
    ("shadow-own-stamp-redrawn", lambda k: Z.redraw_stamp(_signed(k, visible_rect=P.BLANK_RECT)), INDET,
     SIG_CONSTRAINTS, "the signature's own visible stamp redrawn with other words after signing", None),
    ("shadow-form-da-white", lambda k: Z.form_defaults_changed(_signed(k, _drawn()), da=b"/Helv 24 Tf 1 g"), INDET,
     SIG_CONSTRAINTS, "a signed value that readers draw from the form's /DA: the /DA turned white after signing",
     None),
    ("shadow-form-dr-font", lambda k: Z.form_defaults_changed(_signed(k, _drawn()), font=True), INDET,
     SIG_CONSTRAINTS, "the same value: the form's default font replaced by one that draws '1' as '9'", None),
    ("shadow-field-da-white", lambda k: Z.field_da(_signed(k, _drawn()), b"/Helv 24 Tf 1 g"), INDET, SIG_CONSTRAINTS,
     "the same value: a white /DA given to the field itself after signing", None),
    ("pdf-form-da-changed-no-drawn-value", lambda k: Z.form_defaults_changed(_signed(k, P.base_pdf(P.BLANK_RECT)),
                                                                              da=b"/Helv 12 Tf 0 g"), PASSED, None,
     "the form's /DA changed where every field has its own appearance: nothing drawn from it", None),
    ("pdf-link-indirect-uri-p3", lambda k: Z.link_indirect_uri(_p(k, MDPPerm.ANNOTATE), P.BLANK_RECT), PASSED, None,
     "P=3: a link to a web page whose action is an object of its own: a permitted annotation", None),
    ("isa-content-as-appearance-p3", lambda k: Z.content_as_annotation_appearance(_p(k, MDPPerm.ANNOTATE)), INDET,
     SIG_CONSTRAINTS, "P=3: a hidden annotation whose appearance is the page content object, redefined", None),
    ("isa-content-as-annotation-p3", lambda k: Z.content_as_annotation(_p(k, MDPPerm.ANNOTATE)), INDET,
     SIG_CONSTRAINTS, "P=3: the page content object redefined as a hidden annotation of the page", None),
    ("shadow-shared-appearance-p3", lambda k: Z.redefine_shared_appearance(_p(k, MDPPerm.ANNOTATE,
                                                                               Z.base_shared_appearance())),
     INDET, SIG_CONSTRAINTS, "P=3: an annotation's appearance stream redefined that the page also draws as an "
     "XObject", None),
    ("pdf-annotation-redrawn-p3", lambda k: Z.redraw_markup(_p(k, MDPPerm.ANNOTATE, A.add_markup(
        P.base_pdf(), P.BLANK_RECT, "/FreeText"))), PASSED, None,
     "P=3: a signed comment in an empty area redrawn in place (its own appearance stream): permitted", None),
    ("shadow-stamp-moved", lambda k: Z.move_stamp(_signed(k, visible_rect=P.BLANK_RECT), P.TEXT_RECT), INDET,
     SIG_CONSTRAINTS, "the signature's own visible stamp moved over the signed words after signing", None),
    ("shadow-stamp-repointed", lambda k: Z.repoint_stamp(_signed(k, visible_rect=P.BLANK_RECT)), INDET,
     SIG_CONSTRAINTS, "the signature's own visible stamp given a new appearance with other words", None),
    ("shadow-field-moved", lambda k: Z.move_field(P.fill_field(_signed(k, P.base_pdf(P.BLANK_RECT)), b"Da nhan"),
                                                  P.TEXT_RECT), INDET, SIG_CONSTRAINTS,
     "a filled field moved over the signed words", None),
    ("shadow-combo-display-changed", lambda k: Z.combo_display_changed(_signed(k, Z.base_combo(P.BLANK_RECT))),
     INDET, SIG_CONSTRAINTS, "a combo box whose chosen option's display text (/Opt) changes after signing", None),
    # dictionaries a reader cannot walk: a verdict, never an error
    ("malformed-field-name-lone-surrogate", lambda k: _hand(k, name=generic.ByteStringObject(
        b"\xfe\xff\xd8\x00\x00K\x00\x01")), PASSED, None,
     "the field named in UTF-16 with a lone surrogate and a control character: a name, not a reason to fail", None),
    ("malformed-reason-control-chars", lambda k: _hand(k, extra={N("/Reason"): generic.ByteStringObject(
        b"Dong y\x00\x07\x1b\x0b")}), PASSED, None, "/Reason with NUL, BEL, ESC and VT", None),
    ("malformed-value-not-dictionary", lambda k: Z.field_value_edit(_signed(k), b"42"), FAILED, FORMAT,
     "the signature field's /V redefined as a number", None),
    ("malformed-value-dangling", lambda k: Z.field_value_edit(_signed(k), b"9999 0 R"), FAILED, FORMAT,
     "the signature field's /V names an object that does not exist", None),
    ("malformed-field-kids-cycle", lambda k: Z.fields_cycle(_signed(k)), INDET, SIG_CONSTRAINTS,
     "the signature field made its own kid in a later update", None),
    ("malformed-deep-nesting", lambda k: Z.deep_nesting(_signed(k)), INDET, SIG_CONSTRAINTS,
     "a later update whose catalogue holds an array nested 20 000 deep", None),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_pdf_certification_corpus(kit, case, tmp_path, capsys):
    name, build, indication, sub, reason, each = case
    cli = assert_case(build(kit), f"{name}.pdf", indication, sub, reason, tmp_path, capsys)
    if each is not None:
        assert [s["indication"] for s in cli["signatures"]] == each, (name, cli["signatures"])
    for s in cli["signatures"]:     # what a person reads: Vietnamese, no English left in a reason
        assert not any(w in c["message"].lower() for c in s["checks"] for w in ("signature", "certification")), s
