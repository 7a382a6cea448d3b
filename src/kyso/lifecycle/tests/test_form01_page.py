"""Form 01 on the page respects the person filing it (issue 17, point 6): attachments are checked by their content
(a file named .pdf that is not a PDF is refused, the size limit is stated), every reviewer down the chain sees,
downloads and previews them, the form keeps every typed value (and accepted attachment) after an error, and a
subscriber files only for himself — nothing pre-selects another person."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kyso.files import checks
from kyso.lifecycle.models import IssuanceRequest
from kyso.org.models import Person

from .factories import real_pdf

pytestmark = pytest.mark.django_db
NEW = "/lifecycle/requests/new/"


def _seal_holder_form(boss, **extra):
    return {"kind": "person", "person": boss.pk, "validity_years": 5, "is_seal_holder": "on",
            "title": "Giám đốc", "residence": "12 Phố Huế, Hà Nội", **extra}


def test_a_file_named_pdf_that_is_not_a_pdf_is_refused(demo, api):
    badinh = demo.client("badinh")
    boss = demo.person("HN.BD", "Giám đốc")
    form = badinh.get(NEW).content.decode()
    assert f"{checks.MAX_MB} MB" in form and 'accept=".pdf' in form            # the limit is stated on the form
    fake = SimpleUploadedFile("dau.pdf", b"<html>not a pdf</html>" * 10, "application/pdf")
    resp = badinh.post(NEW, _seal_holder_form(boss, seal_registration=fake,
                                              title_confirmation=SimpleUploadedFile("cv.pdf", real_pdf(), "application/pdf")))
    page = resp.content.decode()
    assert resp.status_code == 200 and "không phải PDF" in page
    assert not IssuanceRequest.objects.filter(full_name=boss.full_name).exists()
    # a PDF header followed by garbage is not a PDF either; the API checks the same way
    broken = SimpleUploadedFile("dau.pdf", b"%PDF-1.7\n" + b"x" * 500, "application/pdf")
    e = api("badinh").post("/api/v1/lifecycle/requests/", {
        "kind": "person", "person": boss.pk, "is_seal_holder": True, "seal_registration": broken,
        "title_confirmation": SimpleUploadedFile("cv.pdf", real_pdf(), "application/pdf")}, format="multipart")
    assert e.status_code == 400 and e.json()["error"]["code"] == "files.content"
    too_big = b"%PDF-1.4\n" + b"0" * (checks.MAX_MB * 1024 * 1024)
    with pytest.raises(Exception) as exc:
        checks.check_attachment(too_big, "big.pdf", field="seal_registration")
    assert exc.value.code == "files.too_large"
    assert checks.check_attachment(real_pdf(), "ban-sao.PDF") == checks.PDF


def test_the_form_keeps_every_typed_value_and_accepted_attachment(demo):
    badinh = demo.client("badinh")
    boss = demo.person("HN.BD", "Giám đốc")
    seal = real_pdf("Giấy chứng nhận mẫu dấu")
    resp = badinh.post(NEW, _seal_holder_form(boss, validity_years=7, fax="024 3825 1234",
                                              old_certificate_serial="540101ab",
                                              seal_registration=SimpleUploadedFile("dau.pdf", seal, "application/pdf")))
    page = resp.content.decode()
    assert resp.status_code == 200 and not IssuanceRequest.objects.filter(full_name=boss.full_name).exists()
    for value in ('value="Giám đốc"', 'value="12 Phố Huế, Hà Nội"', 'value="024 3825 1234"', 'value="540101ab"',
                  'value="7"', f'<option value="{boss.pk}" selected>', 'name="is_seal_holder" id="is_seal_holder" checked'):
        assert value in page, value
    assert "1 to 5" in page or "1 đến 5" in page                                   # the field's own error
    kept = re.search(r'name="kept_seal_registration" value="([^"]+)"', page).group(1)
    assert "dau.pdf" in page
    # corrected: the kept attachment is used, the second one is added now
    resp = badinh.post(NEW, _seal_holder_form(boss, kept_seal_registration=kept,
                                              title_confirmation=SimpleUploadedFile("cv.pdf", real_pdf("Chức danh"),
                                                                                    "application/pdf")))
    req = IssuanceRequest.objects.get(full_name=boss.full_name)
    assert resp.status_code == 302 and req.seal_registration.sha256 and req.seal_registration.size == len(seal)
    # a kept reference only works for the person it was given to
    other = demo.client("hanoi").post(NEW, _seal_holder_form(demo.person("HN", "Giám đốc"),
                                                               kept_seal_registration=kept))
    assert "kept_seal_registration" not in other.content.decode()


def test_every_reviewer_down_the_chain_sees_downloads_and_previews_the_attachments(demo):
    badinh = demo.client("badinh")
    boss = demo.person("HN.BD", "Giám đốc")
    seal, title = real_pdf("Mẫu dấu"), real_pdf("Xác nhận chức danh")
    badinh.post(NEW, _seal_holder_form(boss, seal_registration=SimpleUploadedFile("mau-dau.pdf", seal, "application/pdf"),
                                       title_confirmation=SimpleUploadedFile("chuc-danh.pdf", title, "application/pdf")))
    req = IssuanceRequest.objects.get(full_name=boss.full_name)
    base = f"/lifecycle/requests/{req.pk}/attachments/"
    for username in ("badinh", "hanoi", "cntt"):
        c = demo.client(username)
        page = c.get(f"/lifecycle/requests/{req.pk}/").content.decode()
        assert "mau-dau.pdf" in page and "chuc-danh.pdf" in page, username
        assert f'{base}seal_registration/?view=1' in page and 'class="preview"' in page, username
        download = c.get(f"{base}seal_registration/")
        assert download.status_code == 200 and download.content == seal and "attachment" in download["Content-Disposition"]
        preview = c.get(f"{base}title_confirmation/?view=1")
        assert preview.content == title and preview["Content-Disposition"].startswith("inline")
        assert preview["Content-Type"] == "application/pdf" and preview["X-Frame-Options"] == "SAMEORIGIN"
    assert demo.client("hcm").get(f"{base}seal_registration/").status_code == 404     # another province


def test_a_subscriber_files_only_for_himself_and_an_officer_chooses(demo):
    me = demo.user("thuebao")
    page = demo.client("thuebao").get(NEW).content.decode()
    assert me.person.full_name in page and '<select name="person"' not in page
    for other in Person.objects.filter(unit=me.person.unit).exclude(pk=me.person_id)[:5]:
        assert other.full_name not in page
    boss = demo.person("HN.BD", "Giám đốc")
    forged = demo.client("thuebao").post(NEW, {"kind": "person", "person": boss.pk, "validity_years": 5})
    assert forged.status_code == 200 and not IssuanceRequest.objects.filter(full_name=boss.full_name).exists()
    resp = demo.client("thuebao").post(NEW, {"kind": "person", "person": me.person_id, "validity_years": 5})
    assert resp.status_code == 302 and IssuanceRequest.objects.filter(full_name=me.person.full_name).exists()
    officer = demo.client("badinh").get(NEW).content.decode()
    select = re.search(r'<select name="person".*?</select>', officer, re.S).group(0)
    assert '<option value="">' in select and " selected" not in select       # nobody pre-selected
