"""kyso-signer: the signing helper an employer or citizen runs on his own computer, beside the browser.

Vietnamese public-service portals sign with the USB token the signer's CA gave him through a small program on his
computer that the portal's page talks to on 127.0.0.1. This is Kyso's: it speaks PKCS#11 to the token (any
vendor's module; SoftHSM2 in the tests) and answers, over HTTP on the loopback address only, to the portal
origins it was started for (any other web page is refused, so a page elsewhere cannot make the token sign):

    GET  /certificates            → [{"id": hex, "certificate": base64 DER, "subject": "…"}]
    POST /sign {"id", "digest"}   → {"signature": base64}   (digest: base64 SHA-256; RSA PKCS#1 v1.5 or raw ECDSA)

The key never leaves the token and the helper never sees the document, only the digest Kyso prepared. The PIN
is asked once, on the helper's own console (or read from a file given at start), never by the web page.

    python -m kyso_signer --module /usr/lib/softhsm/libsofthsm2.so --token "Token Cty" \
        --origin https://dichvucong.baohiemxahoi.gov.vn [--port 8765] [--pin-file PATH]

It uses python-pkcs11 and the standard library only: it does not need Kyso's server installed.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import getpass
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DEFAULT_PORT = 8765
MAX_BODY = 4096
# DER DigestInfo prefix for SHA-256: RSA PKCS#1 v1.5 over a digest signs DigestInfo with the raw RSA_PKCS mechanism
SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")


class Token:
    """One PKCS#11 token, one logged-in session; calls serialised (a token does one thing at a time)."""

    def __init__(self, module: str, label: str, pin: str):
        import pkcs11

        self._pkcs11 = pkcs11
        self._session = pkcs11.lib(module).get_token(token_label=label).open(user_pin=pin)
        self._lock = threading.Lock()

    def certificates(self) -> list[dict]:
        from pkcs11 import Attribute, ObjectClass

        out = []
        with self._lock:
            for obj in self._session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}):
                out.append({"id": obj[Attribute.ID].hex(), "certificate": base64.b64encode(obj[Attribute.VALUE]).decode(),
                            "subject": obj[Attribute.LABEL]})
        return out

    def sign(self, key_id: str, digest: bytes) -> bytes:
        from pkcs11 import Attribute, KeyType, Mechanism, ObjectClass

        with self._lock:
            key = self._session.get_key(object_class=ObjectClass.PRIVATE_KEY, id=bytes.fromhex(key_id))
            if key.key_type == KeyType.EC:
                return key.sign(digest, mechanism=Mechanism.ECDSA)           # raw r‖s
            return key.sign(SHA256_DIGEST_INFO + digest, mechanism=Mechanism.RSA_PKCS)


def handler_for(token: Token, origins: frozenset[str]):
    class Handler(BaseHTTPRequestHandler):
        server_version = "kyso-signer"

        def log_message(self, *args):  # quiet: the console is for the PIN prompt
            pass

        def _origin_ok(self) -> bool:
            return self.headers.get("Origin", "") in origins

        def _send(self, status: int, body: dict | list | None = None) -> None:
            data = json.dumps(body).encode() if body is not None else b""
            self.send_response(status)
            if self._origin_ok():
                self.send_header("Access-Control-Allow-Origin", self.headers["Origin"])
                self.send_header("Vary", "Origin")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _refused(self) -> bool:
            if not self._origin_ok():
                self._send(403, {"error": "origin"})
                return True
            return False

        def do_OPTIONS(self):  # noqa: N802 - the CORS preflight of the portal's page
            if self._refused():
                return
            self.send_response(204)
            self.send_header("Access-Control-Allow-Origin", self.headers["Origin"])
            self.send_header("Access-Control-Allow-Methods", "GET, POST")
            self.send_header("Access-Control-Allow-Headers", "Content-Type")
            self.send_header("Access-Control-Allow-Private-Network", "true")
            self.send_header("Vary", "Origin")
            self.end_headers()

        def do_GET(self):  # noqa: N802
            if self._refused():
                return
            if self.path != "/certificates":
                return self._send(404, {"error": "path"})
            self._send(200, token.certificates())

        def do_POST(self):  # noqa: N802
            if self._refused():
                return
            if self.path != "/sign":
                return self._send(404, {"error": "path"})
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                return self._send(413, {"error": "size"})
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
                digest = base64.b64decode(body["digest"], validate=True)
                key_id = str(body["id"])
                bytes.fromhex(key_id)
            except (ValueError, KeyError, TypeError, binascii.Error):
                return self._send(400, {"error": "body"})
            if len(digest) != 32:
                return self._send(400, {"error": "digest"})
            try:
                signature = token.sign(key_id, digest)
            except Exception as exc:  # noqa: BLE001 - the token's own error, told to the page
                return self._send(409, {"error": "token", "detail": type(exc).__name__})
            self._send(200, {"signature": base64.b64encode(signature).decode()})

    return Handler


def serve(token: Token, origins, port: int = DEFAULT_PORT) -> ThreadingHTTPServer:
    """A server on 127.0.0.1:`port` (0: any free port), not yet serving: call `serve_forever`."""
    return ThreadingHTTPServer(("127.0.0.1", port), handler_for(token, frozenset(origins)))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="kyso-signer", description="Ký số hồ sơ trên Cổng bằng thiết bị ký số (USB token).")
    ap.add_argument("--module", required=True, help="thư viện PKCS#11 của thiết bị (tệp .so / .dll)")
    ap.add_argument("--token", required=True, help="nhãn của thiết bị (token label)")
    ap.add_argument("--origin", action="append", required=True, help="địa chỉ Cổng được phép gọi (có thể lặp lại)")
    ap.add_argument("--port", type=int, default=DEFAULT_PORT)
    ap.add_argument("--pin-file", help="tệp chứa mã PIN (nếu không, hỏi trên màn hình này)")
    args = ap.parse_args(argv)
    if args.pin_file:
        with open(args.pin_file, encoding="utf-8") as fh:
            pin = fh.read().strip()
    else:
        pin = getpass.getpass("Mã PIN của thiết bị ký số: ")
    server = serve(Token(args.module, args.token, pin), args.origin, args.port)
    print(f"kyso-signer: sẵn sàng tại http://127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
