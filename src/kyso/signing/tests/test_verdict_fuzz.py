"""Brief fuzzing of the verification entry points with mutated signed files (Hypothesis, derandomised in the
suite; `KYSO_FUZZ=1 KYSO_FUZZ_EXAMPLES=2000` explores): a mutated signed file still claims its signature, so
`verify_bytes` always gives it an indication (EN 319 102-1) — no exception, not even a `signing.input.*`
refusal — and no mutation that changes what was signed is ever TOTAL_PASSED."""

from __future__ import annotations

import os
import re

from asn1crypto import cms
from hypothesis import HealthCheck, given, settings, strategies as st

from kyso.signing.verify import verify_bytes

from . import corpus_pdf as P
from . import corpus_xml as X

FUZZ = dict(derandomize=not os.environ.get("KYSO_FUZZ"), deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
EXAMPLES = int(os.environ.get("KYSO_FUZZ_EXAMPLES", "40"))
_SIGNED: dict[str, bytes] = {}
_HEX = b"0123456789abcdefABCDEF"


def _signed_pdf(make, chain) -> bytes:
    if "pdf" not in _SIGNED:
        issued, key = make("person", key_spec="p256")
        _SIGNED["pdf"] = P.Signer(issued.certificate, key.private_key(), chain).sign(P.base_pdf(P.BLANK_RECT))
    return _SIGNED["pdf"]


def _verdict(data: bytes):
    report = verify_bytes(data)         # a refusal (InvalidInput) fails the test
    assert report.indication in ("TOTAL_PASSED", "TOTAL_FAILED", "INDETERMINATE")
    return report


def _unsigned_part_of_contents(original: bytes, mutated: bytes, pos: int) -> bool:
    """What no signature covers in /Contents: the case of a hexadecimal digit (no byte changes), and the CMS
    certificate bag's copies of CA certificates (CMS leaves them unsigned; the chain is built from the trust
    store). The signer's own certificate is bound by the signed attributes."""
    m = re.search(rb"/Contents\s*<([0-9a-fA-F]+)>", original)
    if m is None or not m.start(1) <= pos < m.end(1) or mutated[pos:pos + 1] not in _HEX + b" \t\r\n\x0c\x00":
        return False
    if original[pos:pos + 1].lower() == mutated[pos:pos + 1].lower():
        return True
    der = bytes.fromhex(m.group(1).decode())
    if mutated[pos:pos + 1].isspace():
        # white space is allowed in a PDF hex string: only a digit of the zero padding was dropped
        return not any(der[(pos - m.start(1)) // 2:])
    offset = (pos - m.start(1)) // 2
    signed = cms.ContentInfo.load(der)["content"]
    signer = signed["signer_infos"][0]["sid"].chosen
    for choice in signed["certificates"] or []:
        cert = choice.chosen
        dump = cert.dump()
        start = der.find(dump)
        is_signer = cert.serial_number == signer["serial_number"].native if signer.__class__.__name__ == \
            "IssuerAndSerialNumber" else False
        if start <= offset < start + len(dump) and not is_signer:
            return True
    return False


@settings(max_examples=EXAMPLES, **FUZZ)
@given(pos=st.integers(min_value=0, max_value=1 << 20), byte=st.integers(min_value=0, max_value=255),
       cut=st.booleans())
def test_mutated_signed_pdf_is_never_passed(make, chain, pos, byte, cut):
    original = _signed_pdf(make, chain)
    pos %= len(original)
    if cut:
        mutated = original[:pos] + original[pos + 1:]
    else:
        if original[pos] == byte:
            return
        mutated = original[:pos] + bytes([byte]) + original[pos + 1:]
    report = _verdict(mutated)
    if report.indication == "TOTAL_PASSED":
        assert not cut and _unsigned_part_of_contents(original, mutated, pos), (pos, byte, report.to_dict())


@settings(max_examples=EXAMPLES // 2, **FUZZ)
@given(junk=st.binary(min_size=1, max_size=200))
def test_bytes_appended_to_a_signed_pdf_are_never_passed(make, chain, junk):
    report = _verdict(_signed_pdf(make, chain) + junk)
    if report.indication == "TOTAL_PASSED":
        assert not junk.strip(b" \t\r\n\x00\x0c"), report.to_dict()


def _signed_xml(make, chain, tmp_path) -> bytes:
    if "xml" not in _SIGNED:
        issued, key = make("person", key_spec="rsa2048")
        _SIGNED["xml"] = X.xmlsec_sign(tmp_path, X.template(), issued.certificate, key.private_key())
    return _SIGNED["xml"]


@settings(max_examples=EXAMPLES, **FUZZ)
@given(pos=st.integers(min_value=0, max_value=1 << 20),
       char=st.sampled_from(b"AZaz09<>/=\"'&;:#-_ \n\x00\xc3\xff"))
def test_mutated_signed_xml_is_never_passed(make, chain, tmp_path_factory, pos, char):
    original = _signed_xml(make, chain, tmp_path_factory.mktemp("x"))
    pos %= len(original)
    if original[pos] == char:
        return
    mutated = original[:pos] + bytes([char]) + original[pos + 1:]
    report = _verdict(mutated)
    if report.indication != "TOTAL_PASSED":
        return
    # only what the signature does not cover may change: the certificate's base64 line breaks, the XML
    # declaration's spelling — never signed data
    sig_start = original.index(b"<Signature")
    cert_start, cert_end = original.find(b"<X509Certificate>"), original.find(b"</X509Certificate>")
    assert pos < original.index(b"?>") or (cert_start < pos < cert_end and chr(char).isspace()) \
        or (pos > sig_start and original[pos:pos + 1].isspace() and chr(char).isspace()), (pos, chr(char))
