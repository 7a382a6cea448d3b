"""Art. 8 of Decision 508 on whole documents: title-bound signatures (8.2), signing on behalf with one's
own certificate (8.3), all required signatures present (8.5), attachments signed by the unit (8.7)."""

import pytest

from kyso.core.errors import InvalidInput
from kyso.pki.issuance import SubjectInfo
from kyso.signing.pdf import Appearance, sign_pdf
from kyso.signing.verify import verify_bytes


@pytest.fixture
def director(make):
    return make("person", SubjectInfo(common_name="Nguyễn Văn Giám", title="Giám đốc", email="giam@hanoi.vss.gov.vn",
                                      organizational_unit="BHXH quận Ba Đình"), key_spec="rsa2048")


@pytest.fixture
def deputy(make):
    return make("person", SubjectInfo(common_name="Lê Thị Phó", title="Phó Giám đốc", email="pho@hanoi.vss.gov.vn",
                                      organizational_unit="BHXH quận Ba Đình"), key_spec="rsa2048")


@pytest.fixture
def seal(make):
    return make("organization", key_spec="rsa2048")


def _sign(pdf, who, **kw):
    issued, key = who
    return sign_pdf(pdf, key, issued.certificate, level="B-B", **kw)


def test_official_document_needs_person_and_seal(director, seal, one_page_pdf):
    person_only = _sign(one_page_pdf, director)
    report = verify_bytes(person_only, doc_type="official")
    # Not complete yet (the seal can still be added): INDETERMINATE, as EN 319 102-1 classes constraints.
    assert (report.indication, report.sub_indication) == ("INDETERMINATE", "SIG_CONSTRAINTS_FAILURE")
    assert "policy.art8_5.incomplete" in report.codes

    both = _sign(person_only, seal, appearance=Appearance(kind="organization", organization="BHXH quận Ba Đình"))
    report = verify_bytes(both, doc_type="official", expected_title="Giám đốc")
    assert report.indication == "TOTAL_PASSED", report.to_dict()
    assert any(c.code == "policy.art8_5.complete" and c.ok for c in report.document_checks)


def test_title_bound_signature(deputy, seal, one_page_pdf):
    doc = _sign(one_page_pdf, deputy)
    report = verify_bytes(doc, doc_type="e-dossier", expected_title="Giám đốc")
    assert (report.indication, report.sub_indication) == ("INDETERMINATE", "SIG_CONSTRAINTS_FAILURE")
    assert "policy.art8_2.title" in report.codes
    # KT. Giám đốc: the deputy signs on behalf with her own certificate (Art. 8.3).
    report = verify_bytes(doc, doc_type="e-dossier", expected_title="Giám đốc", caption="KT.")
    assert report.indication == "TOTAL_PASSED", report.to_dict()


def test_attachment_needs_the_units_signature(director, seal, one_page_pdf):
    by_person = _sign(one_page_pdf, director)
    report = verify_bytes(by_person, doc_type="attachment")
    assert (report.indication, report.sub_indication) == ("INDETERMINATE", "SIG_CONSTRAINTS_FAILURE")
    by_unit = _sign(one_page_pdf, seal, appearance=Appearance(kind="attachment", document_number="15/QĐ-BHXH"))
    assert verify_bytes(by_unit, doc_type="attachment").indication == "TOTAL_PASSED"


def test_attachment_is_bound_to_its_main_document(director, seal, one_page_pdf):
    """Art. 8.7: the unit's signature on the separate file names the main document (its /Reason)."""
    by_unit = _sign(one_page_pdf, seal, appearance=Appearance(kind="attachment", document_number="15/QĐ-BHXH"))
    report = verify_bytes(by_unit, doc_type="attachment", main_document="15/QĐ-BHXH")
    assert report.indication == "TOTAL_PASSED", report.to_dict()
    assert report.signatures[0].reason == "Kèm theo văn bản số 15/QĐ-BHXH"
    assert any(c.code == "policy.art8_7.bound" and c.ok for c in report.document_checks)

    report = verify_bytes(by_unit, doc_type="attachment", main_document="99/QĐ-BHXH")
    assert (report.indication, report.sub_indication) == ("INDETERMINATE", "SIG_CONSTRAINTS_FAILURE")
    assert "policy.art8_7.not_bound" in report.codes
    # A person's signature naming the document does not make the file the unit's attachment.
    by_person = _sign(one_page_pdf, director, reason="Kèm theo văn bản số 15/QĐ-BHXH")
    assert "policy.art8_7.not_bound" in verify_bytes(by_person, main_document="15/QĐ-BHXH").codes


def test_unknown_document_type(pki, one_page_pdf):
    with pytest.raises(InvalidInput) as exc:
        verify_bytes(one_page_pdf, doc_type="menu")
    assert exc.value.code == "signing.policy.unknown_type"
