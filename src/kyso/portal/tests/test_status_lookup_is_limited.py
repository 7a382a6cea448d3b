"""The public dossier status is limited per address (security review, round 2).

Dossier codes follow a pattern — office, day, a four-digit number — so anyone could walk through them without
logging in and learn, for every office and day, which procedures (a child's health-insurance card, a pension) it
handles and when they are due. Now the API and the page answer at most KYSO_STATUS_RATE_PER_MINUTE look-ups a
minute per address, then 429 with Retry-After and a Vietnamese message; other addresses are not affected."""

import pytest
from django.core.cache import cache
from django.test import Client

pytestmark = pytest.mark.django_db

CODE = "000.01.11.G22-260123-0001"


@pytest.fixture(autouse=True)
def fresh_counters(settings):
    settings.KYSO_STATUS_RATE_PER_MINUTE = 3
    cache.clear()
    yield
    cache.clear()


def _api(ip, code=CODE):
    return Client(REMOTE_ADDR=ip).get(f"/api/v1/portal/status/{code}/")


def test_the_api_answers_429_after_the_limit(demo):
    answers = [_api("198.51.100.9", f"000.01.11.G22-260123-{i:04d}").status_code for i in range(1, 4)]
    assert 429 not in answers
    r = _api("198.51.100.9")
    assert r.status_code == 429 and 1 <= int(r["Retry-After"]) <= 61
    error = r.json()["error"]
    assert error["code"] == "portal.lookup.rate_limited" and "tối đa 3" in error["message"]
    assert _api("203.0.113.5").status_code != 429            # another address is not affected


def test_the_page_and_the_api_share_the_limit(demo):
    page = Client(REMOTE_ADDR="198.51.100.10", HTTP_ACCEPT_LANGUAGE="vi")
    for _ in range(3):
        assert page.get("/portal/status/", {"code": CODE}).status_code == 200
    r = page.get("/portal/status/", {"code": CODE})
    assert r.status_code == 429 and "tối đa 3" in r.content.decode()
    assert _api("198.51.100.10").status_code == 429


def test_zero_means_no_limit(demo, settings):
    settings.KYSO_STATUS_RATE_PER_MINUTE = 0
    assert all(_api("198.51.100.11").status_code != 429 for _ in range(10))
