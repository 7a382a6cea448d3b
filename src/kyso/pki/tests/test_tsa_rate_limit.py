"""Issue 16 finding 13: the anonymous time-stamp endpoint is rate-limited per client address (429 with a clear
JSON error) and writes a row only for the tokens it grants."""

import pytest
from django.core.cache import cache
from django.test import Client

from kyso.pki.models import TimestampRecord
from kyso.pki.tsa import TimeStampResp

from .tools import openssl

pytestmark = pytest.mark.django_db


@pytest.fixture
def query(tmp_path):
    data = tmp_path / "d.xml"
    data.write_bytes(b"<hoSo>gioi han</hoSo>")
    out = tmp_path / "q.tsq"
    openssl("ts", "-query", "-data", str(data), "-sha256", "-out", str(out))
    cache.clear()
    yield out.read_bytes()
    cache.clear()


def _stamp(ip, body):
    return Client(REMOTE_ADDR=ip).post("/pki/tsa", data=body, content_type="application/timestamp-query")


def test_limit_per_address(pki, query, settings):
    settings.KYSO_TSA_RATE_PER_MINUTE = 5
    before = TimestampRecord.objects.count()
    for _ in range(5):
        r = _stamp("198.51.100.7", query)
        assert r.status_code == 200 and TimeStampResp.load(r.content)["status"]["status"].native == "granted"
    for _ in range(20):
        r = _stamp("198.51.100.7", query)
        assert r.status_code == 429 and 1 <= int(r["Retry-After"]) <= 61
    error = r.json()["error"]
    assert error["code"] == "pki.tsa.rate_limited" and "5" in error["message"] and "pki.tsa" not in error["message"]
    # another address is served
    assert _stamp("198.51.100.8", query).status_code == 200
    # one row per granted token, none for the 20 refused
    assert TimestampRecord.objects.count() == before + 6


def test_garbage_writes_nothing(pki, query, settings):
    settings.KYSO_TSA_RATE_PER_MINUTE = 1000
    before = TimestampRecord.objects.count()
    for i in range(30):
        r = _stamp("198.51.100.9", b"\x30\x03garbage" + bytes([i]))
        assert r.status_code == 200
        assert TimeStampResp.load(r.content)["status"]["status"].native == "rejection"
    assert TimestampRecord.objects.count() == before
