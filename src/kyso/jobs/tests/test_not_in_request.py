"""No job runs inside an HTTP request: bulk revocation answers 202 with the job's address before any certificate
is touched (even after the request's commit hooks ran); a worker does the work; the job's page and API show
its progress and outcome in Vietnamese."""

import pytest
from django.test import Client

from kyso.audit import chain
from kyso.jobs.models import Job
from kyso.jobs.worker import drain
from kyso.lifecycle.models import Certificate, RevocationRequest
from kyso.lifecycle.tests.factories import certificate_for

URL = "/api/v1/lifecycle/certificates/bulk-revoke/"


@pytest.mark.django_db
def test_the_answer_comes_before_the_work(api, demo, django_capture_on_commit_callbacks):
    certs = [certificate_for("person", person=demo.person("HN.BD", t)) for t in ("Giám đốc", "Chuyên viên")]
    with django_capture_on_commit_callbacks(execute=True) as hooks:
        resp = api("badinh").post(URL, {"certificates": [c.pk for c in certs], "reason": "d",
                                        "detail": "Đơn vị giải thể"}, format="json")
    assert resp.status_code == 202
    body = resp.json()
    assert body["state"] == "queued" and body["done"] == 0 and body["total"] == 2
    assert body["url"] == f"/api/v1/jobs/{body['id']}/" and body["page"] == f"/jobs/{body['id']}/"
    work = [h for h in hooks if not chain.is_own_hook(h)]   # the audit trail's checkpoint copy aside,
    assert len(work) == 1                                   # the hook only announces the job
    assert not RevocationRequest.objects.exists()
    assert set(Certificate.objects.filter(pk__in=[c.pk for c in certs]).values_list("status", flat=True)) == {"active"}

    c = Client()
    c.force_login(demo.user("badinh"))
    waiting = c.get(body["page"]).content.decode()
    assert "Đang chờ" in waiting and "Thu hồi hàng loạt chứng thư số" in waiting

    assert drain() == 1
    done = api("badinh").get(body["url"]).json()
    assert (done["state"], done["done"], done["percent"], done["failed"]) == ("finished", 2, 100, [])
    page = c.get(body["page"]).content.decode()
    assert "Đã xong" in page and "Đã xong 2, bị từ chối 0, trên tổng số 2" in page
    assert RevocationRequest.objects.filter(certificate__in=certs).count() == 2
    # someone outside the unit's scope does not see the job
    assert api("hcm").get(body["url"]).status_code == 404


@pytest.mark.django_db
def test_the_unit_page_submits_and_redirects_to_the_job(demo):
    certificate_for("person", person=demo.person("HN.BD", "Giám đốc"))
    c = Client()
    c.force_login(demo.user("badinh"))
    resp = c.post("/lifecycle/bulk/", {"unit": demo.unit("HN.BD").pk, "reason": "d", "detail": "Sáp nhập"})
    job = Job.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/jobs/{job.pk}/"
    assert job.state == "queued" and not RevocationRequest.objects.exists()
