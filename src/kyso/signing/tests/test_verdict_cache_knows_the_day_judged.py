"""A verdict remembered for today is not the verdict for another day (`TrustStore.now`, the day a relying party
or the archive tests judge at). The remembered certificate outcomes were keyed by the trust store's content but
not by its day: within a minute of a TOTAL_PASSED today, the same B-LT PDF judged a month later (its OCSP
responses no longer fresh, no network) was TOTAL_PASSED too, from the cache — and INDETERMINATE in a fresh
process."""

import datetime as dt

from kyso.signing.pdf import sign_pdf
from kyso.signing.trust import TrustStore
from kyso.signing.verify import verify_bytes


def test_the_same_document_judged_today_and_a_month_later_in_one_process(signer, chain, one_page_pdf):
    issued, key = signer
    signed = sign_pdf(one_page_pdf, key, issued.certificate, chain=chain[:-1], level="B-LT")
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=30)

    today = verify_bytes(signed, trust=TrustStore(roots=[chain[-1]]))
    assert today.indication == "TOTAL_PASSED", today.to_dict()
    in_a_month = verify_bytes(signed, trust=TrustStore(roots=[chain[-1]], now=later))
    assert in_a_month.indication == "INDETERMINATE", in_a_month.to_dict()
    again_today = verify_bytes(signed, trust=TrustStore(roots=[chain[-1]]))
    assert again_today.indication == "TOTAL_PASSED", again_today.to_dict()
