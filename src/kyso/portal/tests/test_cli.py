"""`kyso portal` from the command line goes through the same intake checks as the portal and the API."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from . import helpers as h


def test_submit_status_and_refusal_from_the_cli(employer, tmp_path, capsys):
    sub, issued, key = employer
    (tmp_path / "D02-TS.xml").write_bytes(h.signed(h.d02(), issued, key))
    (tmp_path / "TK1-TS.xml").write_bytes(h.signed(h.tk1(), issued, key))
    call_command("portal", "submit", "--as", sub.user.username, "--procedure", "600",
                 str(tmp_path / "D02-TS.xml"), str(tmp_path / "TK1-TS.xml"))
    code = capsys.readouterr().out.split("\t")[0].strip()
    call_command("portal", "status", code)
    status = json.loads(capsys.readouterr().out)
    assert status["code"] == code and status["procedure"].startswith("600")

    tampered = (tmp_path / "D02-TS.xml").read_bytes().replace(b"</", b" </", 1)
    (tmp_path / "bad.xml").write_bytes(tampered.replace(b"0101234567", b"0109999999"))
    (tmp_path / "bad.xml").rename(tmp_path / "D02-TS.xml")
    with pytest.raises(CommandError, match=r"\[portal\."):
        call_command("portal", "submit", "--as", sub.user.username, "--procedure", "600",
                     str(tmp_path / "D02-TS.xml"), str(tmp_path / "TK1-TS.xml"))
    with pytest.raises(CommandError, match="portal.lookup.bad_code"):
        call_command("portal", "status", "not-a-code")
    call_command("portal", "procedures")
    assert "600" in capsys.readouterr().out
