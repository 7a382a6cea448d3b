"""OCSP over HTTP without Django's request cycle: `/pki/ocsp` (POST) and `/pki/ocsp/<base64>` (GET).

Two ways in, both ending in `ocsp.answer` (a pre-signed response from memory, or a fresh
signature for what cannot be pre-signed; no middleware, session, template or ORM work):
- `OcspLaneWorker`, the gunicorn worker `kyso serve` runs: a connection whose first bytes are an
  OCSP request is read, answered and closed here, without gunicorn's HTTP machinery;
- `dispatcher`, which `kyso.wsgi` puts in front of Django for any other WSGI server.
The Django views of the same URLs use `http_answer` too, so all give the same bytes and headers.
"""

from __future__ import annotations

import base64
import binascii
import socket
import struct
import time
from email.utils import formatdate
from urllib.parse import unquote

from django.conf import settings
from django.db import connection
from gunicorn.workers.sync import SyncWorker

from kyso.core.middleware import client_address
from kyso.core.ratelimit import wait_seconds_for

from . import ocsp

MAX_BODY = 64 * 1024
PREFIX = "/pki/ocsp"
_CONTENT_TYPES = ("application/ocsp-request", "")
_BASE = [("Content-Type", "application/ocsp-response"), ("X-Content-Type-Options", "nosniff")]


def decode_get(encoded: str) -> bytes:
    """The DER request of a GET (RFC 6960 A.1: base64, then URL-encoded)."""
    try:
        return base64.b64decode(unquote(encoded), validate=False)
    except (binascii.Error, ValueError):
        return b""


def nonce_allowed(meta) -> bool:
    """Whether this client may still have a nonce answered this minute: each costs a signature (the key's,
    perhaps an HSM's), so past KYSO_OCSP_NONCE_RATE_PER_MINUTE an address gets the pre-signed answer instead."""
    return not wait_seconds_for(client_address(meta), "ocsp-nonce", settings.KYSO_OCSP_NONCE_RATE_PER_MINUTE)


def http_answer(method: str, tail: str, body: bytes, content_type: str,
                meta=None) -> tuple[int, list[tuple[str, str]], bytes]:
    """(status, headers, body) for an OCSP request; `tail` is what follows `/pki/ocsp/` in a GET; `meta` holds the
    client's REMOTE_ADDR and X-Forwarded-For as WSGI names them."""
    meta = meta or {}

    def allowed() -> bool:
        return nonce_allowed(meta)

    if method == "POST" and not tail:
        answer = ocsp.answer(body if content_type.split(";")[0].strip() in _CONTENT_TYPES else b"", allowed)
    elif method == "GET" and tail:
        answer = ocsp.answer(decode_get(tail), allowed)
    else:
        return 405, [("Allow", "GET, POST"), ("Content-Type", "text/plain"), ("Content-Length", "0")], b""
    headers = [*_BASE, ("Content-Length", str(len(answer.der)))]
    if method == "GET" and answer.next_update:
        # RFC 5019 §6.2: let HTTP caches keep a pre-signed response until shortly before its nextUpdate
        now = time.time()
        max_age = max(0, int(answer.next_update - ocsp.CACHE_MARGIN.total_seconds() - now))
        this_update = answer.next_update - ocsp.VALIDITY.total_seconds()
        headers += [("Cache-Control", f"max-age={max_age}, public, no-transform, must-revalidate"),
                    ("Last-Modified", formatdate(this_update, usegmt=True)),
                    ("Expires", formatdate(answer.next_update, usegmt=True)), ("ETag", f'"{answer.etag}"')]
    else:
        headers.append(("Cache-Control", "no-store"))
    return 200, headers, answer.der


_CHECKED = [0.0]


def check_connection() -> None:
    """What Django does around each request (drop a broken or too old database connection), once a second."""
    if time.monotonic() - _CHECKED[0] > 1.0:
        connection.close_if_unusable_or_obsolete()
        _CHECKED[0] = time.monotonic()


_REASONS = {200: "200 OK", 405: "405 Method Not Allowed"}


def _read_body(environ) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return b""
    if length <= 0 or length > MAX_BODY:
        return b""
    return environ["wsgi.input"].read(length)


def dispatcher(django_app):
    """A WSGI application answering OCSP itself and passing everything else to `django_app`."""

    def application(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if not path.startswith(PREFIX) or (len(path) > len(PREFIX) and path[len(PREFIX)] != "/"):
            return django_app(environ, start_response)
        check_connection()
        tail = path[len(PREFIX) + 1:]
        method = environ.get("REQUEST_METHOD", "GET")
        body = _read_body(environ) if method == "POST" else b""
        status, headers, data = http_answer(method, tail, body, environ.get("CONTENT_TYPE", ""), environ)
        start_response(_REASONS[status], headers)
        return [data]

    application.django_app = django_app
    return application


# ---------------------------------------------------------------- the OCSP lane of `kyso serve`'s workers

_LANE_PREFIXES = (b"POST /pki/ocsp ", b"POST /pki/ocsp/ ", b"POST /pki/ocsp?", b"GET /pki/ocsp/")
_PEEK = max(map(len, _LANE_PREFIXES))
MAX_HEAD = 16 * 1024
LANE_TIMEOUT = 10
_TIMEVAL = struct.pack("ll", LANE_TIMEOUT, 0)  # struct timeval
_STATUS_LINES = {200: b"HTTP/1.1 200 OK\r\n", 400: b"HTTP/1.1 400 Bad Request\r\n",
                 405: b"HTTP/1.1 405 Method Not Allowed\r\n"}


class BadRequest(Exception):
    pass


def _read_request(sock) -> tuple[str, str, str, bytes, str]:
    """(method, target, content type, body, X-Forwarded-For) of one HTTP/1.x request, read whole from `sock`."""
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(8192)
        if not chunk:
            raise BadRequest("closed")
        buf += chunk
        if len(buf) > MAX_HEAD + MAX_BODY:
            raise BadRequest("too long")
    head, _, body = buf.partition(b"\r\n\r\n")
    if len(head) > MAX_HEAD:
        raise BadRequest("head too long")
    lines = head.split(b"\r\n")
    parts = lines[0].split(b" ")
    if len(parts) != 3 or not parts[2].startswith(b"HTTP/1."):
        raise BadRequest("request line")
    length, content_type, forwarded = None, b"", b""
    for line in lines[1:]:
        name, colon, value = line.partition(b":")
        if not colon or not name or name != name.strip() or name[:1] in b" \t":
            raise BadRequest("header")  # no obsolete line folding, no space before the colon
        name = name.lower()
        value = value.strip()
        if name == b"content-length":
            if not value.isdigit() or (length is not None and int(value) != length):
                raise BadRequest("content-length")
            length = int(value)
        elif name == b"transfer-encoding":
            raise BadRequest("transfer-encoding")  # OCSP clients send a length; nothing else is read here
        elif name == b"content-type":
            content_type = value
        elif name == b"x-forwarded-for":
            forwarded = value
    length = length or 0
    if length > MAX_BODY:
        raise BadRequest("body too long")
    while len(body) < length:
        chunk = sock.recv(length - len(body))
        if not chunk:
            raise BadRequest("closed")
        body += chunk
    if len(body) > length:
        raise BadRequest("pipelined")  # one request per connection
    return (parts[0].decode("ascii"), parts[1].decode("latin-1"), content_type.decode("latin-1"), body,
            forwarded.decode("latin-1"))


def serve_connection(sock, address: str = "") -> None:
    """Answer the one OCSP request on `sock` (already known to be one by its first bytes), then close."""
    # the kernel's timeouts rather than settimeout(): a blocking socket, no poll() before every recv and send
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, _TIMEVAL)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, _TIMEVAL)
    try:
        method, target, content_type, body, forwarded = _read_request(sock)
        path = unquote(target.split("?", 1)[0])
        tail = path[len(PREFIX) + 1:] if path.startswith(PREFIX + "/") else ""
        meta = {"REMOTE_ADDR": address, "HTTP_X_FORWARDED_FOR": forwarded}
        status, headers, data = http_answer(method, tail, body, content_type, meta)
    except BadRequest:
        status, headers, data = 400, [("Content-Type", "text/plain"), ("Content-Length", "0")], b""
    head = [_STATUS_LINES[status], b"Date: ", _http_date().encode(), b"\r\nConnection: close\r\n"]
    for name, value in headers:
        head += [name.encode("latin-1"), b": ", value.encode("latin-1"), b"\r\n"]
    sock.sendall(b"".join(head) + b"\r\n" + data)


_DATE = [0, ""]


def _http_date() -> str:
    now = int(time.time())
    if _DATE[0] != now:
        _DATE[:] = [now, formatdate(now, usegmt=True)]
    return _DATE[1]


class OcspLaneWorker(SyncWorker):
    """gunicorn's sync worker, answering a connection that opens with an OCSP request itself.

    The first bytes are peeked, not read: anything else (or an OCSP request whose first bytes have
    not arrived yet) goes through gunicorn and Django unchanged, where the same answer is given.
    No access-log line is written for the lane (thousands a second); failures are logged.
    """

    def init_process(self):
        # Accept a connection only once its request has arrived (Linux): a sync worker never sits blocked on a
        # client that connected but has not written yet while others wait in the backlog. HTTP clients speak first.
        for listener in self.sockets:
            try:
                listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_DEFER_ACCEPT, 1)
            except (AttributeError, OSError):
                pass  # not TCP (a Unix socket) or not Linux
        self.lane = not self.cfg.is_ssl
        super().init_process()

    def handle(self, listener, client, addr):
        if self.lane:
            try:
                first = client.recv(_PEEK, socket.MSG_PEEK)
            except OSError:
                first = b""
            if first.startswith(_LANE_PREFIXES):
                self.nr += 1
                if self.nr >= self.max_requests:
                    self.alive = False
                try:
                    check_connection()
                    serve_connection(client, addr[0] if isinstance(addr, tuple) and addr else "")
                except OSError:
                    pass  # the client went away or was too slow
                except Exception:  # noqa: BLE001 - keep the worker alive
                    self.log.exception("OCSP lane failed")
                finally:
                    client.close()
                return
        super().handle(listener, client, addr)

