"""`kyso eoffice`: the books, one document, and registering an incoming file from the command line (verified
at once; exit 1 when its signatures do not pass, 2 on bad input)."""

import json

import pytest
from django.core.management import CommandError, call_command

from kyso.eoffice.drafting import render_draft

pytestmark = pytest.mark.django_db


def test_receive_books_and_show(demo, pki, tmp_path, capsys):
    path = tmp_path / "cv.pdf"
    path.write_bytes(render_draft(organization="CÔNG TY A", symbol_suffix="CV", place="Hà Nội", subject="V/v",
                                  body="Nội dung"))
    with pytest.raises(SystemExit) as exc:       # unsigned: registered, but its verification does not pass
        call_command("eoffice", "receive", str(path), "--unit", "HN.BD", "--sender", "Công ty A",
                     "--subject", "V/v đề nghị", "--as", "vanthu.bd")
    assert exc.value.code == 1
    line = capsys.readouterr().out.strip().split("\t")
    assert line[1].startswith("1/") and line[2] != "TOTAL_PASSED"
    call_command("eoffice", "books", "--book", "in", "--unit", "HN.BD", "--json")
    rows = json.loads(capsys.readouterr().out)
    assert [r["subject"] for r in rows] == ["V/v đề nghị"]
    call_command("eoffice", "show", rows[0]["id"])
    out = capsys.readouterr().out
    assert "arrival_number: 1" in out and "registered" in out


@pytest.mark.parametrize("args,code", [
    (["receive", "/nonexistent.pdf", "--unit", "HN.BD", "--sender", "A", "--subject", "B", "--as", "vanthu.bd"],
     "eoffice.file.missing"),
    (["receive", "/etc/hostname", "--unit", "NOPE", "--sender", "A", "--subject", "B", "--as", "vanthu.bd"],
     "eoffice.unit.unknown"),
    (["receive", "/etc/hostname", "--unit", "HN.BD", "--sender", "A", "--subject", "B", "--as", "nobody"],
     "accounts.user.not_found"),
    (["receive", "/etc/hostname", "--unit", "HCM", "--sender", "A", "--subject", "B", "--as", "vanthu.bd"],
     "forbidden"),
    (["show", "not-a-uuid"], "eoffice.document.not_found"),
])
def test_bad_input(demo, pki, args, code):
    with pytest.raises(CommandError) as exc:
        call_command("eoffice", *args)
    assert f"[{code}]" in str(exc.value)
