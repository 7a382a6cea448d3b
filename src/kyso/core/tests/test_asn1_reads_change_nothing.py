"""Reading a DER structure whose DEFAULT-valued field was left out (as DER requires) does not count as changing
it (`core.asn1fix`): before, asn1crypto marked the value it filled in as changed, so every enclosing structure
re-encoded its whole content each time it was asked — a 20 KB CAdES archive took minutes to read or extend."""

from asn1crypto import cms, tsp


def _signing_certificate_v2_attribute() -> bytes:
    ess = tsp.SigningCertificateV2({"certs": [{"cert_hash": b"\x01" * 32}]})      # hashAlgorithm: the default
    attr = cms.CMSAttribute({"type": "signing_certificate_v2", "values": [ess]})
    return cms.CMSAttributes([attr]).dump()


def test_a_default_filled_in_on_reading_is_not_a_change():
    der = _signing_certificate_v2_attribute()
    attrs = cms.CMSAttributes.load(der)
    native = attrs.native
    assert native[0]["values"][0]["certs"][0]["hash_algorithm"]["algorithm"] == "sha256"
    assert not attrs._is_mutated()
    assert attrs.dump() == der and attrs.dump(force=True) == der


def test_a_real_change_is_still_encoded():
    attrs = cms.CMSAttributes.load(_signing_certificate_v2_attribute())
    ess = attrs[0]["values"][0]
    ess["certs"][0]["hash_algorithm"] = {"algorithm": "sha384"}
    again = cms.CMSAttributes.load(attrs.dump())
    assert again.native[0]["values"][0]["certs"][0]["hash_algorithm"]["algorithm"] == "sha384"
