"""A time-stamp stays strong as long as its authority's certificate (issue 15: archives renewed for decades).
Kyso's time-stamping unit had an RSA-2048 key and a five-year certificate; its own algorithm policy ends RSA-2048
on 31/12/2030. From the autumn of 2030 the renewal job refused every archived record ("a new time-stamp would not
last longer: renew the authority's certificate first"), and `kyso ca init` — the way to renew it — issued another
RSA-2048 unit: no archive could be renewed past 2030. Now the unit's key is RSA-3072 and `kyso ca init` replaces
one with a smaller RSA key."""

import os

from django.core.management import call_command
from django.db import transaction

from kyso.core.context import acting_as
from kyso.pki import keystore
from kyso.pki.ca import get_ca, responder
from kyso.pki.issuance import SubjectInfo, issue_for_public_key
from kyso.pki.profiles import MAX_DAYS
from kyso.signing import renewal


def test_a_time_stamp_of_the_unit_is_strong_until_its_certificate_expires(pki, settings):
    settings.KYSO_ALGORITHM_END_DATES = {}
    tsa = responder(get_ca(), "tsa")[0].certificate
    found = renewal.strength_of_tsa(tsa, ["sha256"])
    assert (found.why, found.weak_at) == ("tsa", tsa.not_valid_after_utc)


def test_ca_init_replaces_a_unit_with_an_rsa_2048_key(pki, settings):
    settings.KYSO_ALGORITHM_END_DATES = {}
    label = f"tsa-old-{os.urandom(3).hex()}"
    old_key = keystore.store_for(label).generate(label, "rsa2048")
    with acting_as(label="test"), transaction.atomic():      # an installation made before: RSA-2048, long-lived
        issue_for_public_key(old_key.public_key(), "tsa", SubjectInfo(common_name="Kyso DEV TSA cũ"), MAX_DAYS,
                             ca=get_ca(), key_location=f"keystore:{label}")
    assert responder(get_ca(), "tsa")[0].certificate.public_key().key_size == 2048

    call_command("ca", "init")

    tsa = responder(get_ca(), "tsa")[0].certificate
    assert tsa.public_key().key_size >= 3072
    assert renewal.strength_of_tsa(tsa, ["sha256"]).why == "tsa"
    call_command("ca", "init")                             # idempotent: the new unit stays
    assert responder(get_ca(), "tsa")[0].certificate == tsa
