"""Offline long-term verification (EN 319 102-1 § 5.5–5.6) on "another installation": no CA of its own, a trust
folder holding only Kyso's root, fetching off. A B-LT/B-LTA PDF, XML or CAdES verifies TOTAL_PASSED from the
validation data it carries; a B-T does not — unless the relying party hands in the CRLs with `--trust`."""

import base64
import json

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from lxml import etree

from kyso.pki import revinfo
from kyso.pki.keystore import SoftwareKey
from kyso.signing import xades_lt
from kyso.signing.cades import sign_cms
from kyso.signing.material import Material
from kyso.signing.pdf import sign_pdf
from kyso.signing.trust import load_trust_file
from kyso.signing.xml import sign_xml

from .helpers import foreign_ca, pem

CONTENT = "Danh sách hồ sơ lưu trữ\n".encode() * 50


@pytest.fixture
def other_installation(settings, tmp_path, chain):
    """The documents are made first; then this installation forgets every CA it had: only the root PEM in a
    fresh trust folder (the deletion is undone after the test, back to a savepoint)."""
    savepoints = []

    def switch():
        folder = tmp_path / "trust"
        folder.mkdir()
        (folder / "root.pem").write_bytes(pem(chain[-1]))
        settings.KYSO_TRUST_DIR = str(folder)
        settings.KYSO_VERIFY_FETCH = False
        savepoints.append(transaction.savepoint())
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM pki_certificateauthority")   # foreign keys are checked at commit only
        assert revinfo.own_ca_certificates() == []
    yield switch
    for sid in savepoints:
        transaction.savepoint_rollback(sid)


def _verify(capsys, *args) -> tuple[int, dict]:
    capsys.readouterr()
    with pytest.raises(SystemExit) as done:
        call_command("verify", *map(str, args), "--json")
    return done.value.code, json.loads(capsys.readouterr().out)


def test_long_term_documents_verify_with_only_the_root_and_no_network(signer, chain, one_page_pdf, dossier_xml,
                                                                       tmp_path, capsys, other_installation):
    issued, key = signer
    files = {}
    for level in ("B-LT", "B-LTA"):
        files[f"{level}.pdf"] = sign_pdf(one_page_pdf, key, issued.certificate, chain=chain[:-1], level=level)
        files[f"{level}.xml"] = sign_xml(dossier_xml, key, issued.certificate, chain=chain[:-1], level=level)
        files[f"{level}.p7s"] = sign_cms(CONTENT, key, issued.certificate, chain=chain[:-1], level=level)
    files["B-T.pdf"] = sign_pdf(one_page_pdf, key, issued.certificate, chain=chain[:-1], level="B-T")
    (tmp_path / "content.bin").write_bytes(CONTENT)
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    other_installation()

    for name in files:
        extra = ["--content", tmp_path / "content.bin"] if name.endswith(".p7s") else []
        code, report = _verify(capsys, tmp_path / name, *extra)
        if name.startswith("B-T"):
            assert (code, report["indication"]) == (2, "INDETERMINATE"), name
            continue
        assert (code, report["indication"]) == (0, "TOTAL_PASSED"), (name, report["messages"])
        assert report["signatures"][0]["level"] == name.split(".")[0]


def test_trust_accepts_crls_handed_in_by_the_relying_party(signer, chain, one_page_pdf, tmp_path, capsys,
                                                           other_installation):
    issued, key = signer
    (tmp_path / "b-t.pdf").write_bytes(sign_pdf(one_page_pdf, key, issued.certificate, chain=chain[:-1], level="B-T"))
    crls = [revinfo.current_crl(ca) for ca in chain]
    crl_pem = b"".join(b"-----BEGIN X509 CRL-----\n" + base64.encodebytes(c) + b"-----END X509 CRL-----\n"
                       for c in crls)
    (tmp_path / "crls.pem").write_bytes(crl_pem)
    (tmp_path / "issuing.crl").write_bytes(crls[0])          # DER
    assert load_trust_file(crl_pem) == ([], crls)
    assert load_trust_file(pem(chain[-1]) + crl_pem) == ([chain[-1]], crls)
    other_installation()

    (tmp_path / "chain.pem").write_bytes(pem(*chain[:-1]))    # the time-stamp carries only the TSA's own certificate
    code, report = _verify(capsys, tmp_path / "b-t.pdf", "--trust", tmp_path / "chain.pem")
    assert code == 2, report["messages"]                      # certificates, but no revocation data
    code, report = _verify(capsys, tmp_path / "b-t.pdf", "--trust", tmp_path / "chain.pem",
                           "--trust", tmp_path / "crls.pem")
    assert (code, report["indication"]) == (0, "TOTAL_PASSED"), report["messages"]
    code, report = _verify(capsys, tmp_path / "b-t.pdf", "--trust", tmp_path / "chain.pem",
                           "--trust", tmp_path / "issuing.crl")
    assert code == 2     # the root's CRL (about the issuing CA) is still missing


def test_a_root_inside_a_document_is_never_trusted(pki, tmp_path, capsys, other_installation):
    """A foreign CA's root carried in CertificateValues does not make the signature trusted."""
    ca, cert, key = foreign_ca()
    root = etree.fromstring(sign_xml(b"<a>x</a>", SoftwareKey("x", key), cert, chain=[ca]))
    xades_lt._values(xades_lt._usp(root.find(f"{{{xades_lt.DS}}}Signature"), create=True), Material(certs=[ca, cert]))
    (tmp_path / "foreign.xml").write_bytes(etree.tostring(root))
    other_installation()
    code, report = _verify(capsys, tmp_path / "foreign.xml")
    assert code == 2 and report["sub_indication"] == "NO_CERTIFICATE_CHAIN_FOUND", report
