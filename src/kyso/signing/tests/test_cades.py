"""CAdES for any file (ETSI EN 319 122-1), detached, B-B to B-LTA: `openssl cms -verify` accepts every level,
Kyso reports the level really found, B-LT/B-LTA verify TOTAL_PASSED offline with only the root, archive
time-stamps v3 cover the signature and what was added before them, and `extend` renews the archive."""

import json

import pytest
from asn1crypto import cms
from cryptography.x509 import ocsp
from django.core.management import call_command

from kyso.core.errors import InvalidInput
from kyso.pki.ca import get_ca, responder
from kyso.signing.cades import archive_timestamps, load, sign_cms
from kyso.signing.longterm import extend
from kyso.signing.trust import TrustStore
from kyso.signing.verify import verify_bytes

from .helpers import cli_sign_b_lta_and_extend, pem, run

CONTENT = "Bảng kê hồ sơ tháng 11/2026 — BHXH quận Ba Đình\n".encode() * 200


def _openssl_ok(tmp_path, p7s: bytes, chain, content: bytes = CONTENT):
    (tmp_path / "sig.p7s").write_bytes(p7s)
    (tmp_path / "content.bin").write_bytes(content)
    (tmp_path / "root.pem").write_bytes(pem(chain[-1]))
    result = run("openssl", "cms", "-verify", "-binary", "-content", tmp_path / "content.bin", "-inform", "DER",
                 "-in", tmp_path / "sig.p7s", "-CAfile", tmp_path / "root.pem", "-out", tmp_path / "out.bin")
    return result.returncode == 0 and b"Verification successful" in result.stderr, result.stderr.decode()


def _root_only(chain) -> TrustStore:
    return TrustStore(roots=[chain[-1]], allow_fetching=False)


def _ocsp_serials(p7s: bytes) -> set[str]:
    crls = load(p7s)["content"]["crls"] or []
    return {format(ocsp.load_der_ocsp_response(c.chosen["other_rev_info"].dump()).serial_number, "x")
            for c in crls if c.name == "other"}


@pytest.mark.parametrize("level", ["B-B", "B-T", "B-LT", "B-LTA"])
def test_every_level_is_accepted_by_openssl_and_reported_as_made(signer, chain, tmp_path, level):
    issued, key = signer
    p7s = sign_cms(CONTENT, key, issued.certificate, chain=chain[:-1], level=level)
    info = load(p7s)
    signer_info = info["content"]["signer_infos"][0]
    assert info["content"]["encap_content_info"]["content"].native is None          # detached
    assert "signing_certificate_v2" in {a["type"].native for a in signer_info["signed_attrs"]}
    ok, err = _openssl_ok(tmp_path, p7s, chain)
    assert ok, err
    report = verify_bytes(p7s, content=CONTENT)
    assert report.indication == "TOTAL_PASSED", report.to_dict()
    assert report.signatures[0].level == level
    if level != "B-B":
        assert report.signatures[0].timestamp_time is not None


@pytest.mark.parametrize("level", ["B-LT", "B-LTA"])
def test_long_term_cades_verifies_offline_with_only_the_root(signer, chain, level):
    issued, key = signer
    p7s = sign_cms(CONTENT, key, issued.certificate, chain=chain[:-1], level=level)
    tsa_cert = responder(get_ca(), "tsa")[0].certificate
    assert {format(c.serial_number, "x") for c in (issued.certificate, chain[0], tsa_cert)} <= _ocsp_serials(p7s)
    report = verify_bytes(p7s, content=CONTENT, trust=_root_only(chain))
    assert report.indication == "TOTAL_PASSED", report.to_dict()
    assert report.signatures[0].level == level


def test_b_t_is_not_complete_offline(signer, chain):
    issued, key = signer
    p7s = sign_cms(CONTENT, key, issued.certificate, chain=chain[:-1], level="B-T")
    assert verify_bytes(p7s, content=CONTENT, trust=_root_only(chain)).indication == "INDETERMINATE"


def test_other_content_fails(signer, chain):
    issued, key = signer
    p7s = sign_cms(CONTENT, key, issued.certificate, chain=chain[:-1], level="B-LTA")
    report = verify_bytes(p7s, content=CONTENT + b"!")
    assert report.indication == "TOTAL_FAILED"
    assert report.sub_indication == "HASH_FAILURE"


def test_extend_renews_a_cades_archive(signer, chain, tmp_path):
    issued, key = signer
    p7s = sign_cms(CONTENT, key, issued.certificate, chain=chain[:-1], level="B-LTA")
    twice = extend(extend(p7s, CONTENT), CONTENT)
    assert len(archive_timestamps(load(twice)["content"])) == 3
    ok, err = _openssl_ok(tmp_path, twice, chain)
    assert ok, err
    report = verify_bytes(twice, content=CONTENT, trust=_root_only(chain))
    assert report.indication == "TOTAL_PASSED", report.to_dict()
    assert report.signatures[0].level == "B-LTA"
    assert [c.code for c in report.signatures[0].checks].count("timestamp.archive") == 3


def test_extend_turns_b_b_into_b_lta(signer, chain):
    issued, key = signer
    p7s = sign_cms(CONTENT, key, issued.certificate, chain=chain[:-1], level="B-B")
    report = verify_bytes(extend(p7s, CONTENT), content=CONTENT, trust=_root_only(chain))
    assert report.indication == "TOTAL_PASSED", report.to_dict()
    assert report.signatures[0].level == "B-LTA"


def test_extend_needs_the_signed_content(signer, chain):
    issued, key = signer
    p7s = sign_cms(CONTENT, key, issued.certificate, chain=chain[:-1], level="B-LT")
    for content in (None, CONTENT + b"x"):
        with pytest.raises(InvalidInput) as exc:
            extend(p7s, content)
        assert exc.value.code == "signing.extend.content"


def test_revocation_value_removed_after_the_archive_time_stamp_is_caught(signer, chain):
    issued, key = signer
    info = load(sign_cms(CONTENT, key, issued.certificate, chain=chain[:-1], level="B-LTA"))
    info["content"]["crls"] = list(info["content"]["crls"])[1:]
    sig = verify_bytes(info.dump(), content=CONTENT).signatures[0]
    assert sig.level == "B-LT"
    assert "timestamp.archive_invalid" in sig.codes


def test_cli_signs_cms_and_verifies_it(signer, chain, tmp_path, capsys):
    renewed = cli_sign_b_lta_and_extend(tmp_path, signer, chain, "cms", "bang-ke.txt", CONTENT, "bang-ke.p7s",
                                        "--content", tmp_path / "bang-ke.txt")
    capsys.readouterr()
    with pytest.raises(SystemExit) as done:
        call_command("verify", renewed, "--content", tmp_path / "bang-ke.txt", "--json")
    assert done.value.code == 0
    report = json.loads(capsys.readouterr().out)
    assert report["indication"] == "TOTAL_PASSED" and report["signatures"][0]["level"] == "B-LTA"
    assert isinstance(load(renewed.read_bytes()), cms.ContentInfo)
