"""Mobile and remote signing: what the CSC API, the SAD bookkeeping and the carrier round trip cost
on top of the token's own signature (SoftHSM RSA-2048, python-pkcs11 with the key found once), each next to
the part that bounds it. SCAL2 is measured as the CSC API allows it — one authorisation (PIN + SMS code) for a
batch of hashes, signed in one signHash call — and one hash per signHash call under the same SAD."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import time

from bench.run import fresh_demo, timed

PIN = "246810"
BATCH = 50                      # hashes under one SAD
BIG = 100                       # the most one signHash call takes (scal2.MAX_HASHES)
SHA256_OID, RSA_SHA256_OID = "2.16.840.1.101.3.4.2.1", "1.2.840.113549.1.1.11"


def run(report):
    fresh_demo("mobile")
    import pkcs11
    from django.conf import settings
    from django.db import transaction
    from django.test import Client

    from kyso.accounts.models import User
    from kyso.core.context import acting_as
    from kyso.mobile import scal2, services, simulator
    from kyso.notify.models import Notification
    from kyso.pki import keystore
    leader = User.objects.get(username="lanhdao")
    with acting_as(leader, channel="cli"):
        app = services.enrol_credential(leader, channel="app", pin=PIN)
        sim = services.enrol_credential(leader, channel="sim", pin=PIN, msisdn="0912345678")
    with acting_as(label="bench"), transaction.atomic():
        app.multisign = BIG         # the credential's multisign: hashes one authorisation may cover
        app.save(update_fields=["multisign"])
    counter = iter(range(10**9))

    def digest():
        return hashlib.sha256(str(next(counter)).encode()).digest()

    # -- the token alone: python-pkcs11 with the session logged in and the key object found once
    session = keystore.Pkcs11KeyStore(settings.KYSO_PKCS11_MODULE, app.token_label, PIN).session()
    private = session.get_key(object_class=pkcs11.ObjectClass.PRIVATE_KEY, label=app.key_label)
    prefix = keystore._DIGEST_INFO_PREFIX["sha256"]

    def raw_sign():
        private.sign(prefix + digest(), mechanism=pkcs11.Mechanism.RSA_PKCS)

    raw = timed(raw_sign, min_seconds=3)
    report.add("token", "SoftHSM RSA-2048 sign over a digest (python-pkcs11, key found once)", raw, "sig/s")

    def paired(cycle, sigs: int, min_seconds: float = 6.0) -> tuple[float, float]:
        """sig/s of `cycle` (which makes `sigs` signatures) and of the token alone making as many signatures,
        timed in alternation, so that both see the same load on a shared machine."""
        cycle()
        spent, spent_raw, n = 0.0, 0.0, 0
        while spent + spent_raw < min_seconds or n < 3:
            t0 = time.perf_counter()
            cycle()
            t1 = time.perf_counter()
            for _ in range(sigs):
                raw_sign()
            spent, spent_raw, n = spent + t1 - t0, spent_raw + time.perf_counter() - t1, n + 1
        return n * sigs / spent, n * sigs / spent_raw

    def otp():
        body = Notification.objects.filter(topic="mobile.otp").latest("pk").body
        return re.search(r"\b(\d{6})\b", body).group(1)

    # -- SCAL2 as the CSC API allows: sendOTP + authorize N hashes (PIN + OTP, SAD bound to them) + signHash
    def authorize_and_sign(n=BATCH, per_call=BATCH):
        hs = [digest() for _ in range(n)]
        with acting_as(leader, channel="cli"):
            scal2.send_otp(app)
            sad, _ttl = scal2.authorize(app, pin=PIN, otp=otp(), hashes=hs)
            for i in range(0, n, per_call):
                sigs = scal2.sign_hash(app, sad=sad, hashes=hs[i:i + per_call], hash_algo=SHA256_OID,
                                       sign_algo=RSA_SHA256_OID)
                assert len(sigs) == len(hs[i:i + per_call])

    batch, peer = paired(authorize_and_sign, BATCH)
    report.add("csc", f"SCAL2: OTP + authorize {BATCH} hashes + 1 signHash of {BATCH} (services)", batch, "sig/s",
               "SoftHSM sign alone (alternated)", peer,
               note=f"{batch * 3600:,.0f} sig/hour; anchor ~1,000/hour per authorisation")
    big, peer = paired(lambda: authorize_and_sign(n=BIG, per_call=BIG), BIG)
    report.add("csc", f"SCAL2: OTP + authorize {BIG} hashes + 1 signHash of {BIG} (services)", big, "sig/s",
               "SoftHSM sign alone (alternated)", peer)
    one_by_one, peer = paired(lambda: authorize_and_sign(per_call=1), BATCH)
    report.add("csc", f"SCAL2: OTP + authorize {BATCH} hashes + {BATCH} signHash of 1 (services)", one_by_one,
               "sig/s", "SoftHSM sign alone (alternated)", peer)

    # -- the same through the CSC API over Django's HTTP stack
    client = Client()
    basic = base64.b64encode(f"lanhdao:{os.environ.get('KYSO_DEMO_PASSWORD', 'Kyso@2026')}".encode()).decode()
    token = client.post("/csc/v2/auth/login", content_type="application/json", data={},
                        HTTP_AUTHORIZATION=f"Basic {basic}").json()["access_token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def api_cycle(n=BATCH, per_call=BATCH):
        hs = [base64.b64encode(digest()).decode() for _ in range(n)]
        client.post("/csc/v2/credentials/sendOTP", {"credentialID": app.credential_id},
                    content_type="application/json", **auth)
        sad = client.post("/csc/v2/credentials/authorize", {
            "credentialID": app.credential_id, "numSignatures": n, "hashes": hs,
            "authData": [{"id": "PIN", "value": PIN}, {"id": "OTP", "value": otp()}]},
            content_type="application/json", **auth).json()["SAD"]
        for i in range(0, n, per_call):
            r = client.post("/csc/v2/signatures/signHash", {"credentialID": app.credential_id, "SAD": sad,
                                                            "hashes": hs[i:i + per_call], "signAlgo": RSA_SHA256_OID},
                            content_type="application/json", **auth)
            assert r.status_code == 200 and len(r.json()["signatures"]) == len(hs[i:i + per_call]), r.content

    api_batch, peer = paired(api_cycle, BATCH)
    report.add("csc", f"the same, {BATCH} hashes, through /csc/v2 (HTTP stack in-process)", api_batch, "sig/s",
               "SoftHSM sign alone (alternated)", peer)
    api_big, peer = paired(lambda: api_cycle(n=BIG, per_call=BIG), BIG)
    report.add("csc", f"the same, {BIG} hashes, through /csc/v2 (HTTP stack in-process)", api_big, "sig/s",
               "SoftHSM sign alone (alternated)", peer)
    api_rate = timed(lambda: api_cycle(per_call=1), min_seconds=4, max_iterations=20) * BATCH
    report.add("csc", f"{BATCH} signHash of 1 through /csc/v2 (HTTP stack in-process)", api_rate, "sig/s",
               "services, one by one", one_by_one)

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
