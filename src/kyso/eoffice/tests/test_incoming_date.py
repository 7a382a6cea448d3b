"""The date of an incoming document as the clerk types it (issue 17, point 4): "05/03/2025" is 5 March 2025,
kept — not dropped without a word as before; an impossible date is refused with a clear message and the form
keeps what was typed."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kyso.eoffice.drafting import render_draft
from kyso.eoffice.models import IncomingDocument

pytestmark = pytest.mark.django_db


def _post(client, demo, date):
    client.force_login(demo.user("vanthu.bd"))
    pdf = render_draft(organization="CÔNG TY A", symbol_suffix="CV", place="Hà Nội", subject="V/v", body="Nội dung")
    return client.post("/eoffice/in/new/", {"unit": demo.unit("HN.BD").pk, "sender": "Công ty A",
                                            "subject": "V/v đề nghị", "original_number": "12/CV",
                                            "original_date": date, "file": SimpleUploadedFile("cv.pdf", pdf)},
                       follow=True)


def test_a_typed_date_is_kept_day_first(client, demo, pki):
    resp = _post(client, demo, "05/03/2025")
    assert resp.status_code == 200
    doc = IncomingDocument.objects.get()
    assert doc.original_date == dt.date(2025, 3, 5)
    assert "05/03/2025" in client.get(f"/eoffice/in/{doc.pk}/").content.decode()


def test_an_impossible_date_is_refused_and_the_form_kept(client, demo, pki):
    resp = _post(client, demo, "31/02/2025")
    page = resp.content.decode()
    assert resp.status_code == 200 and not IncomingDocument.objects.exists()
    assert "31/02/2025" in page, "what was typed is kept"
    assert "Ngày này không tồn tại." in page, "the field says why, in Vietnamese"
