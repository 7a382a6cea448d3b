"""In Chromium: the leader opens the document on his tablet (820×1180) and asks to sign on his phone; on
the phone (390×844) the SIM's prompt takes his PIN; the tablet page sees the signature arrive by itself; the
clerk seals, numbers and dispatches it from the same page and the recipient's clerk finds it in his incoming
book, verified. Neither page scrolls sideways."""

import pytest

from .conftest import PIN, make_draft


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_leader_signs_from_tablet_and_phone(demo, hn_leader, as_user, tablet, phone):
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from kyso.accounts.demo import DEMO_PASSWORD
    from kyso.core.browser import fits_width, login
    from kyso.eoffice import services

    hanoi = demo.user("hanoi")
    doc = make_draft(as_user, hanoi, hn_leader, signer_title="Giám đốc",
                     subject="V/v triển khai ký số trên máy tính bảng cho Lãnh đạo đơn vị")
    with as_user(hanoi):
        services.submit_for_review(doc, hanoi, reviewer=hn_leader)
    with as_user(hn_leader):
        services.review(doc, hn_leader, approve=True)

    login(tablet, "giamdoc.hn", DEMO_PASSWORD)
    tablet.get(tablet.url(f"/eoffice/out/{doc.pk}/"))
    assert fits_width(tablet)
    button = tablet.find_element(By.ID, "sign-phone")
    assert button.size["height"] >= 44
    button.click()
    wait = (StaleElementReferenceException, NoSuchElementException)
    WebDriverWait(tablet, 15, ignored_exceptions=wait).until(
        lambda d: d.find_element(By.ID, "doc-state").get_attribute("data-state") == "signing")

    login(phone, "giamdoc.hn", DEMO_PASSWORD)
    phone.get(phone.url("/mobile/phone/"))
    form = phone.find_element(By.CSS_SELECTOR, "form[data-sim]")
    assert "máy tính bảng" in form.text
    assert fits_width(phone)
    form.find_element(By.NAME, "pin").send_keys(PIN)
    form.find_element(By.NAME, "confirm").click()
    assert "Đã ký" in phone.find_element(By.CSS_SELECTOR, ".messages").text

    WebDriverWait(tablet, 30, ignored_exceptions=wait).until(
        lambda d: d.find_element(By.ID, "doc-state").get_attribute("data-state") == "signed")
    assert fits_width(tablet)
    phone.get(phone.url(f"/eoffice/out/{doc.pk}/"))
    assert fits_width(phone), "the document page also fits a phone"

    # the clerk seals, numbers and dispatches it through the same page; the recipient's clerk finds it verified
    from kyso.eoffice.models import IncomingDocument

    tablet.delete_all_cookies()
    login(tablet, "vanthu.hn", DEMO_PASSWORD)
    tablet.get(tablet.url(f"/eoffice/out/{doc.pk}/"))
    tablet.find_element(By.CSS_SELECTOR, "button[name=op][value=issue_dispatch]").click()
    WebDriverWait(tablet, 30, ignored_exceptions=wait).until(
        lambda d: d.find_element(By.ID, "doc-state").get_attribute("data-state") == "dispatched")
    assert fits_width(tablet)
    incoming = IncomingDocument.objects.get(source=doc)
    tablet.delete_all_cookies()
    login(tablet, "vanthu.bd", DEMO_PASSWORD)
    tablet.get(tablet.url("/eoffice/?book=in"))                     # the incoming book lists it
    assert "máy tính bảng" in tablet.page_source
    tablet.get(tablet.url(f"/eoffice/in/{incoming.pk}/"))
    assert "Hợp lệ" in tablet.page_source and fits_width(tablet)
