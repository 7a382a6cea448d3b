"""A dossier's result is signed by the office's leader with his own certificate, then sealed (Decision 508,
Art. 8.2 and 8.5; Decree 30, Art. 32).

What was wrong before (red team, finding f4): the result returned to the submitter carried ONE signature, the
office's organisation seal (CN=BHXH quận Ba Đình), under a block reading "THỦ TRƯỞNG CƠ QUAN" — and the sign
step that made it was taken by `badinh`, a managing-unit officer, because `portal.approve` (given to his role)
also granted "sign"; a province officer could seal a district's result the same way. Nothing in the result named
or was signed by the person who took the step, and no device or PIN was asked for.

Now the sign step has its own permission, `portal.sign`, held by the leader role only, and the leader of the
office the dossier waits for takes it with his certificate on his USB token and its PIN (`sign_for`: his own
certificate only, a wrong PIN counted by the token); his stamp shows his title, signature and name; the
office's seal goes over it. Page, API and `processing.advance` all go through the same function and the step
runner: a refusal leaves nothing written, and whoever processed the dossier still does not sign it."""

import io
import shutil
import subprocess

import pytest
from cryptography import x509
from django.db import transaction
from pyhanko.pdf_utils.reader import PdfFileReader

from kyso.accounts.models import RoleAssignment
from kyso.core.context import acting_as
from kyso.core.errors import KysoError
from kyso.files.storage import read
from kyso.pki.models import IssuedCertificate, TokenPin
from kyso.pki.testing import TEST_PIN
from kyso.portal import processing
from kyso.portal.models import Dossier, DossierDocument
from kyso.signing.policy import is_person
from kyso.signing.verify import verify_bytes

from . import helpers as h

pytestmark = pytest.mark.django_db


def _approved(demo, unit="HN.BD"):
    """A dossier of Ba Đình processed by the one-stop officer and approved by `badinh`: next comes "sign"."""
    d = h.make_dossier(demo.unit(unit))
    for login, step, extra in (("badinh", "assign", {"assignee": "motcua.bd"}), ("motcua.bd", "process", {}),
                               ("badinh", "approve", {})):
        user = demo.user(login)
        with acting_as(user), transaction.atomic():
            processing.advance(user, d, step, **extra)
    return Dossier.objects.get(pk=d.pk)


def _step(client, code, **body):
    return client.post(f"/api/v1/portal/dossiers/{code}/steps/", {"step": "sign", **body}, format="json")


def _nothing_written(d):
    d = Dossier.objects.get(pk=d.pk)
    assert (d.step, d.status) == ("approve", "in_progress")
    assert not DossierDocument.objects.filter(dossier=d, kind="result").exists()
    assert not d.events.filter(action="sign").exists()


def _signers(pdf: bytes) -> list[x509.Certificate]:
    return [x509.load_der_x509_certificate(s.signer_cert.dump())
            for s in PdfFileReader(io.BytesIO(pdf)).embedded_signatures]


def test_the_result_carries_the_leaders_own_signature_then_the_offices_seal(demo, pki, api, tmp_path):
    d = _approved(demo)
    leader, serial = h.office_leader()
    r = _step(h.leader_api(), d.code, note="Chấp thuận báo tăng 02 lao động", **h.sign_fields())
    assert r.status_code == 200, r.json()
    assert r.json()["status"] == "result_ready"
    doc = DossierDocument.objects.get(dossier=d, kind="result")
    pdf = read(doc.file)

    first, second = _signers(pdf)
    # the leader's personal certificate — the very one he chose — first, then the office's seal certificate
    assert is_person(first) and format(first.serial_number, "x") == serial.lower().lstrip("0")
    assert first.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value == leader.person.full_name
    assert not is_person(second)
    assert second.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value == "BHXH quận Ba Đình"
    assert doc.data["signed_by"] == "giamdoc.bd" and doc.data["certificate"] == serial.lower()

    report = verify_bytes(pdf, doc_type="official", expected_title="Giám đốc")
    assert report.indication == "TOTAL_PASSED", report.to_dict()
    assert [s.indication for s in report.signatures] == ["TOTAL_PASSED", "TOTAL_PASSED"], report.to_dict()

    if shutil.which("pdfsig"):        # poppler's verifier agrees (poppler-utils)
        path = tmp_path / "ket-qua.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(["pdfsig", "-nocert", str(path)], capture_output=True, timeout=60).stdout.decode()
        assert out.count("Signature is Valid.") == 2, out
        assert leader.person.full_name in out and "BHXH quận Ba Đình" in out, out


def test_a_unit_officer_without_the_leader_role_is_refused_and_nothing_is_written(demo, pki, api):
    d = _approved(demo)
    h.office_leader()
    r = _step(api("badinh"), d.code, **h.sign_fields())
    assert r.status_code == 403 and r.json()["error"]["code"] == "portal.sign.not_leader", r.json()
    _nothing_written(d)
    # nor a province officer on a district's dossier
    r = _step(api("hanoi"), d.code, **h.sign_fields())
    assert r.status_code == 403 and r.json()["error"]["code"] == "portal.sign.not_leader", r.json()
    _nothing_written(d)


def test_a_leader_of_a_higher_office_does_not_sign_a_district_result(demo, pki, api):
    d = _approved(demo)
    h.office_leader()
    r = _step(api("lanhdao"), d.code, certificate="00", pin=TEST_PIN)
    assert r.status_code == 403 and r.json()["error"]["code"] == "portal.sign.not_this_office", r.json()
    _nothing_written(d)


def test_a_wrong_pin_is_refused_counted_and_nothing_is_written(demo, pki):
    d = _approved(demo)
    leader, serial = h.office_leader()
    with acting_as(leader), pytest.raises(KysoError) as e:     # (the test's transaction stands for the request's)
        processing.advance(leader, d, "sign", certificate=serial, pin="000000")
    assert e.value.code == "signing.device.locked" and e.value.http_status == 403
    _nothing_written(d)
    token = IssuedCertificate.objects.get(serial=serial).key_location.split("token=", 1)[1].split(";", 1)[0]
    assert TokenPin.objects.get(token_label=token).failures == 1     # the token counted it all the same
    # without certificate or PIN the step is refused before any device is asked
    r = _step(h.leader_api(), d.code)
    assert r.status_code == 400 and r.json()["error"]["code"] == "portal.sign.device_required"
    assert set(r.json()["error"]["fields"]) == {"certificate", "pin"}
    _nothing_written(d)
    h.leader_signs(d)
    assert Dossier.objects.get(pk=d.pk).status == "result_ready"


def test_nobody_signs_with_someone_elses_certificate(demo, pki):
    d = _approved(demo)
    _leader, serial = h.office_leader()
    other, _ = h.office_leader("HN", "giamdoc.hn")          # the province's director, at his own office
    with acting_as(other), transaction.atomic(), pytest.raises(KysoError) as e:
        processing.advance(other, d, "sign", certificate=serial, pin=TEST_PIN)
    assert e.value.code in ("signing.certificate.not_yours", "portal.sign.not_this_office")
    _nothing_written(d)


def test_the_leader_who_processed_the_dossier_does_not_sign_its_result(demo, pki, api):
    """Four eyes (issue 16): a leader who also holds the one-stop officer's role processes a dossier; he is
    then refused its sign step, whatever his certificate and PIN."""
    leader, serial = h.office_leader()
    with acting_as(label="test"), transaction.atomic():
        RoleAssignment.objects.create(user=leader, role="onestop_officer", unit=demo.unit("HN.BD"))
    d = h.make_dossier(demo.unit("HN.BD"))
    leader = type(leader).objects.get(pk=leader.pk)
    for user, step, extra in ((demo.user("badinh"), "assign", {"assignee": "giamdoc.bd"}), (leader, "process", {}),
                              (demo.user("badinh"), "approve", {})):
        with acting_as(user), transaction.atomic():
            processing.advance(user, d, step, **extra)
    r = _step(h.leader_api(), d.code, **h.sign_fields())
    assert r.status_code == 403 and r.json()["error"]["code"] == "steps.four_eyes", r.json()
    _nothing_written(d)
    token = IssuedCertificate.objects.get(serial=serial).key_location.split("token=", 1)[1].split(";", 1)[0]
    assert not TokenPin.objects.filter(token_label=token, failures__gt=0).exists()


def test_the_page_asks_the_leader_for_his_certificate_and_pin_in_vietnamese(demo, pki):
    d = _approved(demo)
    leader, serial = h.office_leader()
    web = demo.client("badinh")
    assert 'value="sign"' not in web.get(f"/portal/d/{d.code}/").content.decode()   # not offered to him
    web = demo.client("giamdoc.bd")
    page = web.get(f"/portal/d/{d.code}/").content.decode()
    assert 'value="sign"' in page and f'value="{serial}"' in page and 'name="pin"' in page
    cert = IssuedCertificate.objects.get(serial=serial)
    assert cert.not_after.strftime("%d/%m/%Y") in page and "Mã PIN" in page
    page = web.post(f"/portal/d/{d.code}/", {"op": "step", "step": "sign", "certificate": serial, "pin": "999999"},
                    follow=True).content.decode()
    assert "Mã PIN không đúng" in page
    _nothing_written(d)
    r = web.post(f"/portal/d/{d.code}/", {"op": "step", "step": "sign", "certificate": serial, "pin": TEST_PIN})
    assert r.status_code == 302
    assert Dossier.objects.get(pk=d.pk).status == "result_ready"
    pdf = read(DossierDocument.objects.get(dossier=d, kind="result").file)
    assert verify_bytes(pdf, doc_type="official").indication == "TOTAL_PASSED"
