"""Art. 4.2.4: the CA refuses (the unit is told in writing, with the reason, within 2 working days) or
asks for a supplement (told within 2 working days, the unit completes within 5); the written notices are
archived. Due dates on the 2026 calendar across Tết (14–22/02/2026)."""

import datetime as dt
import io

import pytest
import time_machine
from pypdf import PdfReader

from kyso.files.storage import read
from kyso.lifecycle.models import IssuanceRequest, Record, RequestState

from .factories import in_state

VN = dt.timezone(dt.timedelta(hours=7))
URL = "/api/v1/lifecycle/requests/"


def at(day):
    return time_machine.travel(dt.datetime.fromisoformat(day + "T10:00:00").replace(tzinfo=VN), tick=False)


def due(r, name):
    return [s["due_on"] for s in r["steps"] if s["name"] == name]


def notice_text(req_id):
    rec = Record.objects.filter(form="notice", subject_type="request", subject_id=req_id).order_by("-id").first()
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(read(rec.pdf))).pages)


@pytest.fixture
def two_sent(api, demo):
    out = []
    for title in ("Giám đốc", "Văn thư"):
        p = demo.person("HN.BD", title)
        r = api("badinh").post(URL, {"kind": "person", "person": p.pk}, format="json").json()
        out.append(in_state(IssuanceRequest.objects.get(pk=r["id"]), RequestState.SENT_TO_CA))
    return out


@pytest.mark.django_db
def test_refusal_and_supplement_deadlines_across_tet(api, two_sent):
    cntt, badinh = api("cntt"), api("badinh")
    refused, supplement = two_sent
    with at("2026-02-12"):          # Thursday before Tết
        r = cntt.post(f"{URL}{refused.pk}/ca-outcome/", {"outcome": "refused", "reason": "Sai số CCCD"},
                      format="json").json()
        assert r["state"] == "refused" and due(r, "refusal_notice") == ["2026-02-23"]   # Fri 13, (Tết), Mon 23
        s = cntt.post(f"{URL}{supplement.pk}/ca-outcome/", {"outcome": "supplement",
                                                             "reason": "Thiếu văn bản xác nhận chức danh"},
                      format="json").json()
        assert s["state"] == "supplement" and due(s, "supplement_notice") == ["2026-02-23"]
    with at("2026-02-23"):
        cntt.post(f"{URL}{refused.pk}/notify-outcome/")
        s = cntt.post(f"{URL}{supplement.pk}/notify-outcome/").json()
        # five working days from Mon 23/02: 24, 25, 26, 27/02, 02/03
        assert due(s, "supplement_complete") == ["2026-03-02"]
        again = cntt.post(f"{URL}{supplement.pk}/notify-outcome/")
        assert again.status_code == 409 and again.json()["error"]["code"] == "lifecycle.request.already_notified"
    text = notice_text(refused.pk)
    assert "THÔNG BÁO" in text and "từ chối cấp chứng thư số" in text and "Sai số CCCD" in text
    assert "Kính gửi: BHXH quận Ba Đình" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    text = notice_text(supplement.pk)
    assert "bổ sung hồ sơ" in text and "02/03/2026" in text and "Thiếu văn bản xác nhận chức danh" in text
    with at("2026-02-27"):
        done = badinh.post(f"{URL}{supplement.pk}/supplement-done/", {"title": "Văn thư chính"}, format="json").json()
        assert done["state"] == "sent_to_ca" and done["title"] == "Văn thư chính"
        steps = {s["name"]: s for s in done["steps"]}
        assert steps["supplement_complete"]["done_on"] == "2026-02-27"
    assert cntt.post(f"{URL}{refused.pk}/handover-unit/").status_code == 409    # a refused request ends there
