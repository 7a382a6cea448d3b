"""An archived record is renewed before its signer's certificate expires (ETSI EN 319 102-1 § 5.6.2.4, past
signature validation): the job selects every record whose signer certificate expires within the margin and whose
revocation data was not yet gathered and time-stamped in that margin, and extends it — fresh revocation data for
the whole signer chain and the time-stamping authority's, and a new document/archive time-stamp. After the
certificate has expired nothing new is gathered about it (`material.gather`): a "good" issued after the expiry
proves nothing (CRLs drop expired certificates), and in a PDF it hid the data gathered in time — pyHanko's past
validation, finding it fresh, judged the signer at a time it had already expired (OUT_OF_BOUNDS_NO_POE).

- PDF: pyHanko's own EN 319 102-1 validation (`ades_lta_validation`, offline, Kyso's root only) of every record
  the job renewed (B-T, B-LT, B-LTA) passes after the expiry; the B-T record not renewed in time, or any record
  never extended, does not. The relying party validates right after the archive's next renewal: offline, the
  newest time-stamp is judged now, with the data about its authority that renewal put in.
- XML and CMS: Kyso's verifier judges the signer at its time-stamp with the revocation data in the document; a
  B-T record renewed in time verifies TOTAL_PASSED after the expiry, one extended only afterwards carries no proof
  that the signer was not revoked (INDETERMINATE) — before, the extension fetched a "good" issued after the
  expiry and the record passed. The OCSP responder's certificate is renewed every year, so the one answering at
  the renewal did not exist when the record was signed and cannot vouch at that time: a renewal puts the CA's own
  CRL beside its answer (before, a B-T record renewed after a rotation was INDETERMINATE / TRY_LATER)."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from pyhanko.sign.validation.ades import AdESPassed

from kyso.core.context import acting_as
from kyso.files.storage import read, store
from kyso.pki.bootstrap import ensure_ca
from kyso.signing import cades, renewal
from kyso.signing.longterm import extend
from kyso.signing.models import ArchiveRenewal
from kyso.signing.pdf import sign_pdf
from kyso.signing.trust import TrustStore
from kyso.signing.verify import verify_bytes
from kyso.signing.xml import sign_xml

from .ltv_helpers import lta_results

DAY = dt.timedelta(days=1)


@pytest.fixture
def policy(settings):
    settings.KYSO_ALGORITHM_END_DATES = {"rsa2048": "2099-12-31"}
    settings.KYSO_ARCHIVE_RENEWAL_MARGIN_DAYS = 30


def _store(demo, data, name, media_type):
    with acting_as(label="test"), transaction.atomic():
        return store(data, name=name, media_type=media_type, purpose="eoffice.issued",
                     unit_path=demo.unit("HN.BD").path)


def _run_job():
    with acting_as(label="job"), transaction.atomic():
        return renewal.renew_due()


def _rotate_responders():
    """What the operator's `kyso ca init` does each year: new OCSP responder certificates before the old expire."""
    with acting_as(label="test"), transaction.atomic():
        ensure_ca()


def test_the_job_renews_before_the_signer_expires_and_pyhanko_passes_after(demo, signer, chain, one_page_pdf,
                                                                          policy, time_machine):
    issued, key = signer
    expiry = issued.certificate.not_valid_after_utc
    levels = ("B-T", "B-LT", "B-LTA")
    signed = {level: sign_pdf(one_page_pdf, key, issued.certificate, chain=chain[:-1], level=level)
              for level in levels}
    files = {level: _store(demo, data, f"{level}.pdf", "application/pdf") for level, data in signed.items()}

    time_machine.move_to(expiry - 31 * DAY, tick=True)
    assert _run_job().not_due == 3                       # not yet within the margin
    time_machine.move_to(expiry - 20 * DAY, tick=True)
    _rotate_responders()
    assert [renewal.strength(signed[level]).why for level in levels] == ["signer", "signer-proof", "signer-proof"]
    assert {renewal.strength(data).weak_at for data in signed.values()} == {expiry}
    out = _run_job()
    assert {r.source for r in out.renewed} == set(files.values()) and not out.failed
    assert all(timezone.localtime(expiry).strftime("%d/%m/%Y") in r.reason for r in out.renewed)   # the day in Việt Nam
    renewed = {level: read(ArchiveRenewal.objects.get(source=f).renewed) for level, f in files.items()}
    assert all(renewal.strength(data).why == "tsa" for data in renewed.values())
    assert _run_job().not_due == 3                       # renewed once within the margin, not again

    time_machine.move_to(expiry + DAY, tick=True)
    for level in levels:
        (result,) = lta_results(extend(renewed[level]), chain[-1])
        assert result.ades_subindic == AdESPassed.OK, (level, result.failure_msg)
    (result,) = lta_results(extend(signed["B-T"]), chain[-1])
    assert result.ades_subindic != AdESPassed.OK, result.failure_msg
    for data in signed.values():                         # never extended: nothing proves it now
        (result,) = lta_results(data, chain[-1])
        assert result.ades_subindic != AdESPassed.OK


@pytest.mark.parametrize("kind", ["xml", "cms"])
def test_kysos_verifier_after_the_signer_expired_wants_the_proof_gathered_before(
        demo, signer, chain, dossier_xml, policy, time_machine, kind):
    issued, key = signer
    expiry = issued.certificate.not_valid_after_utc
    content = b"bien-ban.docx"
    if kind == "xml":
        signed = sign_xml(dossier_xml, key, issued.certificate, chain=chain[:-1], level="B-T")
        archived = _store(demo, signed, "ho-so.xml", "application/xml")
        renew = extend
    else:
        signed = cades.sign_cms(content, key, issued.certificate, chain=chain[:-1], level="B-T")
        archived = _store(demo, signed, "bien-ban.p7s", "application/pkcs7-signature")
        _store(demo, content, "bien-ban.docx", "application/octet-stream")

        def renew(data):
            return extend(data, content)

    time_machine.move_to(expiry - 20 * DAY, tick=True)
    _rotate_responders()            # the responder that answers now was not there when the record was signed
    out = _run_job()
    assert [r.source for r in out.renewed] == [archived], [(r.source, r.code, r.reason) for r in out.failed]
    renewed = read(out.renewed[0].renewed)
    extra = {"content": content} if kind == "cms" else {}
    report = verify_bytes(renewed, trust=TrustStore(roots=[chain[-1]]), **extra)
    assert report.indication == "TOTAL_PASSED", report.to_dict()     # the CA's own CRL vouches at the signing time

    time_machine.move_to(expiry + DAY, tick=True)
    root_only = TrustStore(roots=[chain[-1]])
    report = verify_bytes(renew(renewed), trust=root_only, **extra)
    assert report.indication == "TOTAL_PASSED", report.to_dict()
    late = verify_bytes(renew(signed), trust=root_only, **extra)
    assert late.indication == "INDETERMINATE", late.to_dict()
