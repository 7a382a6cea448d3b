"""The registry API: register, list, read, dated changes, plans, the payment report as JSON, XLSX and PDF; bad
input answered with a stable code and nothing written."""

import pytest

from kyso.sims.models import SimSubscription

from .conftest import iccid

pytestmark = pytest.mark.django_db


def _err(resp):
    return resp.json()["error"]["code"]


def test_register_change_and_report_through_the_api(demo, api):
    it = api("cntt")
    holder = demo.person("NA", "Giám đốc")
    resp = it.post("/api/v1/sims/subscriptions/", {
        "holder": holder.email, "msisdn": "0911111111", "carrier": "viettel", "iccid": iccid(1),
        "in_service_on": "2026-03-10", "contract": "HĐ 12/2026"}, format="json")
    assert resp.status_code == 201, resp.content
    sub = resp.json()
    assert (sub["msisdn"], sub["plan"], sub["unit"], sub["state"]) == ("+84911111111", 3, "NA", "active")
    sid = sub["id"]
    resp = it.post(f"/api/v1/sims/subscriptions/{sid}/suspend/", {"effective_on": "2026-04-11",
                                                                   "reason": "Đi học"}, format="json")
    assert resp.json()["state"] == "suspended"
    resp = it.post(f"/api/v1/sims/subscriptions/{sid}/resume/", {"effective_on": "2026-04-21"}, format="json")
    resp = it.post(f"/api/v1/sims/subscriptions/{sid}/change/", {"effective_on": "2026-05-16", "plan": 1},
                   format="json")
    assert resp.json()["plan"] == 1 and resp.json()["data_fee_vnd"] == 150000
    assert [h["kind"] for h in resp.json()["history"]] == ["register", "suspend", "resume", "change"]
    rep = it.get("/api/v1/sims/report/?month=2026-04").json()
    assert rep["total_vnd"] == 80000 + 33333 and rep["groups"][0]["lines"][0]["days"] == 20
    xlsx = it.get("/api/v1/sims/report/?month=2026-04&output=xlsx")
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    pdf = it.get("/api/v1/sims/report/?month=2026-04&output=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    listed = it.get("/api/v1/sims/subscriptions/?q=0911111111").json()["results"]
    assert [s["id"] for s in listed] == [sid]
    assert api("kiemtoan").get(f"/api/v1/sims/subscriptions/{sid}/").status_code == 200
    assert api("hanoi").get(f"/api/v1/sims/subscriptions/{sid}/").status_code == 404


def test_bad_input_has_stable_codes_and_writes_nothing(demo, api):
    it = api("cntt")
    holder = demo.person("NA", "Giám đốc")
    base = {"holder": holder.email, "msisdn": "0911111111", "carrier": "viettel", "iccid": iccid(1),
            "in_service_on": "2026-03-10"}
    cases = [({"holder": "ai@vss.gov.vn"}, "sims.person.not_found"), ({"msisdn": "abc"}, "mobile.msisdn.invalid"),
             ({"iccid": "8984"}, "sims.iccid.invalid"), ({"in_service_on": "31/02/2026"}, "sims.date.invalid"),
             ({"plan": 9}, "sims.plan.not_found"), ({"unit": "NOPE"}, "org.unit.not_found"),
             ({"carrier": ["viettel"]}, "sims.field.invalid"), ({"data_fee_vnd": -1}, "sims.fee.invalid")]
    for change, code in cases:
        resp = it.post("/api/v1/sims/subscriptions/", {**base, **change}, format="json")
        assert resp.status_code == 400 and _err(resp) == code, (change, resp.content)
    assert not SimSubscription.objects.exists()
    sid = it.post("/api/v1/sims/subscriptions/", base, format="json").json()["id"]
    assert _err(it.post(f"/api/v1/sims/subscriptions/{sid}/explode/", {}, format="json")) == "sims.action.unknown"
    assert _err(it.post(f"/api/v1/sims/subscriptions/{sid}/end/", {"effective_on": "2026-04-01"},
                        format="json")) == "sims.reason.missing"
    assert _err(it.get("/api/v1/sims/report/?month=2026-13")) == "sims.month.invalid"
    assert it.get("/api/v1/sims/subscriptions/999999/").status_code == 404


def test_roles(demo, api):
    base = {"holder": demo.person("HN", "Giám đốc").email, "msisdn": "0911111111", "carrier": "viettel",
            "iccid": iccid(1), "in_service_on": "2026-03-10"}
    for username in ("hanoi", "kiemtoan", "thuebao"):
        resp = api(username).post("/api/v1/sims/subscriptions/", base, format="json")
        assert resp.status_code == 403 and _err(resp) == "forbidden"
    assert api("thuebao").get("/api/v1/sims/report/?month=2026-03").status_code == 403
    assert api("hanoi").get("/api/v1/sims/report/?month=2026-03&unit=HCM").status_code == 404
    assert api("hanoi").patch("/api/v1/sims/plans/1/", {"data_fee_vnd": 1}, format="json").status_code == 403
    resp = api("cntt").patch("/api/v1/sims/plans/1/", {"data_fee_vnd": 160000}, format="json")
    assert resp.status_code == 200 and resp.json()["data_fee_vnd"] == 160000
    plans = api("hanoi").get("/api/v1/sims/plans/").json()
    assert [p["tier"] for p in plans] == [1, 2, 3, 4]


def test_the_openapi_schema_lists_the_registry(api):
    resp = api("cntt").get("/api/schema/")
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "/api/v1/sims/subscriptions/" in body and "sims_payment_report" in body
