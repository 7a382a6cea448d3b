"""The registry's pages: the list with search, registration with errors shown in the form, a line's page with
its changes, import, the plans and the payment report (HTML, XLSX, PDF); roles decide what is shown."""

import pytest

from kyso.jobs.worker import drain
from kyso.sims.models import DataPlan, SimSubscription

from .conftest import iccid

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(client, demo):
    def as_(username):
        client.force_login(demo.user(username))
        return client
    return as_


def test_register_through_the_form_and_act_on_the_line(demo, login):
    c = login("cntt")
    assert c.get("/sims/").status_code == 200
    holder = demo.person("NA", "Giám đốc")
    resp = c.post("/sims/new/", {"holder": holder.email, "msisdn": "0911111111", "carrier": "viettel",
                                 "iccid": "8984", "in_service_on": "2026-03-10"})
    assert resp.status_code == 400 and "ICCID" in resp.content.decode()
    assert not SimSubscription.objects.exists()
    resp = c.post("/sims/new/", {"holder": holder.email, "msisdn": "0911111111", "carrier": "viettel",
                                 "iccid": iccid(1), "in_service_on": "2026-03-10"})
    sub = SimSubscription.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/sims/{sub.pk}/"
    page = c.get(f"/sims/{sub.pk}/").content.decode()
    assert "0911111111" in page and holder.full_name in page
    resp = c.post(f"/sims/{sub.pk}/", {"action": "suspend", "effective_on": "2026-04-11", "reason": ""})
    assert resp.status_code == 400
    resp = c.post(f"/sims/{sub.pk}/", {"action": "suspend", "effective_on": "2026-04-11", "reason": "Đi học"})
    assert resp.status_code == 302
    sub.refresh_from_db()
    assert sub.state == "suspended"
    assert c.get("/sims/?q=0911111111").content.decode().count(f"/sims/{sub.pk}/") == 1
    page = c.get("/sims/payment/?month=2026-03").content.decode()
    assert holder.full_name in page
    assert c.get("/sims/payment/?month=2026-03&output=xlsx").content.startswith(b"PK")
    assert c.get("/sims/payment/?month=2026-03&output=pdf").content.startswith(b"%PDF-")
    assert c.get("/sims/payment/?month=bad").status_code == 200   # shown with an error, last month instead


def test_the_unit_officer_sees_his_units_lines_without_actions(demo, login, register):
    hn = register(demo.person("HN", "Giám đốc"), "0911000001")
    na = register(demo.person("NA", "Giám đốc"), "0911000002")
    c = login("hanoi")
    page = c.get("/sims/").content.decode()
    assert f"/sims/{hn.pk}/" in page and f"/sims/{na.pk}/" not in page
    assert "/sims/new/" not in page
    assert c.get(f"/sims/{na.pk}/").status_code == 404
    assert 'name="action"' not in c.get(f"/sims/{hn.pk}/").content.decode()
    assert c.post(f"/sims/{hn.pk}/", {"action": "end", "effective_on": "2026-04-01", "reason": "x"}).status_code == 403
    assert c.get("/sims/new/").status_code == 403
    assert c.get("/sims/import/").status_code == 403


def test_import_and_plans_pages(demo, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = login("cntt")
    data = ("email,msisdn,carrier,iccid,in_service_on\n"
            f"{demo.person('DN', 'Giám đốc').email},0911111111,viettel,{iccid(1)},01/03/2026\n"
            f"{demo.person('DN', 'Phó Giám đốc').email},0911111112,viettel,8984,01/03/2026\n").encode()
    resp = c.post("/sims/import/", {"file": SimpleUploadedFile("ds.csv", data)})
    assert resp.status_code == 302 and resp["Location"].startswith("/jobs/")   # a job: never run in the request
    assert drain() == 1
    page = c.get(resp["Location"]).content.decode()
    assert "phải gồm 19 hoặc 20 chữ số" in page and "sims.iccid" not in page and "Dòng" in page
    assert not SimSubscription.objects.exists()
    assert c.get("/sims/plans/").status_code == 200
    resp = c.post("/sims/plans/", {"tier": "2", "name": "Phó Tổng Giám đốc và các chức danh tương đương",
                                   "title_rules": "Phó Tổng Giám đốc @hq", "high_speed_mb_per_day": "3072",
                                   "throttled_down_kbps": "128", "throttled_up_kbps": "128",
                                   "data_fee_vnd": "155000", "line_fee_vnd": "50000", "connection_fee_vnd": "35000",
                                   "is_active": "1"})
    assert resp.status_code == 302 and DataPlan.objects.get(tier=2).data_fee_vnd == 155000
    resp = c.post("/sims/plans/", {"tier": "2", "name": "", "data_fee_vnd": "x", "is_active": "1"})
    assert resp.status_code == 400 and DataPlan.objects.get(tier=2).name.startswith("Phó Tổng")
    c = login("hanoi")
    assert c.get("/sims/plans/").status_code == 200
    assert c.post("/sims/plans/", {"tier": "2", "data_fee_vnd": "1"}).status_code == 403


def test_a_subscriber_has_no_registry(login):
    c = login("thuebao")
    assert c.get("/sims/").status_code == 403
    assert c.get("/sims/payment/").status_code == 403


def test_a_lines_forms_keep_what_was_typed_after_an_error(demo, login, register):
    """A suspension or a change refused (an impossible day) showed the page again with every field blank: the
    reason, the new certificate's serial and the day typed were lost (issue 17: forms keep what was typed)."""
    line = register(demo.person("NA", "Giám đốc"), "0911222333")
    c = login("cntt")
    resp = c.post(f"/sims/{line.pk}/", {"action": "suspend", "effective_on": "31/02/2026", "reason": "Nghỉ phép dài"})
    body = resp.content.decode()
    assert resp.status_code == 400 and 'value="31/02/2026"' in body and 'value="Nghỉ phép dài"' in body
    resp = c.post(f"/sims/{line.pk}/", {"action": "change", "effective_on": "30/02/2026", "plan": "",
                                        "data_fee": "120000", "line_fee": "0", "certificate": "54AB01",
                                        "reason": "Gia hạn chứng thư"})
    body = resp.content.decode()
    assert resp.status_code == 400 and 'value="30/02/2026"' in body and 'value="54AB01"' in body
    assert 'value="Gia hạn chứng thư"' in body and 'value="120000"' in body
    assert body.count('value="Nghỉ phép dài"') == 0          # the other form does not take this one's values
