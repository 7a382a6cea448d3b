"""A relying party asks how a document stands on a given day — twenty years on, once its certificates have
expired — from the command line: `kyso verify FILE --at dd/mm/yyyy`. Only Python callers could (TrustStore.now)."""

import datetime as dt
import json

import pytest
from django.core.management import call_command

from kyso.signing.pdf import sign_pdf


def _verify(capsys, *args):
    capsys.readouterr()
    with pytest.raises(SystemExit) as done:
        call_command("verify", *map(str, args), "--json")
    out = capsys.readouterr()
    return done.value.code, out


def test_a_long_term_pdf_judged_on_a_day_after_its_revocation_data_went_stale(signer, chain, one_page_pdf,
                                                                               tmp_path, capsys):
    issued, key = signer
    path = tmp_path / "b-lt.pdf"
    path.write_bytes(sign_pdf(one_page_pdf, key, issued.certificate, chain=chain[:-1], level="B-LT"))
    code, out = _verify(capsys, path)
    assert code == 0, out.out
    later = (dt.date.today() + dt.timedelta(days=400)).strftime("%d/%m/%Y")   # its revocation data no longer fresh
    code, out = _verify(capsys, path, "--at", later)
    assert (code, json.loads(out.out)["indication"]) == (2, "INDETERMINATE"), out.out


def test_a_day_not_written_dd_mm_yyyy_is_told_in_vietnamese(signer, chain, one_page_pdf, tmp_path, capsys):
    issued, key = signer
    path = tmp_path / "b-b.pdf"
    path.write_bytes(sign_pdf(one_page_pdf, key, issued.certificate, chain=chain[:-1], level="B-B"))
    code, out = _verify(capsys, path, "--at", "2046-12-07")
    assert code == 3 and "signing.cli.at" in out.err and "dd/mm/yyyy" in out.err and "Ghi ngày" in out.err, out.err
