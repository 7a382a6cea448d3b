"""`kyso mobile …`: enrol, list, status; bad input answers with a code and exit 2."""

import pytest
from django.core.management import CommandError, call_command

from kyso.mobile.models import Credential


def test_enrol_and_list(demo, pki, capsys):
    call_command("mobile", "enrol", "--user", "lanhdao", "--channel", "sim", "--msisdn", "0981234567", "--pin", "654321")
    out = capsys.readouterr().out
    cred = Credential.objects.get()
    assert cred.credential_id in out and "+84981234567" in out
    call_command("mobile", "credentials", "--user", "lanhdao")
    assert cred.credential_id in capsys.readouterr().out


@pytest.mark.parametrize("args,code", [
    (["enrol", "--user", "nobody", "--channel", "app", "--pin", "123456"], "mobile.cli.user"),
    (["enrol", "--user", "lanhdao", "--channel", "app", "--pin", "12"], "mobile.pin.format"),
    (["enrol", "--user", "lanhdao", "--channel", "sim", "--msisdn", "12345", "--pin", "123456"],
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
