"""Issue 17, point 8, at the one-stop desk: a form brought by hand (its 2D barcode read at the desk) of the same
submitter, procedure and period as an earlier dossier is received, and the officer is warned at once, with the
earlier dossier linked."""

import datetime as dt

import pytest
from django.test import Client

from kyso.portal.models import Channel, Dossier, DossierKind, IntakeRule, RuleDecision

from . import helpers as h

pytestmark = pytest.mark.django_db


def _receive(desk, payload: bytes):
    return desk.post("/portal/desk/", {"op": "receive", "unit": "HN.BD", "procedure": "600", "submitter_kind": "employer",
                                       "name": "Công ty TNHH Ánh Dương", "tax_code": "0101234567",
                                       "payload": payload.decode(), "has_digital_signature": "1"}, follow=True)


def _for_period(period: str) -> bytes:
    return h.d02().replace(b"<KyBaoCao>2026-11</KyBaoCao>", f"<KyBaoCao>{period}</KyBaoCao>".encode())


@pytest.fixture
def paper_forms_accepted(db):
    """An exception the agency decided (the rules are data): employers' barcode forms accepted at the desk."""
    IntakeRule.objects.create(code="TEST-BARCODE-600", title="Tiếp nhận tờ khai mã vạch khi hệ thống gián đoạn",
                              citation="Quyết định thử nghiệm", kind=DossierKind.BARCODE, channel=Channel.DESK,
                              procedure_code="600", decision=RuleDecision.ACCEPT, priority=100,
                              valid_from=dt.date(2020, 1, 1))


def test_the_desk_warns_when_the_same_form_is_received_again(demo, pki, paper_forms_accepted):
    desk = Client(HTTP_ACCEPT_LANGUAGE="vi")
    desk.force_login(demo.user("motcua.bd"))
    first = _receive(desk, _for_period("2026-11")).content.decode()
    assert "Đơn vị đã nộp" not in first
    earlier = Dossier.objects.get()
    assert earlier.data["period"] == "2026-11"
    again = _receive(desk, _for_period("2026-11"))
    page = again.content.decode()
    later = Dossier.objects.exclude(pk=earlier.pk).get()
    assert again.redirect_chain[-1][0] == f"/portal/d/{later.code}/"
    said = page.split('<ul class="messages">', 1)[1].split("</ul>", 1)[0]      # told on receiving, not only on the page
    assert 'class="msg msg-warning"' in said and "Đơn vị đã nộp thủ tục này cho kỳ 11/2026" in said
    assert f'href="/portal/d/{earlier.code}/"' in said
    other = _receive(desk, _for_period("2026-12")).content.decode()
    assert "Đơn vị đã nộp" not in other
