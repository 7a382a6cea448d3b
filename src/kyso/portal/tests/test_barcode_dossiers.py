"""Barcode dossiers at the one-stop desk (letter 2671): the scanned form is decoded with zxing-cpp to
pre-fill; in 2026 a barcode dossier is refused citing rule 2671-BARCODE-STOP, except the child-card
procedure from a commune People's Committee without a digital signature."""

import io

import pytest

from kyso.portal import barcode
from kyso.portal.models import Dossier

from . import helpers as h


def _upload(data: bytes, name="scan.png"):
    f = io.BytesIO(data)
    f.name = name
    return f


def test_scanned_form_is_decoded_and_prefills(api, demo):
    png = barcode.encode_png(h.d03(children=2))
    r = api("motcua.hn").post("/api/v1/portal/desk/decode/", {"image": _upload(png)}, format="multipart")
    assert r.status_code == 200, r.json()
    body = r.json()
    assert (body["form"], body["procedure"], body["submitter_kind"]) == ("D03-TS", "TE6", "commune")
    assert body["name"] == "UBND phường Kim Mã"
    assert "Trần Bảo An 1" in body["payload"]


@pytest.mark.parametrize("fmt", ["QRCode", "PDF417", "DataMatrix"])
def test_decoder_reads_the_usual_2d_symbologies(fmt, demo):
    payload = h.tk1("Phạm Thị Ánh Tuyết")
    assert barcode.decode_image(barcode.encode_png(payload, fmt=fmt)) == payload


def test_barcode_dossier_is_refused_in_2026_citing_the_rule(api, demo):
    png = barcode.encode_png(h.d02())
    r = api("motcua.hn").post("/api/v1/portal/desk/dossiers/", {
        "unit": "HN.BD", "procedure": "600", "submitter_kind": "employer", "name": "Công ty TNHH Ánh Dương",
        "tax_code": "0101234567", "image": _upload(png)}, format="multipart")
    assert r.status_code == 400
    err = r.json()["error"]
    assert err["code"] == "portal.intake.rule_refused"
    assert "2671-BARCODE-STOP" in err["message"] and "2671/BHXH-CNTT" in err["message"]
    assert not Dossier.objects.exists()


def test_child_card_from_commune_without_signature_is_accepted(api, demo):
    png = barcode.encode_png(h.d03())
    r = api("motcua.hn").post("/api/v1/portal/desk/dossiers/", {
        "unit": "HN.BD", "procedure": "TE6", "submitter_kind": "commune", "name": "UBND phường Kim Mã",
        "has_digital_signature": "false", "image": _upload(png)}, format="multipart")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["kind"] == "barcode" and body["channel"] == "desk" and body["intake_rule"] == "2671-CHILD-CARD"
    assert {f["name"] for f in body["files"]} == {"TE6-barcode.xml", "scan.png"}
    assert body["documents"][0]["kind"] == "receipt"


def test_commune_with_a_digital_signature_must_send_e_dossiers(api, demo):
    r = api("motcua.hn").post("/api/v1/portal/desk/dossiers/", {
        "unit": "HN.BD", "procedure": "TE6", "submitter_kind": "commune", "name": "UBND phường Kim Mã",
        "has_digital_signature": True, "payload": h.d03().decode()}, format="json")
    assert r.status_code == 400 and "2671-BARCODE-STOP" in r.json()["error"]["message"]


def test_bad_scans_are_refused_with_a_code(api, demo):
    client = api("motcua.hn")
    r = client.post("/api/v1/portal/desk/decode/", {"image": _upload(b"not an image")}, format="multipart")
    assert r.json()["error"]["code"] == "portal.barcode.not_an_image"
    from PIL import Image
    blank = io.BytesIO()
    Image.new("L", (200, 200), 255).save(blank, "PNG")
    r = client.post("/api/v1/portal/desk/decode/", {"image": _upload(blank.getvalue())}, format="multipart")
    assert r.json()["error"]["code"] == "portal.barcode.not_found"


def test_desk_outside_scope_is_forbidden(api, demo):
    r = api("motcua.bd").post("/api/v1/portal/desk/dossiers/", {
        "unit": "HN.CG", "procedure": "TE6", "submitter_kind": "commune", "name": "UBND phường Dịch Vọng",
        "payload": h.d03().decode()}, format="json")
    assert r.status_code == 403
