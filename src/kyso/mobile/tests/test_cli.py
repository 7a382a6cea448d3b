"""`kyso mobile …`: enrol, list, status; bad input answers with a code and exit 2."""

import pytest
from django.core.management import CommandError, call_command

from kyso.mobile.models import Credential


def test_enrol_and_list(demo, pki, capsys):
    call_command("mobile", "enrol", "--holder", "lanhdao", "--channel", "sim", "--msisdn", "0981234567", "--pin", "654321")
    out = capsys.readouterr().out
    cred = Credential.objects.get()
    assert cred.credential_id in out and "+84981234567" in out
    call_command("mobile", "credentials", "--holder", "lanhdao")
    assert cred.credential_id in capsys.readouterr().out


@pytest.mark.parametrize("args,code", [
    (["enrol", "--holder", "nobody", "--channel", "app", "--pin", "123456"], "mobile.cli.user"),
    (["enrol", "--holder", "lanhdao", "--channel", "app", "--pin", "12"], "mobile.pin.format"),
    (["enrol", "--holder", "lanhdao", "--channel", "sim", "--msisdn", "12345", "--pin", "123456"],
     "mobile.msisdn.invalid"),
    (["status", "not-a-uuid"], "mobile.request.not_found"),
])
def test_bad_input(demo, pki, args, code):
    with pytest.raises(CommandError) as exc:
        call_command("mobile", *args)
    assert code in str(exc.value) and exc.value.returncode == 2
    assert not Credential.objects.exists()


def test_demo_enrols_two_leaders(demo, pki):
    from kyso.mobile import demo as mobile_demo

    ctx = {"lines": []}
    mobile_demo.load(ctx)
    mobile_demo.load(ctx)          # idempotent
    assert sorted(Credential.objects.values_list("holder__username", "channel")) == [
        ("giamdoc.hn", "sim"), ("lanhdao", "app")]


def test_an_officer_enrols_as_on_the_api(demo, pki, capsys):
    """`--user` is who acts, as in every kyso command (it named the holder here): an IT officer enrols within his
    scope, not for himself, and the initial PIN goes to the holder alone by SMS."""
    from kyso.audit.models import AuditRecord
    from kyso.notify.models import Notification

    call_command("mobile", "enrol", "--holder", "giamdoc.hn", "--channel", "app", "--user", "cntt")
    cred = Credential.objects.get()
    assert cred.holder.username == "giamdoc.hn" and cred.credential_id in capsys.readouterr().out
    assert Notification.objects.filter(topic="mobile.initial_pin").count() == 1
    assert AuditRecord.objects.filter(action="mobile.credential.enrol", actor="cntt").exists()
    with pytest.raises(CommandError) as refused:
        call_command("mobile", "enrol", "--holder", "cntt", "--channel", "app", "--user", "cntt")
    assert "[mobile.credential.own]" in str(refused.value)
    with pytest.raises(CommandError) as refused:
        call_command("mobile", "enrol", "--holder", "lanhdao", "--channel", "app", "--user", "cntt", "--pin", "123456")
    assert "[mobile.cli.pin_by_sms]" in str(refused.value) and "tin nhắn" in str(refused.value)
    assert Credential.objects.count() == 1


def test_the_old_reading_of_user_fails_loudly(demo, pki):
    """A script that still names the holder with --user now names who acts: without --holder it stops."""
    with pytest.raises(CommandError) as refused:
        call_command("mobile", "enrol", "--user", "lanhdao", "--channel", "app", "--pin", "123456")
    assert "--holder" in str(refused.value)
    assert not Credential.objects.exists()


def test_requests_and_status_in_words(demo, pki, as_user, capsys):
    from kyso.mobile import services

    from .conftest import digest

    call_command("mobile", "enrol", "--holder", "lanhdao", "--channel", "app", "--pin", "654321")
    leader = demo.user("lanhdao")
    with as_user(leader):
        req = services.request_signature(signer=leader, hashes=[digest()], display_text="Ký công văn")
    capsys.readouterr()
    call_command("mobile", "requests", "--holder", "lanhdao", "--state", "pending")
    line = capsys.readouterr().out.strip().split("\t")
    assert line[0] == str(req.pk) and line[4] == "Đang chờ người ký" and line[5] == "Ký công văn"
    call_command("mobile", "status", str(req.pk))
    out = capsys.readouterr().out
    assert f"Yêu cầu ký: {req.pk}\n" in out and "Trạng thái: Đang chờ người ký\n" in out
    assert "pending" not in out
