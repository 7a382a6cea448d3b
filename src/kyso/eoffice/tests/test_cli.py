"""`kyso eoffice`: the books, one document, and registering an incoming file from the command line (verified
at once; exit 1 when its signatures do not pass, 2 on bad input)."""

import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from kyso.eoffice.drafting import render_draft
from kyso.notify.models import Notification

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
    assert line[1].startswith("1/") and line[2] == "Chưa xác định"       # the verdict in words, not its code
    told = [n.body for n in Notification.objects.filter(topic="eoffice.incoming")]
    assert told and all("Chưa xác định" in b and "INDETERMINATE" not in b for b in told), told
    call_command("eoffice", "books", "--book", "in", "--unit", "HN.BD", "--json")
    rows = json.loads(capsys.readouterr().out)
    assert [r["subject"] for r in rows] == ["V/v đề nghị"]
    call_command("eoffice", "show", rows[0]["id"])
    out = capsys.readouterr().out
    assert "Số đến: 1\n" in out and "Nơi gửi: Công ty A\n" in out and "Trạng thái: Đã vào sổ\n" in out
    assert f"Thời điểm đến: {timezone.localtime():%d/%m/%Y}" in out
    assert not re.search(r"^[a-z_]+:|registered|TOTAL_|INDETERMINATE|\d{4}-\d{2}-\d{2}", out, re.M), out


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
