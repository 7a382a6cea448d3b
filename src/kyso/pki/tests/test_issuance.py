"""Issuance from CSRs and onto tokens; every certificate verified by openssl and linted by pkilint."""

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from kyso.core.context import acting_as
from kyso.core.errors import InvalidInput
from kyso.pki import ca as pki_ca
from kyso.pki import issuance
from kyso.pki.models import IssuedCertificate
from kyso.pki.testing import make_signer

from .tools import errors, make_csr, openssl, pkilint, write_chain, write_pem

pytestmark = pytest.mark.django_db


def _issue(csr_path, profile="person", days=1825, subject=None):
    """The certificate a CSR gets, every check made — below the step, whose rule (a person's or an organisation's
    certificate only for an approved Form 01 request) test_subscriber_certificates_need_an_approved_request holds."""
    with acting_as(label="t"), transaction.atomic():
        return issuance.certify_csr(csr_path.read_bytes(), profile, days, subject=subject)


@pytest.mark.parametrize("key_spec", ["rsa:2048", "rsa:3072", "ec:prime256v1"])
def test_person_certificate_from_csr_verifies_and_lints(pki, tmp_path, key_spec):
    cert = _issue(make_csr(tmp_path, key_spec))
    pem = write_pem(tmp_path, "cert.pem", cert.certificate)
    out = openssl("verify", "-CAfile", str(write_chain(tmp_path)), str(pem)).stdout.decode()
    assert out.strip().endswith("OK")
    assert not errors(pkilint("pkix_cert", pem)), pkilint("pkix_cert", pem)
    c = cert.certificate
    ku = c.extensions.get_extension_for_class(x509.KeyUsage)
    assert ku.critical and ku.value.digital_signature and ku.value.content_commitment and not ku.value.key_cert_sign
    assert c.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(x509.RFC822Name) == ["nvan@hanoi.vss.gov.vn"]
    aia = c.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    assert {d.access_location.value for d in aia} == {"http://127.0.0.1:8000/pki/ocsp", "http://127.0.0.1:8000/pki/ca/issuing.crt"}
    dp = c.extensions.get_extension_for_class(x509.CRLDistributionPoints).value[0].full_name[0].value
    assert dp == "http://127.0.0.1:8000/pki/crl/issuing.crl"
    assert c.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value == "Nguyễn Văn An"


def test_person_subject_carries_name_title_and_unit(pki, tmp_path):
    subject = issuance.SubjectInfo(common_name="Trần Thị Bình", email="ttbinh@hanoi.vss.gov.vn", title="Phó Giám đốc",
                                   organizational_unit="BHXH quận Ba Đình", locality="Hà Nội")
    cert = _issue(make_csr(tmp_path), subject=subject).certificate
    dn = {a.oid: a.value for a in cert.subject}
    assert dn[x509.NameOID.TITLE] == "Phó Giám đốc" and dn[x509.NameOID.ORGANIZATIONAL_UNIT_NAME] == "BHXH quận Ba Đình"
    assert dn[x509.NameOID.ORGANIZATION_NAME] == "Bảo hiểm xã hội Việt Nam" and dn[x509.NameOID.COUNTRY_NAME] == "VN"


@pytest.mark.parametrize("profile,eku,critical", [("organization", None, None),
                                                  ("ocsp", x509.ExtendedKeyUsageOID.OCSP_SIGNING, False),
                                                  ("tsa", x509.ExtendedKeyUsageOID.TIME_STAMPING, True)])
def test_other_profiles(pki, tmp_path, profile, eku, critical):
    cert = _issue(make_csr(tmp_path, san=None, subject="/C=VN/O=Bảo hiểm xã hội Việt Nam/CN=BHXH quận Ba Đình"),
                  profile=profile, days=365)
    c = cert.certificate
    if eku is None:
        with pytest.raises(x509.ExtensionNotFound):
            c.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    else:
        ext = c.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
        assert list(ext.value) == [eku] and ext.critical is critical
    if profile == "ocsp":
        c.extensions.get_extension_for_class(x509.OCSPNoCheck)
    pem = write_pem(tmp_path, "c.pem", c)
    assert not errors(pkilint("pkix_cert", pem))
    openssl("verify", "-CAfile", str(write_chain(tmp_path)), str(pem))


def test_ca_certificates_lint_and_chain(pki, tmp_path):
    for ca in (pki.parent, pki):
        assert not errors(pkilint("pkix_cert", write_pem(tmp_path, f"{ca.name}.pem", ca.certificate)))
    issuing = pki.certificate
    bc = issuing.extensions.get_extension_for_class(x509.BasicConstraints)
    assert bc.critical and bc.value.ca and bc.value.path_length == 0
    assert "không dùng thật" in pki.parent.common_name  # clearly a development CA


def test_serials_are_random_unique_and_at_least_64_bits(pki, tmp_path):
    csr = make_csr(tmp_path)
    serials = [_issue(csr, days=30).certificate.serial_number for _ in range(20)]
    assert len(set(serials)) == 20
    assert all(s.bit_length() >= 64 for s in serials)
    assert max(s.bit_length() for s in serials) > 150  # 159 random bits
    from django.db import IntegrityError

    one = IssuedCertificate.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        IssuedCertificate.objects.create(ca=one.ca, serial=one.serial, profile="person", subject_dn="x", common_name="x",
                                         not_before=one.not_before, not_after=one.not_after, der=b"x", fingerprint="f" * 64)


@pytest.mark.parametrize("case,code", [
    ("garbage", "pki.csr.malformed"),
    ("weak_rsa", "pki.key.weak"),
    ("bad_signature", "pki.csr.bad_signature"),
    ("sha1", "pki.csr.weak_hash"),
    ("unknown_profile", "pki.profile.unknown"),
    ("too_long", "pki.validity.too_long"),
    ("no_email", "pki.person.email_required"),
])
def test_bad_requests_are_refused_and_nothing_is_issued(pki, tmp_path, case, code):
    before = IssuedCertificate.objects.count()
    profile, days = "person", 1825
    if case == "garbage":
        data = b"-----BEGIN CERTIFICATE REQUEST-----\nnot base64\n-----END CERTIFICATE REQUEST-----\n"
    elif case == "weak_rsa":
        data = make_csr(tmp_path, "rsa:1024").read_bytes()
    elif case == "bad_signature":
        from cryptography.hazmat.primitives.serialization import Encoding

        der = bytearray(x509.load_pem_x509_csr(make_csr(tmp_path).read_bytes()).public_bytes(Encoding.DER))
        der[-5] ^= 0xFF  # flip bits in the signature
        data = bytes(der)
    elif case == "sha1":
        data = make_csr(tmp_path, digest="-sha1").read_bytes()
    elif case == "unknown_profile":
        data, profile = make_csr(tmp_path).read_bytes(), "server"
    elif case == "too_long":
        data, days = make_csr(tmp_path).read_bytes(), 5 * 365 + 30
    else:
        data = make_csr(tmp_path, san=None).read_bytes()
    with pytest.raises(InvalidInput) as exc, acting_as(label="t"), transaction.atomic():
        issuance.certify_csr(data, profile, days)
    assert exc.value.code == code
    assert IssuedCertificate.objects.count() == before


def test_key_generated_in_softhsm_token_is_non_extractable_and_signs(pki, tmp_path):
    with acting_as(label="t"), transaction.atomic():
        issued, key = make_signer("person", key_spec="rsa2048", in_token=True)
    assert issued.key_location.startswith("pkcs11:token=")
    store = key.store
    assert store.is_extractable(key.label) is False
    # the private key signs inside the token; the certificate's public key verifies it
    sig = key.sign(b"van ban dien tu", "sha256")
    issued.certificate.public_key().verify(sig, b"van ban dien tu", padding.PKCS1v15(), hashes.SHA256())
    # and the certificate was written onto the token next to its key (as on a USB key device)
    import pkcs11

    from kyso.pki import keystore

    with keystore._P11_LOCK:
        certs = list(store.session().get_objects({pkcs11.Attribute.CLASS: pkcs11.ObjectClass.CERTIFICATE}))
        assert any(bytes(c[pkcs11.Attribute.VALUE]) == bytes(issued.der) for c in certs)
    openssl("verify", "-CAfile", str(write_chain(tmp_path)), str(write_pem(tmp_path, "t.pem", issued.certificate)))


def test_ecdsa_key_in_token(pki):
    with acting_as(label="t"), transaction.atomic():
        issued, key = make_signer("person", key_spec="p256", in_token=True)
    sig = key.sign(b"abc", "sha256")
    issued.certificate.public_key().verify(sig, b"abc", ec.ECDSA(hashes.SHA256()))


def test_a_ca_whose_key_is_in_the_hsm(pki, tmp_path, settings):
    """The CA signs with a key that never leaves the token (certificates and CRLs alike)."""
    from kyso.pki import crl, keystore

    keystore.init_softhsm_token("kyso-ca-test", "246810", "13579111")
    settings.KYSO_PKCS11_PIN = "246810"
    store = keystore.pkcs11_store("kyso-ca-test", "246810")
    with acting_as(label="t"), transaction.atomic():
        hsm_ca = pki_ca.create_ca("hsm", "Kyso DEV CA trong HSM (mô phỏng)", parent=pki.parent, key_spec="p256", store=store)
        issued = issuance.certify_csr(make_csr(tmp_path).read_bytes(), "person", 365, ca=hsm_ca)
    assert hsm_ca.key_store == "pkcs11:kyso-ca-test" and not store.is_extractable("ca-hsm")
    chain = tmp_path / "hsm-chain.pem"
    chain.write_bytes(hsm_ca.pem + pki.parent.pem)
    openssl("verify", "-CAfile", str(chain), str(write_pem(tmp_path, "h.pem", issued.certificate)))
    der = crl.current("hsm")
    (tmp_path / "hsm.crl").write_bytes(der)
    openssl("crl", "-inform", "DER", "-in", str(tmp_path / "hsm.crl"), "-CAfile", str(chain), "-noout")


def test_cli_issue_chain_and_errors(pki, tmp_path, capsys):
    # an infrastructure profile: a person's certificate needs its Form 01 request (the rule's own tests)
    csr = make_csr(tmp_path, san=None)
    out = tmp_path / "cli.pem"
    call_command("ca", "issue", "--csr", str(csr), "--profile", "ocsp", "--days", "1825", "--out", str(out))
    chain = tmp_path / "chain.pem"
    call_command("ca", "chain", "--out", str(chain))
    openssl("verify", "-CAfile", str(chain), str(out))
    with pytest.raises(CommandError) as exc:
        call_command("ca", "issue", "--csr", str(csr), "--profile", "ocsp", "--days", "3000", "--out", str(out))
    assert "pki.validity.too_long" in str(exc.value)
    with pytest.raises(CommandError):
        call_command("ca", "issue", "--csr", str(csr), "--profile", "banana", "--days", "30", "--out", str(out))


def test_cli_issue_onto_token(pki, tmp_path):
    from kyso.pki.keystore import init_softhsm_token

    init_softhsm_token("thiet-bi-001", "111111", "22222222")
    out = tmp_path / "tok.pem"
    # a time-stamping unit's key (a person's needs his Form 01 request: the rule's own tests)
    call_command("ca", "issue", "--token", "thiet-bi-001", "--pin", "111111", "--profile", "tsa", "--cn", "Lê Văn Cường",
                 "--email", "lvcuong@vss.gov.vn", "--days", "365", "--out", str(out))
    openssl("verify", "-CAfile", str(write_chain(tmp_path)), str(out))
