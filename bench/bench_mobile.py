"""Mobile and remote signing: what the CSC API, the SAD bookkeeping and the carrier round trip cost
on top of the token's own signature (SoftHSM RSA-2048), each next to the part that bounds it."""

from __future__ import annotations

import base64
import hashlib
import os
import re

from bench.run import fresh_demo, timed

PIN = "246810"


def run(report):
    fresh_demo("mobile")
    from django.db import transaction
    from django.test import Client

    from kyso.accounts.models import User
    from kyso.core.context import acting_as
    from kyso.mobile import keys, services, simulator
    from kyso.notify.models import Notification
    leader = User.objects.get(username="lanhdao")
    with acting_as(leader, channel="cli"):
        app = services.enrol_credential(leader, channel="app", pin=PIN)
        sim = services.enrol_credential(leader, channel="sim", pin=PIN, msisdn="0912345678")
    with acting_as(label="bench"), transaction.atomic():
        app.multisign = 50
        app.save(update_fields=["multisign"])
    counter = iter(range(10**9))

    def digest():
        return hashlib.sha256(str(next(counter)).encode()).digest()

    # -- the token alone
    raw = timed(lambda: keys.sign_digests(app.token_label, app.key_label, PIN, [digest()], "sha256"), min_seconds=2)
    report.add("token", "SoftHSM RSA-2048 sign over a digest (python-pkcs11)", raw, "sig/s")

    # -- SCAL2 path: sendOTP + authorize 50 hashes, then signHash them one call each
    def otp():
        body = Notification.objects.filter(topic="mobile.otp").latest("pk").body
        return re.search(r"\b(\d{6})\b", body).group(1)

    def authorize_and_sign(n=50):
        hs = [digest() for _ in range(n)]
        with acting_as(leader, channel="cli"):
            services.send_otp(app)
            sad, _ttl = services.authorize(app, pin=PIN, otp=otp(), hashes=hs)
            for h in hs:
                services.sign_hash(app, sad=sad, hashes=[h], hash_algo="2.16.840.1.101.3.4.2.1",
                                   sign_algo="1.2.840.113549.1.1.11")

    rate = timed(authorize_and_sign, min_seconds=3, max_iterations=20) * 50
    report.add("csc", "SCAL2: OTP + authorize 50 hashes + 50 signHash (services)", rate, "sig/s",
               "SoftHSM sign alone", raw)

    # -- the same through the CSC API over Django's HTTP stack
    client = Client()
    basic = base64.b64encode(f"lanhdao:{os.environ.get('KYSO_DEMO_PASSWORD', 'Kyso@2026')}".encode()).decode()
    token = client.post("/csc/v2/auth/login", content_type="application/json", data={},
                        HTTP_AUTHORIZATION=f"Basic {basic}").json()["access_token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def api_cycle(n=50):
        hs = [base64.b64encode(digest()).decode() for _ in range(n)]
        client.post("/csc/v2/credentials/sendOTP", {"credentialID": app.credential_id},
                    content_type="application/json", **auth)
        sad = client.post("/csc/v2/credentials/authorize", {
            "credentialID": app.credential_id, "numSignatures": n, "hashes": hs,
            "authData": [{"id": "PIN", "value": PIN}, {"id": "OTP", "value": otp()}]},
            content_type="application/json", **auth).json()["SAD"]
        for h in hs:
            r = client.post("/csc/v2/signatures/signHash", {"credentialID": app.credential_id, "SAD": sad,
                                                            "hashes": [h], "signAlgo": "1.2.840.113549.1.1.11"},
                            content_type="application/json", **auth)
            assert r.status_code == 200, r.content

    api_rate = timed(api_cycle, min_seconds=3, max_iterations=20) * 50
    report.add("csc", "the same through /csc/v2 (HTTP stack in-process)", api_rate, "sig/s",
               "services", rate)

    # -- asynchronous: request → confirm on the phone → collect
    def async_cycle():
        with acting_as(leader, channel="cli"):
            req = services.request_signature(signer=leader, hashes=[digest()], display_text="Ký", credential=app)
            services.confirm(req.pk, leader, PIN)
            assert services.get_request(req.pk).state == "signed"

    async_rate = timed(async_cycle, min_seconds=3)
    report.add("async", "remote signing request + phone confirmation + collect", async_rate, "req/s",
               "SoftHSM sign alone", raw)

    def sim_cycle():
        with acting_as(leader, channel="cli"):
            req = services.request_signature(signer=leader, hashes=[digest()], display_text="Ký", credential=sim)
            simulator.phone_answer(sim.msisdn, req.mssp_trans_id, pin=PIN)
            assert services.get_request(req.pk).state == "signed"

    sim_rate = timed(sim_cycle, min_seconds=3)
    report.add("sim", "SIM PKI: MSS_SignatureReq + SIM answer + MSS_StatusReq (TS 102 204 SOAP)", sim_rate, "req/s",
               "remote request", async_rate)
