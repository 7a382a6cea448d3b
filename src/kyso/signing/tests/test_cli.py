"""`kyso sign` and `kyso verify` from the command line: exit codes 0 valid, 1 invalid, 2 indeterminate, 3 error."""

import json
import re

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from .helpers import key_pem, pem


def _verify(*args, capsys):
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        call_command("verify", *map(str, args))
    return exc.value.code, capsys.readouterr()


@pytest.fixture
def files(signer, chain, tmp_path, dossier_xml, one_page_pdf):
    issued, key = signer
    (tmp_path / "cert.pem").write_bytes(pem(issued.certificate, *chain[:-1]))
    (tmp_path / "key.pem").write_bytes(key_pem(key.private_key()))
    (tmp_path / "hoso.xml").write_bytes(dossier_xml)
    (tmp_path / "doc.pdf").write_bytes(one_page_pdf)
    return tmp_path


def test_sign_xml_and_pdf_then_verify(files, capsys):
    call_command("sign", "xml", files / "hoso.xml", files / "hoso.signed.xml", "--cert", files / "cert.pem",
                 "--key", files / "key.pem", "--level", "B-T")
    call_command("sign", "pdf", files / "doc.pdf", files / "doc.signed.pdf", "--cert", files / "cert.pem",
                 "--key", files / "key.pem", "--appearance", "leader", "--title", "Giám đốc", "--caption", "KT.",
                 "--level", "B-LT")
    code, out = _verify(files / "hoso.signed.xml", "--json", capsys=capsys)
    assert code == 0
    data = json.loads(out.out)
    assert data["indication"] == "TOTAL_PASSED" and data["signatures"][0]["level"] == "B-T"
    code, out = _verify(files / "doc.signed.pdf", "--report-pdf", files / "report.pdf", capsys=capsys)
    assert code == 0
    assert "TOTAL_PASSED" in out.out
    text = " ".join(PdfReader(files / "report.pdf").pages[0].extract_text().split())
    # People read the report: the verdict in words, dates dd/mm/yyyy, no internal code and no ISO date.
    assert "Hợp lệ" in text and "B-LT" in text, text
    assert "TOTAL_PASSED" not in text and not re.search(r"\d{4}-\d\d-\d\d", text), text
    assert re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d:\d\d", text), text


def test_tampered_exits_1_untrusted_exits_2_garbage_exits_3(files, capsys, dossier_xml):
    call_command("sign", "xml", files / "hoso.xml", files / "s.xml", "--cert", files / "cert.pem",
                 "--key", files / "key.pem")
    (files / "t.xml").write_bytes((files / "s.xml").read_bytes().replace(b"8500000", b"1"))
    assert _verify(files / "t.xml", capsys=capsys)[0] == 1

    from kyso.pki.keystore import SoftwareKey
    from kyso.signing.xml import sign_xml

    from .helpers import foreign_ca

    ca, cert, key = foreign_ca()
    (files / "f.xml").write_bytes(sign_xml(dossier_xml, SoftwareKey("f", key), cert))
    assert _verify(files / "f.xml", capsys=capsys)[0] == 2
    (files / "ca.pem").write_bytes(pem(ca))
    code, out = _verify(files / "f.xml", "--trust", files / "ca.pem", "--json", capsys=capsys)
    assert json.loads(out.out)["sub_indication"] != "NO_CERTIFICATE_CHAIN_FOUND"

    (files / "junk.bin").write_bytes(b"junk")
    code, out = _verify(files / "junk.bin", capsys=capsys)
    assert code == 3 and "signing.input.unknown_format" in out.err


def test_sign_with_a_pkcs11_key(make, chain, tmp_path, dossier_xml, capsys):
    issued, key = make("person", key_spec="rsa2048", in_token=True)
    (tmp_path / "cert.pem").write_bytes(pem(issued.certificate))
    (tmp_path / "in.xml").write_bytes(dossier_xml)
    from kyso.pki.testing import TEST_PIN

    call_command("sign", "xml", tmp_path / "in.xml", tmp_path / "out.xml", "--cert", tmp_path / "cert.pem",
                 "--pkcs11-key", key.label, "--pkcs11-token", key.store.token_label, "--pin", TEST_PIN)
    assert _verify(tmp_path / "out.xml", capsys=capsys)[0] == 0


def test_key_that_does_not_match_the_certificate(files, make, tmp_path):
    from django.core.management.base import CommandError

    other, other_key = make("person", key_spec="rsa2048")
    (tmp_path / "other.pem").write_bytes(key_pem(other_key.private_key()))
    with pytest.raises(CommandError, match="signing.cli.key_mismatch"):
        call_command("sign", "xml", files / "hoso.xml", files / "x.xml", "--cert", files / "cert.pem",
                     "--key", tmp_path / "other.pem")
    assert not (files / "x.xml").exists()
