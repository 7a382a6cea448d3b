"""Security review: an IT Center officer issued a person's certificate from any CSR through the CA's API
(`POST /api/v1/pki/certificates/`) and `kyso ca issue`, without a Form 01. Now a subscriber's certificate (profiles
person and organization, the seal) is issued only for an issuance request of the lifecycle approved and sent to the
CA, of its kind, with the subject it names — recorded on the request in the same step, so one request gives one
certificate. Without it the step is refused with a stable code and nothing is written. The infrastructure
profiles (OCSP responder, TSA) stay the IT Center's act alone."""

import pytest
from cryptography import x509
from django.core.management import call_command
from django.core.management.base import CommandError

from kyso.lifecycle.models import Certificate, IssuanceRequest, RequestState
from kyso.lifecycle.tests.factories import in_state
from kyso.pki.models import IssuedCertificate

from .tools import make_csr

pytestmark = pytest.mark.django_db
URL = "/api/v1/pki/certificates/"


def _request(api, demo, kind="person", state=RequestState.SENT_TO_CA):
    body = {"kind": "person", "person": demo.person("HN.BD", "Giám đốc").pk} if kind == "person" else \
        {"kind": "organization", "unit": "HN.BD"}
    r = api("badinh").post("/api/v1/lifecycle/requests/", body, format="json")
    assert r.status_code == 201, r.content
    return in_state(IssuanceRequest.objects.get(pk=r.json()["id"]), state)


def _issue(api, tmp_path, profile="person", **extra):
    csr = make_csr(tmp_path).read_text()
    return api("cntt").post(URL, {"csr": csr, "profile": profile, "days": 365, **extra}, format="json")


def _refused(r, code):
    return r.status_code == 400 and r.json()["error"]["code"] == code


@pytest.mark.parametrize("profile", ["person", "organization"])
def test_no_subscriber_certificate_from_a_bare_csr(api, demo, pki, tmp_path, profile):
    before = IssuedCertificate.objects.count()
    r = _issue(api, tmp_path, profile)
    assert _refused(r, "pki.issue.request_required"), r.content
    assert "đề nghị" in r.json()["error"]["message"]          # Vietnamese for the officer
    assert IssuedCertificate.objects.count() == before


@pytest.mark.parametrize("state", [RequestState.SUBMITTED, RequestState.APPROVED, RequestState.ISSUED])
def test_only_a_request_sent_to_the_ca(api, demo, pki, tmp_path, state):
    req = _request(api, demo, state=state)
    before = IssuedCertificate.objects.count()
    assert _refused(_issue(api, tmp_path, request=req.pk), "pki.issue.request_not_approved")
    assert _refused(_issue(api, tmp_path, request=999999), "pki.issue.request_not_approved")
    assert IssuedCertificate.objects.count() == before
    assert IssuanceRequest.objects.get(pk=req.pk).state == state


def test_the_profile_follows_the_requests_kind(api, demo, pki, tmp_path):
    person, seal = _request(api, demo), _request(api, demo, "organization")
    assert _refused(_issue(api, tmp_path, "organization", request=person.pk), "pki.issue.request_not_approved")
    assert _refused(_issue(api, tmp_path, "person", request=seal.pk), "pki.issue.request_not_approved")
    assert not IssuedCertificate.objects.filter(profile__in=["person", "organization"]).exists()


def test_for_an_approved_request_the_certificate_names_its_subject_once(api, demo, pki, tmp_path):
    req = _request(api, demo)
    r = _issue(api, tmp_path, request=req.pk)          # the CSR says "Nguyễn Văn An": the request names another
    assert r.status_code == 201, r.content
    cert = IssuedCertificate.objects.get(serial=r.json()["serial"]).certificate
    assert cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value == req.full_name
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.RFC822Name) == [req.email]
    assert IssuanceRequest.objects.get(pk=req.pk).state == RequestState.ISSUED
    assert Certificate.objects.get(request=req).issued.serial == r.json()["serial"]
    assert _refused(_issue(api, tmp_path, request=req.pk), "pki.issue.request_not_approved")   # not twice


def test_the_infrastructure_profiles_need_no_request(api, demo, pki, tmp_path):
    for profile in ("ocsp", "tsa"):
        assert _issue(api, tmp_path, profile).status_code == 201


def test_the_command_line_holds_the_same_rule(api, demo, pki, tmp_path):
    csr, out = make_csr(tmp_path), tmp_path / "c.pem"
    before = IssuedCertificate.objects.count()
    with pytest.raises(CommandError) as refused:
        call_command("ca", "issue", "--csr", str(csr), "--profile", "person", "--days", "365", "--out", str(out),
                     "--user", "cntt")
    assert "[pki.issue.request_required]" in str(refused.value)
    with pytest.raises(CommandError) as refused:      # nor as the server's operator
        call_command("ca", "issue", "--csr", str(csr), "--profile", "person", "--days", "365", "--out", str(out))
    assert "[pki.issue.request_required]" in str(refused.value)
    assert IssuedCertificate.objects.count() == before and not out.exists()
    req = _request(api, demo)
    call_command("ca", "issue", "--csr", str(csr), "--profile", "person", "--days", "365", "--out", str(out),
                 "--user", "cntt", "--request", str(req.pk))
    cert = x509.load_pem_x509_certificate(out.read_bytes())
    assert cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value == req.full_name
    assert IssuanceRequest.objects.get(pk=req.pk).state == RequestState.ISSUED


def test_the_command_line_onto_a_token_for_a_request(api, demo, pki, tmp_path):
    from kyso.pki.keystore import init_softhsm_token

    init_softhsm_token("thiet-bi-002", "111111", "22222222")
    out = tmp_path / "tok.pem"
    args = ["ca", "issue", "--token", "thiet-bi-002", "--pin", "111111", "--profile", "person", "--days", "365",
            "--out", str(out), "--user", "cntt"]
    with pytest.raises(CommandError) as refused:
        call_command(*args, "--cn", "Lê Văn Cường", "--email", "lvcuong@vss.gov.vn")
    assert "[pki.issue.request_required]" in str(refused.value)
    req = _request(api, demo, "organization")
    with pytest.raises(CommandError) as refused:      # a seal request does not give a person's certificate
        call_command(*args, "--request", str(req.pk))
    assert "[pki.issue.request_not_approved]" in str(refused.value)
    args[args.index("person")] = "organization"
    call_command(*args, "--request", str(req.pk))
    assert IssuanceRequest.objects.get(pk=req.pk).state == RequestState.ISSUED


def _csr_of_the_subscriber(tmp_path, name="subscriber"):
    folder = tmp_path / name
    folder.mkdir()
    return make_csr(folder).read_text()


def test_a_request_with_the_subscribers_csr_certifies_that_key_and_no_other(api, demo, pki, tmp_path):
    """The subscriber's device made the key and its CSR is on the request (Form 01): the CA's API may not certify
    another key for that subject — an officer's own key under the director's name."""
    req = _request(api, demo)
    theirs = _csr_of_the_subscriber(tmp_path)
    IssuanceRequest.objects.filter(pk=req.pk).update(csr_pem=theirs)
    before = IssuedCertificate.objects.count()
    r = _issue(api, tmp_path, request=req.pk)                        # another key
    assert _refused(r, "pki.issue.key_mismatch"), r.content
    assert "CSR" in r.json()["error"]["message"] and set(r.json()["error"]["fields"]) == {"csr"}
    assert IssuedCertificate.objects.count() == before
    assert IssuanceRequest.objects.get(pk=req.pk).state == RequestState.SENT_TO_CA
    r = api("cntt").post(URL, {"csr": theirs, "profile": "person", "days": 365, "request": req.pk}, format="json")
    assert r.status_code == 201, r.content
    cert = IssuedCertificate.objects.get(serial=r.json()["serial"]).certificate
    wanted = x509.load_pem_x509_csr(theirs.encode()).public_key()
    assert cert.public_key().public_numbers() == wanted.public_numbers()
    assert IssuanceRequest.objects.get(pk=req.pk).state == RequestState.ISSUED


def test_a_request_with_a_csr_is_not_issued_onto_a_fresh_token_key(api, demo, pki, tmp_path):
    from kyso.pki.keystore import init_softhsm_token

    init_softhsm_token("thiet-bi-003", "111111", "22222222")
    req = _request(api, demo)
    IssuanceRequest.objects.filter(pk=req.pk).update(csr_pem=_csr_of_the_subscriber(tmp_path))
    with pytest.raises(CommandError) as refused:
        call_command("ca", "issue", "--token", "thiet-bi-003", "--pin", "111111", "--profile", "person", "--days",
                     "365", "--out", str(tmp_path / "t.pem"), "--user", "cntt", "--request", str(req.pk))
    assert "[pki.issue.key_mismatch]" in str(refused.value)
    assert IssuanceRequest.objects.get(pk=req.pk).state == RequestState.SENT_TO_CA


def test_a_request_whose_csr_cannot_be_read_certifies_no_key(api, demo, pki, tmp_path):
    req = _request(api, demo)
    IssuanceRequest.objects.filter(pk=req.pk).update(csr_pem="-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n")
    assert _refused(_issue(api, tmp_path, request=req.pk), "pki.issue.key_mismatch")
