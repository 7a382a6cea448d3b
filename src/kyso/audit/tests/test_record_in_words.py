"""The trail's record page names every field and value in words (issue 17, point 2): a field named only by its
identifier ("created by", "sent on", "from state") read in English, a state as its code ("signed", "good"), a
stored file's purpose as "lifecycle.form01", a verification report as a dict of check codes with TOTAL_PASSED,
a subject as "2.5.4.12=…", a carrier's status as OUTSTANDING_TRANSACTION, a month as 2026-11."""

import json

import pytest
from django.apps import apps
from django.utils import translation

from kyso.audit import display
from kyso.audit.models import AuditRecord
from kyso.core import pagecheck

# Names people read as they are: abbreviations of the trade.
AS_THEY_ARE = {"PIN", "OTP", "CCCD"}


@pytest.fixture
def vi():
    with translation.override("vi"):
        yield


def test_every_field_of_every_model_has_a_vietnamese_name(vi):
    english = {}
    for model in apps.get_models():
        if not model.__module__.startswith("kyso."):
            continue
        for field in model._meta.concrete_fields:
            for name in {field.name, field.attname}:
                label = display.field_label(model._meta.label_lower, name)
                if not pagecheck._VIETNAMESE.search(label) and label not in AS_THEY_ARE and label != "sau":
                    english[f"{model._meta.label_lower}.{name}"] = label
    assert not english, english


def _record(object_type, before, after):
    return AuditRecord(object_type=object_type, before=json.dumps(before) if before else "", after=json.dumps(after))


def test_stored_codes_read_as_words(vi):
    rows = display.changes(_record("lifecycle.requestlist", {"state": "draft"},
                                   {"state": "sent", "sent_on": "2026-12-07", "created_by_id": 5}))
    assert ("trạng thái", "Đang tổng hợp", "Đã gửi") in [(f.lower(), b, a) for f, b, a in rows]
    assert ("ngày gửi", "—", "07/12/2026") in rows
    assert ("người tạo", "—", "5") in rows
    [(_, _, purpose)] = display.changes(_record("files.storedfile", None, {"purpose": "lifecycle.form04"}))
    assert purpose == "Mẫu 04"
    [(_, _, verb)] = display.changes(_record("eoffice.event", None, {"verb": "registered"}))
    assert verb == "Vào sổ văn bản đến"
    [(_, _, status)] = display.changes(_record("mobile.mssptransaction", None, {"status": 504}))
    assert status == "đang chờ điện thoại"
    report = {"filename": "D02-TS.xml", "indication": "TOTAL_FAILED", "sub_indication": "HASH_FAILURE",
              "signatures": [{"checks": [{"code": "integrity.digest"}]}]}
    [(_, _, shown)] = display.changes(_record("portal.dossierfile", None, {"report": report}))
    assert shown == "D02-TS.xml: Không hợp lệ: văn bản đã bị thay đổi sau khi ký"
    [(_, _, subject)] = display.changes(_record("lifecycle.certificate", None,
                                                {"subject": "CN=Phạm Ngọc Lan,2.5.4.12=Chuyên viên,C=VN"}))
    assert subject == "Tên: Phạm Ngọc Lan · Chức danh: Chuyên viên · Quốc gia: VN"
    [(_, _, reason)] = display.changes(_record("pki.issuedcertificate", None, {"revocation_reason": "keyCompromise"}))
    assert reason == "khóa bí mật bị lộ hoặc nghi bị lộ"
    [(_, _, data)] = display.changes(_record("portal.dossier", None, {"data": {"period": "2026-11"}}))
    assert data == "kỳ: 11/2026"
    [(_, _, groups)] = display.changes(_record("sims.monthclose", None, {"groups": [
        {"carrier": "viettel", "lines": 1, "total_vnd": 200000, "unit": "VSS"}]}))
    assert groups == "nhà mạng: viettel; số thuê bao: 1; tổng tiền (đồng): 200000; đơn vị: VSS"
    for row in rows:
        assert not pagecheck.problems(f"<td>{row[0]}</td><td>{row[1]}</td><td>{row[2]}</td>")


def test_every_kind_of_record_and_every_step_reads_in_vietnamese(vi):
    """34 models without a verbose name were shown by their class ("issuance request", "mssp transaction"); a
    deadline's step by its key (it_review, revoke_1wd), a dossier's event by its action (supplement_request)."""
    english = {}
    for model in apps.get_models():
        if model.__module__.startswith("kyso."):
            kind = display.object_kind(model._meta.label_lower)
            if not pagecheck._VIETNAMESE.search(kind):
                english[model._meta.label_lower] = kind
    assert not english, english
    rows = display.changes(_record("lifecycle.step", None, {"name": "it_review", "subject_type": "request"}))
    assert ("tên", "—", "Trung tâm CNTT kiểm tra hồ sơ (3 ngày làm việc)") in [(f.lower(), b, a) for f, b, a in rows] \
        or any(a == "Trung tâm CNTT kiểm tra hồ sơ (3 ngày làm việc)" for _f, _b, a in rows)
    assert any(a == "đề nghị cấp chứng thư số" for _f, _b, a in rows), rows
    [(_, _, action)] = display.changes(_record("portal.dossierevent", None, {"action": "supplement_request"}))
    assert action == "Đã yêu cầu bổ sung" or not pagecheck.problems(f"<td>{action}</td>"), action
    assert "_" not in action
