"""One algorithm policy (ETSI TS 119 312 style, `signing.algorithms`) for the verdicts and the archive renewal
job: an end date moved in the policy — in its table or by the operator (KYSO_ALGORITHM_END_DATES) — changes both
what the verifier accepts without proof of existence and which archived records the job selects for renewal."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from kyso.core.context import acting_as
from kyso.files.storage import read, store
from kyso.pki.ca import get_ca, responder
from kyso.pki.profiles import MAX_DAYS
from kyso.signing import algorithms, renewal
from kyso.signing.pdf import sign_pdf
from kyso.signing.verify import verify_bytes


def _archived(demo, signer, chain, pdf):
    issued, key = signer
    signed = sign_pdf(pdf, key, issued.certificate, chain=chain[:-1], level="B-LTA")
    with acting_as(label="test"), transaction.atomic():
        return store(signed, name="quyet-dinh.pdf", media_type="application/pdf", purpose="eoffice.issued",
                     unit_path=demo.unit("HN.BD").path)


def test_an_end_date_moved_in_the_policy_is_the_verdicts_and_the_jobs(demo, make, chain, one_page_pdf, settings,
                                                                     monkeypatch):
    signer = make("person", key_spec="rsa2048", days=MAX_DAYS)     # outlives the authority's certificate
    issued, key = signer
    archived = _archived(demo, signer, chain, one_page_pdf)
    untimed = sign_pdf(one_page_pdf, key, issued.certificate, chain=chain[:-1], level="B-B")
    settings.KYSO_ARCHIVE_RENEWAL_MARGIN_DAYS = 30

    settings.KYSO_ALGORITHM_END_DATES = {"rsa2048": "2099-12-31"}
    assert renewal.strength(read(archived)).why == "tsa"
    assert verify_bytes(untimed).indication == "TOTAL_PASSED"
    assert renewal.renew_due().not_due == 1

    yesterday = (timezone.now() - dt.timedelta(days=1)).date()
    settings.KYSO_ALGORITHM_END_DATES = {"rsa2048": yesterday.isoformat()}
    assert algorithms.key_until(issued.certificate.public_key())[1].date() == yesterday
    # the record's time-stamps (RSA-3072) prove the signature existed before: the signer's key no longer matters
    assert renewal.strength(read(archived)).why == "tsa"
    tsa_key = algorithms.key_name(responder(get_ca(), "tsa")[0].certificate.public_key())
    settings.KYSO_ALGORITHM_END_DATES = {"rsa2048": yesterday.isoformat(), tsa_key: yesterday.isoformat()}
    found = renewal.strength(read(archived))
    assert (found.why, found.weak_at.date()) == (tsa_key, yesterday)
    # the verifier: a signature without a time-stamp made with that key is no longer proven
    report = verify_bytes(untimed)
    assert report.indication == "INDETERMINATE", report.to_dict()
    assert report.signatures[0].sub_indication == "CRYPTO_CONSTRAINTS_FAILURE_NO_POE"
    assert yesterday.strftime("%d/%m/%Y") in str(report.to_dict()["signatures"][0]["checks"])
    # the job selects the record (the current authority's key is past that date too: it says why it cannot renew it)
    with acting_as(label="job"), transaction.atomic():
        out = renewal.renew_due()
    assert [r.source for r in out.failed] == [archived] and not out.not_due

    # a date changed in the policy's own table, not moved by the operator: the job follows it too
    settings.KYSO_ALGORITHM_END_DATES = {"rsa2048": "2099-12-31"}
    assert renewal.strength(read(archived)).why == "tsa"
    soon = timezone.now() + dt.timedelta(days=10)
    monkeypatch.setitem(algorithms.DIGESTS, "sha256", soon)
    assert (renewal.strength(read(archived)).why, renewal.strength(read(archived)).weak_at) == ("sha256", soon)

