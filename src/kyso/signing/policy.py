"""Rules of use from Art. 8 of Decision 508 applied to a whole document, on top of the per-signature
checks: title-bound signatures (8.2, 8.3), completeness of a multi-signature document (8.5) and
attachments in a separate file (8.7). A document type names what it needs."""

from __future__ import annotations

from dataclasses import dataclass

from cryptography import x509
from django.utils.translation import gettext as _, gettext_lazy

from kyso.core.errors import InvalidInput

from . import report as r

CAPTIONS = ("KT.", "TL.", "TUQ.")


@dataclass(frozen=True)
class DocumentType:
    code: str
    label: str
    persons: int          # signatures of competent persons needed
    organizations: int    # signatures of the organisation (its seal) needed
    person_first: bool = True   # Decree 30, Art. 32: the seal goes onto what the person has signed


DOCUMENT_TYPES = {t.code: t for t in [
    DocumentType("official", gettext_lazy("Administrative document (decision, official letter)"), 1, 1),
    DocumentType("joint", gettext_lazy("Joint document (two competent persons and their seals)"), 2, 2),
    DocumentType("attachment", gettext_lazy("Attachment in a separate file (Art. 8.7)"), 0, 1, person_first=False),
    DocumentType("e-dossier", gettext_lazy("E-dossier from an employer or citizen"), 1, 0, person_first=False),
    DocumentType("any", gettext_lazy("Any signed document"), 0, 0, person_first=False),
]}


def check_type(code: str | None) -> DocumentType | None:
    if not code:
        return None
    if code not in DOCUMENT_TYPES:
        raise InvalidInput("signing.policy.unknown_type", gettext_lazy("Unknown document type %(code)s; use one of "
                                                                       "%(allowed)s."),
                           code=code, allowed=", ".join(DOCUMENT_TYPES))
    return DOCUMENT_TYPES[code]


def is_person(cert: x509.Certificate) -> bool:
    """A person's certificate names a person: a title or an e-mail address; an organisation's names a unit."""
    if cert.subject.get_attributes_for_oid(x509.NameOID.TITLE):
        return True
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        return bool(san.get_values_for_type(x509.RFC822Name))
    except x509.ExtensionNotFound:
        return False


def apply(report: r.DocumentReport, doc_type: DocumentType | None, *, expected_title: str = "",
          caption: str = "", main_document: str = "") -> None:
    """Add the Art. 8 checks to `report`."""
    if main_document:
        _attachment_binding(report, main_document)
    if doc_type is None:
        return
    valid = [(s, s.certificate) for s in report.signatures if s.certificate is not None and s.indication != r.FAILED]
    persons = [(s, c) for s, c in valid if is_person(c)]
    orgs = [(s, c) for s, c in valid if not is_person(c)]
    if len(persons) < doc_type.persons or len(orgs) < doc_type.organizations:
        report.fail_document(
            "policy.art8_5.incomplete", False,
            _("%(type)s needs %(p)s signature(s) of competent persons and %(o)s of the organisation; "
              "found %(fp)s and %(fo)s (Art. 8.5 of Decision 508).") % {
                "type": doc_type.label, "p": doc_type.persons, "o": doc_type.organizations,
                "fp": len(persons), "fo": len(orgs)},
            indication=r.INDETERMINATE, sub=r.SIG_CONSTRAINTS_FAILURE)
    elif doc_type.persons or doc_type.organizations:
        report.fail_document("policy.art8_5.complete", True, _("All required signatures are present (Art. 8.5)."),
                             indication=r.PASSED, sub="")
    if doc_type.person_first and persons and orgs:
        first_person = report.signatures.index(persons[0][0])
        first_org = report.signatures.index(orgs[0][0])
        if first_org < first_person:
            report.fail_document("policy.seal_before_person", False,
                                 _("The organisation's signature was placed before the competent person's "
                                   "(Decree 30, Art. 32)."), indication=r.INDETERMINATE, sub=r.SIG_CONSTRAINTS_FAILURE)
    if expected_title:
        for sig, cert in persons:
            title = sig.title or ""
            if caption in CAPTIONS:
                # Art. 8.3: signing on behalf uses the signer's own certificate; his own title is shown.
                continue
            if title.strip().casefold() != expected_title.strip().casefold():
                sig.check("policy.art8_2.title", False,
                          _("The certificate is bound to the title \"%(cert)s\", not \"%(expected)s\" (Art. 8.2 of "
                            "Decision 508); signing on behalf needs the caption KT., TL. or TUQ.") % {
                              "cert": title or "—", "expected": expected_title},
                          indeterminate=r.SIG_CONSTRAINTS_FAILURE)
            else:
                sig.check("policy.art8_2.title", True, _("The certificate's title matches the signing title "
                                                         "(Art. 8.2)."))


def _norm(text: str) -> str:
    return "".join(text.split()).casefold()


def _attachment_binding(report: r.DocumentReport, number: str) -> None:
    """Art. 8.7: an attachment in a separate file carries the organisation's signature naming its main document."""
    bound = [s for s in report.signatures if s.certificate is not None and s.indication != r.FAILED
             and not is_person(s.certificate) and _norm(number) in _norm(s.reason)]
    if bound:
        report.fail_document("policy.art8_7.bound", True,
                             _("The organisation's signature binds this attachment to document %(number)s "
                               "(Art. 8.7).") % {"number": number}, indication=r.PASSED, sub="")
    else:
        report.fail_document("policy.art8_7.not_bound", False,
                             _("No organisation signature binds this file to document %(number)s as its attachment "
                               "(Art. 8.7 of Decision 508).") % {"number": number},
                             indication=r.INDETERMINATE, sub=r.SIG_CONSTRAINTS_FAILURE)
