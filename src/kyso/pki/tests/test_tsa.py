"""RFC 3161 time-stamps accepted by `openssl ts -verify`; malformed requests get a rejection."""

import pytest
from asn1crypto import tsp

from kyso.pki.tsa import TimeStampResp

from .tools import openssl, write_chain

pytestmark = pytest.mark.django_db


def _query(tmp_path, *extra):
    data = tmp_path / "document.pdf"
    data.write_bytes(b"%PDF-1.7 van ban can dong dau thoi gian")
    query = tmp_path / "q.tsq"
    openssl("ts", "-query", "-data", str(data), "-sha256", "-cert", *extra, "-out", str(query))
    return data, query


def test_openssl_ts_verify_accepts_our_reply(client, pki, tmp_path):
    data, query = _query(tmp_path)
    r = client.post("/pki/tsa", data=query.read_bytes(), content_type="application/timestamp-query")
    assert r.status_code == 200 and r["Content-Type"] == "application/timestamp-reply"
    reply = tmp_path / "r.tsr"
    reply.write_bytes(r.content)
    out = openssl("ts", "-verify", "-data", str(data), "-in", str(reply), "-CAfile", str(write_chain(tmp_path))).stdout.decode()
    assert "Verification: OK" in out
    text = openssl("ts", "-reply", "-in", str(reply), "-text").stdout.decode()
    assert "Status: Granted" in text and "Policy OID: 2.999.8466.1.2" in text


def test_nonce_and_no_cert(client, pki, tmp_path):
    data = tmp_path / "d.xml"
    data.write_bytes(b"<hoSo/>")
    query = tmp_path / "q.tsq"
    openssl("ts", "-query", "-data", str(data), "-sha512", "-out", str(query))  # nonce by default, no -cert
    r = client.post("/pki/tsa", data=query.read_bytes(), content_type="application/timestamp-query")
    resp = tsp.TimeStampResp.load(r.content)
    assert resp["status"]["status"].native == "granted"
    tst = resp["time_stamp_token"]["content"]["encap_content_info"]["content"].parsed
    req = tsp.TimeStampReq.load(query.read_bytes())
    assert tst["nonce"].native == req["nonce"].native
    assert len(resp["time_stamp_token"]["content"]["certificates"]) == 0


@pytest.mark.parametrize("body,fail", [(b"", "bad_data_format"), (b"\x30\x03\x02\x01\x01", "bad_data_format")])
def test_malformed_requests_are_rejected(client, pki, body, fail):
    r = client.post("/pki/tsa", data=body, content_type="application/timestamp-query")
    assert r.status_code == 200
    resp = TimeStampResp.load(r.content)
    assert resp["status"]["status"].native == "rejection"
    assert fail in resp["status"]["fail_info"].native


def test_wrong_digest_length_and_policy(client, pki, tmp_path):
    from asn1crypto import algos

    bad_len = tsp.TimeStampReq({"version": "v1", "message_imprint": {
        "hash_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}), "hashed_message": b"short"}}).dump()
    r = client.post("/pki/tsa", data=bad_len, content_type="application/timestamp-query")
    assert "bad_data_format" in TimeStampResp.load(r.content)["status"]["fail_info"].native
    bad_policy = tsp.TimeStampReq({"version": "v1", "req_policy": "1.2.3.4.5", "message_imprint": {
        "hash_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}), "hashed_message": b"\x00" * 32}}).dump()
    r = client.post("/pki/tsa", data=bad_policy, content_type="application/timestamp-query")
    assert "unaccepted_policy" in TimeStampResp.load(r.content)["status"]["fail_info"].native
    md5 = tsp.TimeStampReq({"version": "v1", "message_imprint": {
        "hash_algorithm": algos.DigestAlgorithm({"algorithm": "md5"}), "hashed_message": b"\x00" * 16}}).dump()
    r = client.post("/pki/tsa", data=md5, content_type="application/timestamp-query")
    assert "bad_alg" in TimeStampResp.load(r.content)["status"]["fail_info"].native
