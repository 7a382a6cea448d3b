"""Portal fixtures: an employer, an I-VAN provider (certificates from a second, 'public' CA)."""

import pytest

from . import helpers as h


@pytest.fixture
def employer(demo, pki):
    return h.submitter("congty.anhduong", "employer", "HN.BD", name="Công ty TNHH Ánh Dương", tax_code="0101234567",
                       phone="0912345678")


@pytest.fixture
def ivan(demo, pki):
    return h.submitter("ivan.efy", "ivan", "HN", name="Công ty EFY Việt Nam (I-VAN)", tax_code="0102519041")


@pytest.fixture
def employer_api(employer):
    return h.client_for(employer[0].user)


@pytest.fixture
def ivan_api(ivan):
    return h.client_for(ivan[0].user)


@pytest.fixture
def signed_600(employer):
    sub, issued, key = employer
    return [h.b64file("D02-TS.xml", h.signed(h.d02(), issued, key)), h.b64file("TK1-TS.xml", h.signed(h.tk1(), issued, key))]
