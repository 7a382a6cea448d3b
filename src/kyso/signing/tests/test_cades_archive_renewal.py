"""Detached CAdES signatures (.p7s) kept in the archive are renewed by the job like PDFs and XML (ETSI EN 319 122-1
§ 5.5.3): the signed file is found in the archive by its SHA-256 (the archive names every file by it); the renewed
.p7s carries a new archive-time-stamp-v3 and fresh revocation values, verifies with only the root, is accepted by
`openssl cms -verify`, is audited and listed on the renewals page. Without the signed file in the archive it is
listed once with the reason."""

import io

from django.db import transaction
from django.test import Client
from django.utils import timezone

from kyso.audit.models import AuditRecord
from kyso.core.context import acting_as
from kyso.files.storage import read, store
from kyso.pki.ca import get_ca, responder
from kyso.pki.profiles import MAX_DAYS
from kyso.signing import cades, renewal
from kyso.signing.trust import TrustStore
from kyso.signing.verify import verify_bytes

from .helpers import pem, run
from .test_archive_renewal import _days_left, _new_tsa_certificate

CONTENT = "Biên bản đối chiếu số liệu tháng 11/2026 — BHXH quận Ba Đình\n".encode() * 50


def _openssl_accepts(tmp_path, p7s: bytes, root) -> bool:
    (tmp_path / "sig.p7s").write_bytes(p7s)
    (tmp_path / "content.bin").write_bytes(CONTENT)
    (tmp_path / "root.pem").write_bytes(pem(root))
    result = run("openssl", "cms", "-verify", "-binary", "-content", tmp_path / "content.bin", "-inform", "DER",
                 "-in", tmp_path / "sig.p7s", "-CAfile", tmp_path / "root.pem", "-out", tmp_path / "out.bin")
    return result.returncode == 0 and b"Verification successful" in result.stderr


def _same_strength_in_any_order(renewed: bytes, tsa) -> None:
    """The signer's unsigned attributes are a DER SET (sorted by their bytes): when the renewal's archive time-stamp
    falls in the same second as the first one, the order of the tokens says nothing, and the renewed record's
    strength must be the new authority's in whichever order they come (the CI once saw the old one win)."""
    parts = renewal.PARTS["cms"](renewed)
    assert len(parts.tokens) >= 2
    for order in (parts.tokens, parts.tokens[::-1]):
        shuffled = renewal.Parts(parts.signers, list(order), list(parts.archive[::-1]))
        original = renewal.PARTS["cms"]
        renewal.PARTS["cms"] = lambda data: shuffled
        try:
            found = renewal.strength(renewed)
        finally:
            renewal.PARTS["cms"] = original
        assert found.weak_at == tsa.not_valid_after_utc, (found, [t.dump()[:8] for t in order])


def test_an_archived_p7s_is_renewed_with_its_signed_file(demo, signer, chain, settings, tmp_path, time_machine):
    time_machine.move_to(timezone.now(), tick=False)    # every time-stamp in the same second: the order is the DER's
    settings.KYSO_ALGORITHM_END_DATES = {"rsa2048": "2099-12-31"}
    issued, key = signer
    path = demo.unit("HN.BD").path
    p7s = cades.sign_cms(CONTENT, key, issued.certificate, chain=chain[:-1], level="B-LTA")
    orphan = cades.sign_cms(b"not archived", key, issued.certificate, chain=chain[:-1], level="B-LTA")
    with acting_as(label="test"), transaction.atomic():
        store(CONTENT, name="bien-ban.docx", media_type="application/octet-stream", purpose="eoffice.attachment",
              unit_path=path)
        signature = store(p7s, name="bien-ban.docx.p7s", media_type="application/pkcs7-signature",
                          purpose="eoffice.issued", unit_path=path)
        lost = store(orphan, name="mat-tep.p7s", media_type="application/pkcs7-signature", purpose="eoffice.issued",
                     unit_path=path)
    old_tsa = responder(get_ca(), "tsa")[0].certificate
    settings.KYSO_ARCHIVE_RENEWAL_MARGIN_DAYS = _days_left(old_tsa) + 1
    assert renewal.strength(p7s).why == "tsa"
    new_tsa = _new_tsa_certificate(days=MAX_DAYS)

    with acting_as(label="job"), transaction.atomic():
        out = renewal.renew_due()
    assert [r.source for r in out.renewed] == [signature]
    assert [(r.source, r.code) for r in out.failed] == [(lost, "signing.extend.content")]
    renewed = read(out.renewed[0].renewed)
    assert renewed != p7s and out.renewed[0].renewed.media_type == "application/pkcs7-signature"
    before, after = cades.load(p7s)["content"], cades.load(renewed)["content"]
    assert len(cades.archive_timestamps(after)) == len(cades.archive_timestamps(before)) + 1
    assert len(after["crls"]) > len(before["crls"])          # fresh revocation values
    report = verify_bytes(renewed, content=CONTENT, trust=TrustStore(roots=[chain[-1]]))
    assert report.indication == "TOTAL_PASSED", report.to_dict()
    assert report.signatures[0].level == "B-LTA"
    assert _openssl_accepts(tmp_path, renewed, chain[-1])
    assert AuditRecord.objects.filter(action="signing.archive.renew").exists()
    settings.KYSO_ARCHIVE_RENEWAL_MARGIN_DAYS = _days_left(new_tsa.certificate) - 1
    _same_strength_in_any_order(renewed, new_tsa.certificate)
    with acting_as(label="job"), transaction.atomic():
        again = renewal.renew_due()
    assert not again.renewed and not again.failed            # the renewed one is strong; the lost one listed once

    client = Client()
    client.force_login(demo.user("cntt"))
    html = client.get("/signing/archive-renewals/").content.decode()
    assert "bien-ban.docx.p7s" in html and "mat-tep.p7s" in html and "Đã gia hạn" in html
