"""Receipts at intake speed (issue 19): signed by the office's seal before the answer (CAdES B-B, accepted by
`kyso verify`), time-stamped afterwards in batches under one token (RFC 4998 evidence records), the PDF for
people rendered and sealed on first download."""

import json

import pytest
from django.core.management import call_command
from django.db import transaction
from lxml import etree

from kyso.core.context import acting_as
from kyso.files import storage
from kyso.org.models import Unit
from kyso.portal import receipt_stamps, receipts
from kyso.portal.models import Dossier, Receipt, ReceiptBatch
from kyso.signing.verify import verify_bytes

from . import helpers as h


def _receipt_of(code):
    return Receipt.objects.select_related("document__file", "batch").get(document__dossier__code=code)


def _stamp():
    with acting_as(label="test"), transaction.atomic():
        return receipt_stamps.stamp_pending()


def test_the_answer_carries_a_receipt_signed_by_the_office(employer_api, signed_600):
    body = employer_api.post("/api/v1/portal/dossiers/", {"procedure": "600", "files": signed_600}, format="json").json()
    receipt = _receipt_of(body["code"])
    signed = storage.read(receipt.document.file)
    assert body["documents"][0]["sha256"] == receipt.sha256 == receipt.document.file.sha256
    report = verify_bytes(signed)
    assert report.indication == "TOTAL_PASSED", (report.messages, [s.checks for s in report.signatures])
    assert report.signatures[0].level == "B-B" and "BHXH quận Ba Đình" in report.signatures[0].signer
    root = etree.fromstring(receipts.content_of(signed))
    ns = {"r": receipts.NS}
    assert root.findtext("r:MaHoSo", namespaces=ns) == body["code"]
    assert root.findtext("r:NgayHenTra", namespaces=ns) == body["due_date"]
    listed = {t.get("sha256"): t.get("ketQua") for t in root.iterfind("r:DanhSachTep/r:Tep", namespaces=ns)}
    assert listed == {f["sha256"]: "TOTAL_PASSED" for f in body["files"]}
    assert receipt.batch is None and receipt.pdf is None      # nothing time-stamped or rendered on the intake path


def test_kyso_verify_accepts_the_receipt(employer_api, signed_600, tmp_path, capsys):
    body = employer_api.post("/api/v1/portal/dossiers/", {"procedure": "600", "files": signed_600}, format="json").json()
    path = tmp_path / receipts.file_name(body["code"])
    path.write_bytes(storage.read(_receipt_of(body["code"]).document.file))
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        call_command("verify", str(path), "--json")
    assert exc.value.code == 0
    assert json.loads(capsys.readouterr().out)["indication"] == "TOTAL_PASSED"


def test_one_timestamp_covers_a_batch_and_each_receipt_has_its_evidence(demo, pki):
    unit = Unit.objects.get(code="HN.BD")
    codes = [h.make_dossier(unit, tax_code=f"01000000{i:02d}").code for i in range(5)]
    batch = _stamp()
    assert batch.size == 5 and _stamp() is None
    for code in codes:
        receipt = _receipt_of(code)
        assert receipt.batch_id == batch.id
        signed = storage.read(receipt.document.file)
        proof = receipt_stamps.check(signed, receipt_stamps.evidence(receipt))
        assert proof.valid, proof.reason
        assert proof.at == batch.gen_time
    other = storage.read(_receipt_of(codes[2]).document.file)      # not receipt 0's sibling in the tree
    proof = receipt_stamps.check(other, receipt_stamps.evidence(_receipt_of(codes[0])))
    assert not proof.valid and "not in its evidence record" in proof.reason
    tampered = other.replace(codes[2].encode(), codes[0].encode())
    assert not receipt_stamps.check(tampered, receipt_stamps.evidence(_receipt_of(codes[2]))).valid


def test_a_batch_of_one_and_an_odd_tree(demo, pki):
    unit = Unit.objects.get(code="HN.BD")
    first = h.make_dossier(unit).code
    assert _stamp().size == 1
    receipt = _receipt_of(first)
    assert receipt_stamps.check(storage.read(receipt.document.file), receipt_stamps.evidence(receipt)).valid
    leaves = [bytes([i]) * 32 for i in range(7)]
    root = receipt_stamps.root_of(leaves)
    for i, leaf in enumerate(leaves):
        assert receipt_stamps.root_from(leaf, receipt_stamps.reduced_tree(leaves, i)) == root


def test_the_periodic_job_stamps_what_waits(demo, pki):
    from kyso.jobs import registry

    unit = Unit.objects.get(code="HN.BD")
    for i in range(3):
        h.make_dossier(unit, tax_code=f"01000001{i:02d}")
    assert "portal.receipt_timestamps" in registry.periodic()
    with acting_as(label="test"), transaction.atomic():
        assert receipt_stamps.run_job() == {"batches": 1, "receipts": 3}
    assert not Receipt.objects.filter(batch__isnull=True).exists()
    assert ReceiptBatch.objects.count() == 1


def test_the_pdf_receipt_is_rendered_and_sealed_once_on_first_download(employer_api, signed_600):
    body = employer_api.post("/api/v1/portal/dossiers/", {"procedure": "600", "files": signed_600}, format="json").json()
    url = f"/api/v1/portal/dossiers/{body['code']}/documents/{body['documents'][0]['id']}/"
    first = employer_api.get(url)
    assert first.status_code == 200 and first.content.startswith(b"%PDF")
    report = verify_bytes(first.content)
    assert report.indication == "TOTAL_PASSED" and report.signatures[0].level in ("B-T", "B-LT")
    assert employer_api.get(url).content == first.content
    receipt = _receipt_of(body["code"])
    assert receipt.pdf is not None and receipt.pdf.sha256 != receipt.sha256
    assert Dossier.objects.get(code=body["code"]).documents.count() == 1


def test_the_submitter_downloads_the_signed_receipt_then_its_evidence(employer_api, signed_600):
    body = employer_api.post("/api/v1/portal/dossiers/", {"procedure": "600", "files": signed_600}, format="json").json()
    base = f"/api/v1/portal/dossiers/{body['code']}/receipt/"
    signed = employer_api.get(base)
    assert signed.status_code == 200 and signed["Content-Type"] == "application/pkcs7-mime"
    assert verify_bytes(signed.content).indication == "TOTAL_PASSED"
    waiting = employer_api.get(base + "evidence/")
    assert waiting.status_code == 409 and waiting.json()["error"]["code"] == "portal.receipt.not_stamped"
    batch = _stamp()
    record = employer_api.get(base + "evidence/")
    assert record.status_code == 200
    proof = receipt_stamps.check(signed.content, record.content)
    assert proof.valid and proof.at == batch.gen_time
