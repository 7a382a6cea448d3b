"""Enrolment changes state (a key, a SIM, a certificate in the register, the PIN's SMS) and so goes through the
one step runner like every other change: permission checked at the holder's unit, all or nothing, one audit
record naming the step and the officer. Before, it checked the scope by hand and sent the PIN outside the step."""

from kyso.audit.models import AuditRecord
from kyso.mobile.models import Credential
from kyso.notify.models import Notification
from kyso.pki.models import IssuedCertificate


def test_an_enrolment_is_the_step_mobile_credential_enrol_by_the_officer(api, demo, pki):
    r = api("cntt").post("/api/v1/mobile/credentials/", {"holder": "giamdoc.hn", "channel": "sim"}, format="json")
    assert r.status_code == 201, r.json()
    records = AuditRecord.objects.filter(action="mobile.credential.enrol")
    assert records.exists() and {rec.actor for rec in records} == {"cntt"}, list(records.values("actor"))
    # the initial PIN's SMS is part of the step (it was sent after it, outside): all or nothing
    sms = Notification.objects.get(topic="mobile.initial_pin")
    assert records.filter(object_type__icontains="notification", object_id=str(sms.pk)).exists(), \
        list(AuditRecord.objects.filter(object_id=str(sms.pk)).values("action", "object_type"))


def test_an_officer_outside_the_holders_unit_is_refused_and_nothing_is_written(api, demo, pki):
    before = (Credential.objects.count(), IssuedCertificate.objects.count(), Notification.objects.count())
    r = api("hcm").post("/api/v1/mobile/credentials/", {"holder": "giamdoc.hn", "channel": "sim"}, format="json")
    assert r.status_code == 403, r.json()
    assert r.json()["error"]["message"] and "[" not in r.json()["error"]["message"]
    assert (Credential.objects.count(), IssuedCertificate.objects.count(), Notification.objects.count()) == before
