"""SIM PKI (letter 346): Kyso asks the carrier (ETSI TS 102 204, asynchronous client-server mode), the
SIM prompts its owner, Kyso polls the status: signature, user cancel, expiry, PIN blocked, and the
carrier's faults for bad requests."""

import base64
import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from kyso.core.errors import Forbidden
from kyso.mobile import mssp, services, simulator
from kyso.mobile.models import MsspTransaction, RequestState, SimCard

from .conftest import PIN, digest, verify_raw


def _ask(leader, as_user, text="Ký Công văn 101/BHXH-CNTT"):
    with as_user(leader):
        return services.request_signature(signer=leader, hashes=[digest(text)], display_text=text)


def test_signature_through_the_carrier(sim_credential, leader, as_user):
    assert sim_credential.msisdn == "+84912345678"
    req = _ask(leader, as_user)
    assert req.channel == "sim" and req.mssp_trans_id.startswith("KYSO-")
    txn = MsspTransaction.objects.get(mssp_trans_id=req.mssp_trans_id)
    assert txn.data_to_be_displayed == "Ký Công văn 101/BHXH-CNTT"     # what the phone shows
    assert services.get_request(req.pk).state == RequestState.PENDING  # status 504 OUTSTANDING_TRANSACTION
    with as_user(leader):
        done = services.confirm(req.pk, leader, PIN)
    assert done.state == RequestState.SIGNED
    verify_raw(done.signer_certificate(), done.signature_values()[0], digest("Ký Công văn 101/BHXH-CNTT"))


def test_user_cancel(sim_credential, leader, as_user):
    req = _ask(leader, as_user)
    with as_user(leader):
        done = services.refuse(req.pk, leader)
    assert done.state == RequestState.REFUSED and done.error_code == "mssp.user_cancel"


def test_expired_transaction(sim_credential, leader, as_user):
    req = _ask(leader, as_user)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=10)):
        with as_user(leader):
            got = services.get_request(req.pk)
    assert got.state == RequestState.EXPIRED and got.error_code == "mssp.expired_transaction"


def test_three_wrong_pins_block_the_sim(sim_credential, leader, as_user):
    req = _ask(leader, as_user)
    for left in (2, 1):
        with as_user(leader), pytest.raises(Forbidden) as exc:
            services.confirm(req.pk, leader, "000000")
        assert exc.value.code == "mobile.pin.wrong" and str(left) in exc.value.message
    with as_user(leader):
        done = services.confirm(req.pk, leader, "000000")
    assert done.state == RequestState.FAILED and done.error_code == "mssp.pin_blocked"
    assert SimCard.objects.get(msisdn=sim_credential.msisdn).pin_tries_left == 0
    with as_user(leader):   # a blocked SIM takes no new request: the carrier answers PIN_BLOCKED at once
        again = _ask(leader, as_user)
    assert again.state == RequestState.FAILED and again.error_code == "mssp.pin_blocked"


def _req(client, **kw):
    args = {"msisdn": "+84912345678", "ap_trans_id": kw.pop("ap_trans_id", "T-1"),
            "data_to_be_signed": digest(), "data_to_be_displayed": "Ký"}
    args.update(kw)
    return client.signature_request(**args)


def test_carrier_faults(sim_credential, as_user, leader):
    good = mssp.client()
    with as_user(leader):
        assert _req(good, msisdn="+84999999999").status_name == "UNKNOWN_CLIENT"
        assert _req(good, data_to_be_signed=b"abc").status_name == "WRONG_DATA_LENGTH"
        assert _req(good, profile="urn:other").status_name == "UNSUPPORTED_PROFILE"
        bad_pwd = mssp.MsspClient("local", mssp.ap_id(), "wrong", "x")
        assert _req(bad_pwd).status_name == "UNAUTHORIZED_ACCESS"
        assert _req(good, ap_trans_id="dup").status_name == "REQUEST_OK"
        assert _req(good, ap_trans_id="dup").status_name == "WRONG_PARAM"      # AP_TransID reused
        assert good.status("KYSO-none", ap_trans_id="s1").status_name == "WRONG_PARAM"


@pytest.mark.parametrize("payload", [
    b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>",
    b"not xml at all",
    b"<a><b></a>",
    b"<Envelope/>",
    b"",
])
def test_hostile_soap_is_refused(db, payload):
    from kyso.core.context import acting_as

    with acting_as(label="test"):
        answer = mssp.read_answer(simulator.handle(payload))
    assert answer.status_name == "WRONG_PARAM"
    assert not MsspTransaction.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_over_http(demo, live_server, settings):
    """The adapter and the simulator talk SOAP over real HTTP, as with a carrier."""
    from kyso.core.context import acting_as

    user = demo.user("lanhdao")
    with acting_as(user, channel="cli"):
        cred = services.enrol_credential(user, channel="sim", pin=PIN, msisdn="0987654321")
    client = mssp.MsspClient(live_server.url + "/mobile/mssp/", mssp.ap_id(), mssp.ap_password(), "x")
    answer = client.signature_request(msisdn=cred.msisdn, ap_trans_id="http-1", data_to_be_signed=digest("http"),
                                      data_to_be_displayed="Ký qua HTTP")
    assert answer.status_name == "REQUEST_OK" and answer.mssp_trans_id
    assert client.status(answer.mssp_trans_id, ap_trans_id="http-2").status_name == "OUTSTANDING_TRANSACTION"
    with acting_as(user, channel="cli"):
        simulator.phone_answer(cred.msisdn, answer.mssp_trans_id, pin=PIN)
    final = client.status(answer.mssp_trans_id, ap_trans_id="http-3")
    assert final.status_name == "SIGNATURE"
    verify_raw(cred.certificate.certificate, final.signature, digest("http"))
    fault = mssp.MsspClient(live_server.url + "/mobile/mssp/", mssp.ap_id(), "wrong", "x").status(
        answer.mssp_trans_id, ap_trans_id="http-4")
    assert fault.status_name == "UNAUTHORIZED_ACCESS"
    assert base64.b64encode(final.signature)
