"""Fixtures for signing tests: signers from our CA (software and SoftHSM keys), sample documents."""

import pytest
from django.db import transaction

from kyso.core.context import acting_as

from .corpus_kit import Kit, RsaKit


@pytest.fixture
def signer(pki):
    """(IssuedCertificate, KeyHandle) of a person certificate with a software key."""
    from kyso.pki.testing import make_signer

    with acting_as(label="test"), transaction.atomic():
        return make_signer("person", key_spec="rsa2048")


@pytest.fixture
def make(pki):
    from kyso.pki.testing import make_signer

    def _make(*args, **kwargs):
        with acting_as(label="test"), transaction.atomic():
            return make_signer(*args, **kwargs)
    return _make


@pytest.fixture
def chain(pki):
    from kyso.pki.ca import chain as ca_chain

    return ca_chain()


@pytest.fixture
def work(tmp_path):
    """A folder of its own under tmp_path for the files an external tool (xmlsec1, openssl) writes while a
    case is built; tmp_path itself holds the files verified."""
    work = tmp_path / "work"
    work.mkdir()
    return work


@pytest.fixture
def kit(make, chain):
    """The verdict corpus's signer with a P-256 key (corpus_kit.Kit)."""
    return Kit(make, chain)


@pytest.fixture
def rsa_kit(make, chain, work):
    """The verdict corpus's signer with an RSA key, its tools writing in `work` (corpus_kit.RsaKit)."""
    return RsaKit(make, chain, work)


DOSSIER = """<?xml version="1.0" encoding="UTF-8"?>
<HoSo xmlns="http://kyso.vss.gov.vn/hoso/1">
  <MaThuTuc>600</MaThuTuc>
  <DonVi><MaSoThue>0101234567</MaSoThue><Ten>Công ty TNHH Ánh Dương</Ten></DonVi>
  <LaoDong><HoTen>Nguyễn Thị Hằng</HoTen><SoSoBHXH>0123456789</SoSoBHXH><MucLuong>8500000</MucLuong></LaoDong>
</HoSo>
""".encode()


@pytest.fixture
def dossier_xml():
    return DOSSIER


@pytest.fixture
def one_page_pdf():
    import datetime as dt

    from kyso.core.documents import OfficialDocument, Paragraph, render_pdf

    doc = OfficialDocument(governing_body="BẢO HIỂM XÃ HỘI VIỆT NAM", issuer="BHXH QUẬN BA ĐÌNH",
                           number="Số: 15/QĐ-BHXH", place="Hà Nội", date=dt.date(2026, 11, 23), title="QUYẾT ĐỊNH",
                           subtitle="Về việc thử nghiệm ký số",
                           blocks=[Paragraph("Văn bản mẫu để ký số theo Nghị định 30/2020/NĐ-CP.")])
    return render_pdf(doc)
