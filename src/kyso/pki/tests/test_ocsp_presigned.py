"""Pre-signed OCSP responses (RFC 5019): signed once, kept in the shared store and in memory, never
served after a status change — in this process, in another one, on another node."""

import datetime as dt
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp as x509_ocsp
from django.db import transaction
from django.test import override_settings

from kyso.core.context import acting_as
from kyso.pki import ca as pki_ca
from kyso.pki import fastpath, ocsp, ocsp_store, revocation
from kyso.pki.models import OcspResponse
from kyso.pki.ocsp_der import ResponseWriter
from kyso.pki.reasons import REASONS
from kyso.pki.testing import make_signer

from .tools import errors, openssl, pkilint


def _issue():
    with acting_as(label="t"), transaction.atomic():
        return make_signer()[0]


def _request(cert, issuer, *, nonce=None, algorithm=hashes.SHA1()) -> bytes:
    builder = x509_ocsp.OCSPRequestBuilder().add_certificate(cert, issuer, algorithm)
    if nonce is not None:
        builder = builder.add_extension(x509.OCSPNonce(nonce), critical=False)
    return builder.build().public_bytes(serialization.Encoding.DER)


def _status(der: bytes):
    resp = x509_ocsp.load_der_ocsp_response(der)
    assert resp.response_status == x509_ocsp.OCSPResponseStatus.SUCCESSFUL
    return resp.certificate_status


@pytest.mark.parametrize("algorithm", ["sha1", "sha256", "sha512"])
def test_hand_encoded_response_is_byte_for_byte_what_cryptography_builds(pki, algorithm):
    """PKCS#1 v1.5 signatures are deterministic: same input, same bytes, or the encoding is wrong."""
    responder_cert, key = pki_ca.responder(pki, "ocsp")
    writer = ResponseWriter(responder_cert.certificate, key)
    name_hash, key_hash = ocsp.issuer_hashes(pki, algorithm)
    serial = 0x7A3B9C00112233445566778899AABBCCDDEEFF11
    revoked_at = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    for status, reason, nonce in [("good", "", None), ("unknown", "", b"0123456789abcdef"),
                                  ("revoked", "keyCompromise", None), ("revoked", "unspecified", b"n" * 32),
                                  ("revoked", "certificateHold", None)]:
        now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        later = now + dt.timedelta(hours=4)
        ours = writer.response(writer.cert_id(algorithm, name_hash, key_hash, serial), status, now, later,
                               revoked_at=revoked_at, reason=reason, nonce=nonce)
        builder = x509_ocsp.OCSPResponseBuilder().add_response_by_hash(
            issuer_name_hash=name_hash, issuer_key_hash=key_hash, serial_number=serial, algorithm=ocsp.HASHES[algorithm](),
            cert_status={"good": x509_ocsp.OCSPCertStatus.GOOD, "unknown": x509_ocsp.OCSPCertStatus.UNKNOWN,
                         "revoked": x509_ocsp.OCSPCertStatus.REVOKED}[status],
            this_update=now, next_update=later, revocation_time=revoked_at if status == "revoked" else None,
            revocation_reason=REASONS[reason] if reason not in ("", "unspecified") else None,
        ).responder_id(x509_ocsp.OCSPResponderEncoding.HASH, responder_cert.certificate).certificates(
            [responder_cert.certificate])
        if nonce:
            builder = builder.add_extension(x509.OCSPNonce(nonce), critical=False)
        theirs = builder.sign(key.private_key(), hashes.SHA256()).public_bytes(serialization.Encoding.DER)
        if ours != theirs:  # producedAt is the builder's own clock: equal unless a second ticked in between
            assert x509_ocsp.load_der_ocsp_response(ours).produced_at_utc != \
                x509_ocsp.load_der_ocsp_response(theirs).produced_at_utc, (status, reason)


@pytest.mark.django_db(transaction=True)
def test_presigned_response_is_stored_kept_and_replaced_on_revocation(demo, tmp_path):
    issued = _issue()
    issuer = pki_ca.get_ca()
    plain = _request(issued.certificate, issuer.certificate)
    first = ocsp.answer(plain)
    assert _status(first.der) == x509_ocsp.OCSPCertStatus.GOOD and first.next_update > time.time() + 3 * 3600
    stored = OcspResponse.objects.get(ca=issuer, serial=issued.serial, algorithm="sha1")
    assert bytes(stored.der) == first.der and stored.status_version == 0
    assert ocsp.answer(plain).der == first.der  # from memory: not signed again
    (tmp_path / "resp.der").write_bytes(first.der)
    assert not errors(pkilint("ocsp_response", tmp_path / "resp.der"))

    with acting_as(label="t"):
        revocation.revoke(issued.serial, "keyCompromise")
    # the revocation path signed the new response as soon as it committed
    stored.refresh_from_db()
    issued.refresh_from_db()
    assert stored.status_version == issued.status_version > 0
    assert _status(bytes(stored.der)) == x509_ocsp.OCSPCertStatus.REVOKED
    ocsp_store.LOCAL.poll(force=True)  # what every process does within a second
    after = ocsp.answer(plain)
    assert after.der == bytes(stored.der) and _status(after.der) == x509_ocsp.OCSPCertStatus.REVOKED
    # a request with a nonce is signed fresh and echoes it
    fresh = x509_ocsp.load_der_ocsp_response(ocsp.answer(_request(issued.certificate, issuer.certificate, nonce=b"x" * 16)).der)
    assert fresh.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce == b"x" * 16
    assert fresh.certificate_status == x509_ocsp.OCSPCertStatus.REVOKED


@pytest.mark.django_db(transaction=True)
def test_a_stored_response_older_than_the_status_is_never_served(demo):
    """A node that died between the commit and the re-signing leaves a "good" behind: nobody serves it."""
    issued = _issue()
    issuer = pki_ca.get_ca()
    plain = _request(issued.certificate, issuer.certificate)
    good = ocsp.answer(plain).der
    with acting_as(label="t"):
        revocation.suspend(issued.serial)
    OcspResponse.objects.filter(serial=issued.serial).update(der=good, status_version=0)  # the stale one
    ocsp_store.LOCAL.responses.clear()
    assert _status(ocsp.answer(plain).der) == x509_ocsp.OCSPCertStatus.REVOKED
    # ... and the stored one is replaced by the right one
    assert _status(bytes(OcspResponse.objects.get(serial=issued.serial, algorithm="sha1").der)) == \
        x509_ocsp.OCSPCertStatus.REVOKED


@pytest.mark.django_db(transaction=True)
def test_a_process_that_missed_the_revocation_drops_it_at_its_next_poll(demo):
    issued = _issue()
    issuer = pki_ca.get_ca()
    plain = _request(issued.certificate, issuer.certificate)
    ocsp.answer(plain)
    key = (issuer.pk, "sha1", issued.serial_int)
    assert ocsp_store.LOCAL.get(key) is not None
    with acting_as(label="t"):
        revocation.revoke(issued.serial, "superseded")
    ocsp_store.LOCAL.poll(force=True)
    assert ocsp_store.LOCAL.get(key) is None


@pytest.mark.django_db(transaction=True)
def test_fresh_responses_read_the_status_once_and_never_after_it_changed(demo):
    """A request with a nonce is signed for the status kept in memory: read once, dropped at once when the
    revocation commits in this process, and at the next poll when another process made it."""
    issued = _issue()
    issuer = pki_ca.get_ca()
    asked = _request(issued.certificate, issuer.certificate, nonce=b"n" * 16)
    assert _status(ocsp.answer(asked).der) == x509_ocsp.OCSPCertStatus.GOOD
    key = (issuer.pk, issued.serial_int)
    kept, seen = ocsp_store.LOCAL.statuses[key], dict(ocsp_store.LOCAL.versions)
    assert kept.status == "good"
    with acting_as(label="t"):
        revocation.revoke(issued.serial, "keyCompromise")
    assert key not in ocsp_store.LOCAL.statuses
    assert _status(ocsp.answer(asked).der) == x509_ocsp.OCSPCertStatus.REVOKED
    # another process's memory: it polled before the revocation and still holds "good"
    ocsp_store.LOCAL.versions, ocsp_store.LOCAL.statuses[key] = seen, kept
    ocsp_store.LOCAL.poll(force=True)
    assert key not in ocsp_store.LOCAL.statuses
    assert _status(ocsp.answer(asked).der) == x509_ocsp.OCSPCertStatus.REVOKED


@pytest.mark.django_db
def test_inside_a_transaction_the_uncommitted_status_is_answered_and_nothing_is_cached(pki):
    issued = _issue()
    plain = _request(issued.certificate, pki.certificate)
    with acting_as(label="t"):
        revocation.revoke(issued.serial, "keyCompromise")
    assert _status(ocsp.answer(plain).der) == x509_ocsp.OCSPCertStatus.REVOKED
    assert not OcspResponse.objects.filter(serial=issued.serial).exists()


@pytest.mark.django_db(transaction=True)
def test_periodic_job_presigns_every_certificate_once(demo):
    issued = _issue()
    first = ocsp.refresh()
    assert first >= 2 and OcspResponse.objects.filter(serial=issued.serial, algorithm__in=ocsp.PRESIGN).count() == 2
    assert ocsp.refresh() == 0  # nothing near its nextUpdate yet
    OcspResponse.objects.filter(serial=issued.serial, algorithm="sha1").update(next_update=int(time.time()) + 60)
    assert ocsp.refresh() == 1


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
@pytest.mark.django_db(transaction=True)
def test_redis_is_the_shared_store_when_configured(demo):
    redis_cache = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                               "LOCATION": "redis://127.0.0.1:6379/11", "KEY_PREFIX": f"t{os.getpid()}"}}
    with override_settings(CACHES=redis_cache):
        shared = ocsp_store.store()
        assert isinstance(shared, ocsp_store.CacheStore)
        issued = _issue()
        issuer = pki_ca.get_ca()
        plain = _request(issued.certificate, issuer.certificate)
        good = ocsp.answer(plain).der
        assert shared.get(issuer.pk, "sha1", issued.serial_int).der == good
        assert not OcspResponse.objects.exists()
        with acting_as(label="t"):
            revocation.revoke(issued.serial, "keyCompromise")
        issued.refresh_from_db()
        entry = shared.get(issuer.pk, "sha1", issued.serial_int)
        assert entry.status_version == issued.status_version and _status(entry.der) == x509_ocsp.OCSPCertStatus.REVOKED
        shared.cache.clear()
    assert isinstance(ocsp_store.store(), ocsp_store.DatabaseStore)


# ---------------------------------------------------------------- HTTP: the worker's lane and the WSGI dispatcher

def _lane(raw: bytes) -> bytes:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        theirs.sendall(raw)
        theirs.shutdown(socket.SHUT_WR)
        fastpath.serve_connection(ours)
        ours.shutdown(socket.SHUT_WR)
        out = b""
        while chunk := theirs.recv(65536):
            out += chunk
    return out


@pytest.mark.django_db(transaction=True)
def test_worker_lane_answers_post_and_get_and_refuses_bad_http(demo):
    issued = _issue()
    issuer = pki_ca.get_ca()
    plain = _request(issued.certificate, issuer.certificate)
    out = _lane(b"POST /pki/ocsp HTTP/1.1\r\nHost: x\r\nContent-Type: application/ocsp-request\r\n"
                b"Content-Length: %d\r\n\r\n" % len(plain) + plain)
    head, _, body = out.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK") and b"Content-Type: application/ocsp-response" in head
    assert _status(body) == x509_ocsp.OCSPCertStatus.GOOD
    import base64
    from urllib.parse import quote

    out = _lane(b"GET /pki/ocsp/%s HTTP/1.1\r\nHost: x\r\n\r\n" % quote(base64.b64encode(plain).decode(), safe="").encode())
    head, _, body2 = out.partition(b"\r\n\r\n")
    assert body2 == body and b"Cache-Control: max-age=" in head and b"ETag:" in head and b"Expires:" in head
    for bad in [b"POST /pki/ocsp HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                b"POST /pki/ocsp HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nabcde",
                b"POST /pki/ocsp HTTP/1.1\r\n folded: x\r\n\r\n",
                b"POST /pki/ocsp HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n",
                b"POST /pki/ocsp\r\n\r\n"]:
        assert _lane(bad).startswith(b"HTTP/1.1 400 "), bad
    out = _lane(b"POST /pki/ocsp HTTP/1.1\r\nContent-Type: application/ocsp-request\r\nContent-Length: 5\r\n\r\n\x30\x03abc")
    assert x509_ocsp.load_der_ocsp_response(out.partition(b"\r\n\r\n")[2]).response_status == \
        x509_ocsp.OCSPResponseStatus.MALFORMED_REQUEST


@pytest.mark.django_db(transaction=True)
def test_wsgi_dispatcher_answers_ocsp_and_passes_the_rest_to_django(demo):
    issued = _issue()
    plain = _request(issued.certificate, pki_ca.get_ca().certificate)
    seen = []

    def django_app(environ, start_response):
        seen.append(environ["PATH_INFO"])
        start_response("204 No Content", [])
        return [b""]

    import io

    app = fastpath.dispatcher(django_app)
    started = []
    for path in ("/pki/ocspx", "/pki/crl/issuing.crl", "/"):
        app({"PATH_INFO": path, "REQUEST_METHOD": "GET"}, lambda s, h: started.append(s))
    assert seen == ["/pki/ocspx", "/pki/crl/issuing.crl", "/"]
    body = b"".join(app({"PATH_INFO": "/pki/ocsp", "REQUEST_METHOD": "POST", "CONTENT_LENGTH": str(len(plain)),
                         "CONTENT_TYPE": "application/ocsp-request", "wsgi.input": io.BytesIO(plain)},
                        lambda s, h: started.append(s)))
    assert started[-1] == "200 OK" and _status(body) == x509_ocsp.OCSPCertStatus.GOOD
    app({"PATH_INFO": "/pki/ocsp", "REQUEST_METHOD": "PUT"}, lambda s, h: started.append(s))
    assert started[-1].startswith("405")


# ---------------------------------------------------------------- two nodes, one database

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _kyso(env, *args, check=True):
    res = subprocess.run([sys.executable, "-m", "kyso.cli", *args], env=env, capture_output=True, text=True, timeout=300)
    if check:
        assert res.returncode == 0, res.stdout + res.stderr
    return res


@pytest.fixture
def nodes_database():
    """The nodes' own database: a fresh one on the PostgreSQL the suite runs on (never the suite's
    or a previous run's, which already hold another CA), else SQLite under the data directory."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield None
        return
    base, _, _ = url.rpartition("/")
    name = f"kyso_two_nodes_{os.getpid()}_{int(time.time())}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.slow
def test_two_nodes_answer_a_revocation_made_elsewhere_within_five_seconds(tmp_path, nodes_database):
    """Two `kyso serve` nodes on one database; `kyso ca revoke` in a third process."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "PYTEST", "KYSO_")) and k != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="kyso.settings", KYSO_DATA_DIR=str(tmp_path / "data"),
               KYSO_SECRET_KEY="two-nodes-test-secret-" + "x" * 40)
    if nodes_database:  # secrets are made unasked only for the embedded database
        env.update(DATABASE_URL=nodes_database, KYSO_GENERATE_SECRETS="1")
    _kyso(env, "migrate", "-v", "0")
    _kyso(env, "ca", "init")
    openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
            str(tmp_path / "k.pem"), "-subj", "/CN=Nguyen Van Nut", "-out", str(tmp_path / "r.csr"))
    _kyso(env, "ca", "issue", "--csr", str(tmp_path / "r.csr"), "--profile", "tsa", "--days", "30",
          "--out", str(tmp_path / "c.pem"), "--email", "nut@vss.gov.vn")
    _kyso(env, "ca", "chain", "--out", str(tmp_path / "chain.pem"))
    cert = x509.load_pem_x509_certificate((tmp_path / "c.pem").read_bytes())
    chain = x509.load_pem_x509_certificates((tmp_path / "chain.pem").read_bytes())
    (tmp_path / "issuer.pem").write_bytes(chain[0].public_bytes(serialization.Encoding.PEM))
    ports = [_free_port(), _free_port()]
    nodes = [subprocess.Popen([sys.executable, "-m", "kyso.cli", "serve", "--port", str(p), "--workers", "1",
                               "--no-worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for p in ports]

    def ask(port, *, nonce=False):
        res = openssl("ocsp", "-issuer", str(tmp_path / "issuer.pem"), "-cert", str(tmp_path / "c.pem"),
                      *([] if nonce else ["-no_nonce"]), "-url", f"http://127.0.0.1:{port}/pki/ocsp",
                      "-CAfile", str(tmp_path / "chain.pem"), check=False)
        return res.stdout.decode() + res.stderr.decode()

    try:
        for port in ports:
            deadline = time.time() + 120
            while ": good" not in (out := ask(port)):
                assert time.time() < deadline, out
                time.sleep(0.5)
            assert "Response verify OK" in out
            out = ask(port, nonce=True)  # signed fresh, for the status this node now keeps in memory
            assert ": good" in out and "Response verify OK" in out and "Nonce Verify error" not in out, out
        _kyso(env, "ca", "revoke", "--serial", format(cert.serial_number, "x"), "--reason", "keyCompromise")
        revoked_at = time.time()
        pending = {(port, nonce) for port in ports for nonce in (False, True)}
        while pending:
            for port, nonce in list(pending):
                out = ask(port, nonce=nonce)
                if ": revoked" in out:
                    assert "Response verify OK" in out, out
                    pending.discard((port, nonce))
            assert time.time() - revoked_at < 5, f"nodes {pending} still answer good"
            time.sleep(0.2)
    finally:
        for node in nodes:
            node.terminate()
        for node in nodes:
            node.wait(20)
    assert Path(tmp_path / "data").is_dir()
