"""Two jobs on the same records: the second is refused at submission with `jobs.overlap` (in Vietnamese), nothing
of it written; once the first has ended, its records are free again."""

import pytest

from kyso.jobs.models import Job, JobLock
from kyso.jobs.worker import drain
from kyso.lifecycle.models import RevocationRequest
from kyso.lifecycle.tests.factories import ba_dinh_certificates

URL = "/api/v1/lifecycle/certificates/bulk-revoke/"


@pytest.fixture
def certs(demo):
    return ba_dinh_certificates(demo)


@pytest.mark.django_db
def test_overlapping_job_is_refused_until_the_first_ends(api, demo, certs, django_capture_on_commit_callbacks):
    body = {"certificates": [c.pk for c in certs[:2]], "reason": "d", "detail": "Đơn vị giải thể"}
    with django_capture_on_commit_callbacks(execute=True):
        first = api("badinh").post(URL, body, format="json")
    assert first.status_code == 202
    # one certificate in common, submitted before the first job ran
    resp = api("badinh").post(URL, {"certificates": [certs[1].pk, certs[2].pk], "reason": "d", "detail": "Sáp nhập"},
                            format="json")
    assert resp.status_code == 409
    err = resp.json()["error"]
    assert err["code"] == "jobs.overlap" and f"số {first.json()['id']}" in err["message"]
    assert "đang xử lý" in err["message"]
    assert Job.objects.count() == 1 and JobLock.objects.count() == 2
    # the unit's page says the same
    page = demo.client("badinh").post("/lifecycle/bulk/", {"unit": demo.unit("HN.BD").pk, "reason": "d",
                                                             "detail": "lần hai"}, follow=True)
    assert "đang xử lý" in page.content.decode() and Job.objects.count() == 1

    assert drain() == 1
    assert not JobLock.objects.exists()               # the ended job frees its records
    resp = api("badinh").post(URL, {"certificates": [certs[2].pk], "reason": "d", "detail": "Sáp nhập"}, format="json")
    assert resp.status_code == 202
    drain()
    assert RevocationRequest.objects.filter(certificate__in=certs).count() == 3   # each exactly once
