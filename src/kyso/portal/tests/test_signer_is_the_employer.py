"""Issue 16, finding 5: a signed e-dossier of an employer is accepted only when it is signed with the
employer's own certificate (its tax code, MST, in the certificate subject) or with the certificate of a
person the employer has authorised (a registered authorisation), and an I-VAN provider submits only for
the employers registered with it (a registration kept by the officers)."""

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kyso.portal.models import Dossier
from kyso.portal.signers import holder_of

from . import helpers as h

SAO_MAI = {"tax_code": "0109876543", "name": "Công ty CP Sao Mai"}


def _ivan_body(issued, key, employer=SAO_MAI):
    return {"procedure": "600", "unit": "HN.BD", "employer": employer,
            "files": [h.b64file("D02-TS.xml", h.signed(h.d02(tax_code=employer["tax_code"], name=employer["name"]),
                                                       issued, key))]}


def _post_ivan(ivan_api, body, key):
    return ivan_api.post("/api/v1/portal/dossiers/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_ivan_cannot_pass_one_companys_signature_off_as_another(ivan_api, ivan, employer):
    _sub, anhduong_cert, anhduong_key = employer          # MST 0101234567
    h.register_ivan(ivan[0], SAO_MAI["tax_code"], SAO_MAI["name"])
    r = _post_ivan(ivan_api, _ivan_body(anhduong_cert, anhduong_key), "efy-sig-0001")
    assert r.status_code == 400, r.json()
    err = r.json()["error"]
    assert err["code"] == "portal.intake.signer_not_employer"
    assert err["field_codes"] == {"D02-TS.xml": "portal.intake.signer_not_employer"}
    assert "0109876543" in err["message"]
    # nor with the I-VAN provider's own certificate
    _ivan_sub, ivan_cert, ivan_key = ivan
    r = _post_ivan(ivan_api, _ivan_body(ivan_cert, ivan_key), "efy-sig-0002")
    assert r.status_code == 400 and r.json()["error"]["code"] == "portal.intake.signer_not_employer"
    assert not Dossier.objects.exists()

    issued, key = h.holder_certificate(SAO_MAI["name"], "MST:0109876543")
    r = _post_ivan(ivan_api, _ivan_body(issued, key), "efy-sig-0003")
    assert r.status_code == 201, r.json()
    assert r.json()["submitter_tax_code"] == "0109876543"


def test_ivan_submits_only_for_employers_registered_with_it(api, ivan_api, ivan):
    issued, key = h.holder_certificate(SAO_MAI["name"], "MST:0109876543")
    r = _post_ivan(ivan_api, _ivan_body(issued, key), "efy-reg-0001")
    assert r.status_code == 403 and r.json()["error"]["code"] == "portal.ivan.not_registered"
    assert not Dossier.objects.exists()

    # the I-VAN provider cannot register itself; the employer's managing office does
    reg = {"ivan": "ivan.efy", "employer_tax_code": "0109876543", "employer_name": SAO_MAI["name"], "unit": "HN.BD"}
    assert ivan_api.post("/api/v1/portal/ivan-registrations/", reg, format="json").status_code == 403
    assert api("thuebao").post("/api/v1/portal/ivan-registrations/", reg, format="json").status_code == 403
    assert api("badinh").post("/api/v1/portal/ivan-registrations/", dict(reg, unit="HN.CG"),
                              format="json").status_code == 403
    r = api("motcua.bd").post("/api/v1/portal/ivan-registrations/", reg, format="json")
    assert r.status_code == 201, r.json()
    assert api("motcua.bd").post("/api/v1/portal/ivan-registrations/", reg, format="json").json()["error"]["code"] == \
        "portal.ivan.already_registered"
    assert _post_ivan(ivan_api, _ivan_body(issued, key), "efy-reg-0002").status_code == 201

    # registration ended: refused again
    assert api("motcua.bd").post(f"/api/v1/portal/ivan-registrations/{r.json()['id']}/end/").status_code == 200
    r = _post_ivan(ivan_api, _ivan_body(issued, key), "efy-reg-0003")
    assert r.status_code == 403 and r.json()["error"]["code"] == "portal.ivan.not_registered"


def test_a_person_signs_for_the_employer_only_when_authorised(api, employer, employer_api):
    person_cert, person_key = h.holder_certificate("Nguyễn Thị Kế Toán", "CCCD:001190012345", person=True)
    files = [h.b64file("D02-TS.xml", h.signed(h.d02(), person_cert, person_key)),
             h.b64file("TK1-TS.xml", h.signed(h.tk1(), person_cert, person_key))]
    r = employer_api.post("/api/v1/portal/dossiers/", {"procedure": "600", "files": files}, format="json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "portal.intake.signer_not_employer"
    assert set(r.json()["error"]["field_codes"]) == {"D02-TS.xml", "TK1-TS.xml"}

    auth = {"employer_tax_code": "0101234567", "employer_name": "Công ty TNHH Ánh Dương",
            "person_id": "001190012345", "person_name": "Nguyễn Thị Kế Toán", "unit": "HN.BD"}
    assert employer_api.post("/api/v1/portal/signer-authorisations/", auth, format="json").status_code == 403
    made = api("motcua.bd").post("/api/v1/portal/signer-authorisations/", auth, format="json")
    assert made.status_code == 201, made.json()
    r = employer_api.post("/api/v1/portal/dossiers/", {"procedure": "600", "files": files}, format="json")
    assert r.status_code == 201, r.json()

    # an authorisation for another employer does not help; an ended one no longer does
    assert api("motcua.bd").post(f"/api/v1/portal/signer-authorisations/{made.json()['id']}/end/").status_code == 200
    r = employer_api.post("/api/v1/portal/dossiers/", {"procedure": "600", "files": files}, format="json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "portal.intake.signer_not_employer"


def test_an_employer_cannot_submit_with_another_companys_certificate(employer_api):
    other_cert, other_key = h.holder_certificate("Công ty CP Sao Mai", "MST:0109876543")
    files = [h.b64file("D02-TS.xml", h.signed(h.d02(), other_cert, other_key)),
             h.b64file("TK1-TS.xml", h.signed(h.tk1(), other_cert, other_key))]
    r = employer_api.post("/api/v1/portal/dossiers/", {"procedure": "600", "files": files}, format="json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "portal.intake.signer_not_employer"
    assert not Dossier.objects.exists()


def _cert(*attrs):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "X"), *attrs])
    now = dt.datetime.now(dt.timezone.utc)
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + dt.timedelta(days=1))
            .sign(key, hashes.SHA256()))


@pytest.mark.parametrize("attr,tax,person", [
    (x509.NameAttribute(NameOID.USER_ID, "MST:0101234567"), {"0101234567"}, set()),
    (x509.NameAttribute(NameOID.USER_ID, "MST:0101234567-001"), {"0101234567-001"}, set()),
    (x509.NameAttribute(NameOID.SERIAL_NUMBER, "MST:0101234567"), {"0101234567"}, set()),
    (x509.NameAttribute(x509.ObjectIdentifier("2.5.4.97"), "VNVAT-0101234567"), {"0101234567"}, set()),
    (x509.NameAttribute(NameOID.USER_ID, "CCCD:001190012345"), set(), {"001190012345"}),
    (x509.NameAttribute(NameOID.USER_ID, "CMND:012345678"), set(), {"012345678"}),
    (x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "MST:0101234567"), set(), set()),
])
def test_the_holders_identifier_is_read_where_vietnamese_cas_put_it(attr, tax, person):
    holder = holder_of(_cert(attr))
    assert (holder.tax_codes, holder.person_ids) == (tax, person)
