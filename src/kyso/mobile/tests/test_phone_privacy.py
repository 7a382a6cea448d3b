"""The phone number of a signing credential receives the holder's one-time codes and PKI SIM prompts: it is
personal data, shown in full only to the holder and to the IT officers who administer his credentials, each of
their reads audited; the auditor, who may list credentials, sees it masked (issue 16)."""

import json

from django.core.management import call_command
from django.utils import translation

from kyso.audit.display import via_text
from kyso.audit.models import AuditRecord
from kyso.mobile.administration import PHONE_READ


def _reads(cred):
    return AuditRecord.objects.filter(action=PHONE_READ, object_id=str(cred.pk)).count()


def test_the_auditor_sees_the_phone_number_masked(api, sim_credential):
    cid = sim_credential.credential_id
    listed = {c["credential_id"]: c for c in api("kiemtoan").get("/api/v1/mobile/credentials/").json()["results"]}
    assert cid in listed
    one = api("kiemtoan").get(f"/api/v1/mobile/credentials/{cid}/").json()
    for seen in (listed[cid]["msisdn"], one["msisdn"]):
        assert seen.endswith(sim_credential.msisdn[-3:]) and sim_credential.msisdn not in seen
        assert not any(ch.isdigit() for ch in seen[:-3])
    assert _reads(sim_credential) == 0


def test_the_it_officer_sees_it_and_the_read_is_audited(api, sim_credential):
    cid = sim_credential.credential_id
    listed = {c["credential_id"]: c for c in api("cntt").get("/api/v1/mobile/credentials/").json()["results"]}
    assert listed[cid]["msisdn"] == sim_credential.msisdn
    assert _reads(sim_credential) == 1
    assert api("cntt").get(f"/api/v1/mobile/credentials/{cid}/").json()["msisdn"] == sim_credential.msisdn
    assert _reads(sim_credential) == 2


def test_the_holder_sees_his_own_without_a_trail(api, sim_credential):
    mine = api("lanhdao").get("/api/v1/mobile/credentials/").json()["results"]
    assert [c["msisdn"] for c in mine if c["credential_id"] == sim_credential.credential_id] == [sim_credential.msisdn]
    assert _reads(sim_credential) == 0


def test_the_operators_listing_at_the_command_line_is_audited(sim_credential, capsys):
    """`kyso mobile credentials` prints the numbers in full to the server's operator: each read is in the trail."""
    call_command("mobile", "credentials")
    assert sim_credential.msisdn in capsys.readouterr().out
    [record] = AuditRecord.objects.filter(action=PHONE_READ, object_id=str(sim_credential.pk))
    assert json.loads(record.after) == {"via": "cli.list"} and record.channel == "cli"
    with translation.override("vi"):
        assert via_text("cli.list") == "tại dòng lệnh, danh sách"
