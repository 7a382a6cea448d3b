"""Journey "văn bản" in Chromium, each person at the width he works at: the drafter writes the draft and sends it
for review from his desk (1366); the leader reviews it and asks to sign on his tablet (820×1180), and the SIM's
prompt on his phone (390×844) takes his PIN; the tablet page sees the signature arrive by itself; the clerk seals,
numbers and dispatches it from his desk, and the recipient's clerk finds it in his incoming book, verified. Every
page is kept as a screenshot under var/test-output/browser, passes axe-core (no serious or critical violation)
and scrolls sideways at no width (`core.browser.look`)."""

import pytest

from .conftest import PIN

SUBJECT = "V/v triển khai ký số trên máy tính bảng cho Lãnh đạo đơn vị"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_letter_from_draft_to_the_recipients_book_in_the_browser(demo, hn_leader, live_server, tablet, phone):
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    from kyso.accounts.demo import DEMO_PASSWORD
    from kyso.core.browser import WIDTHS, login, look, sized
    from kyso.eoffice.models import IncomingDocument, OutgoingDocument

    wait = (WebDriverException,)          # the page may be reloading itself as the state changes

    def state_is(driver, state):
        WebDriverWait(driver, 30, ignored_exceptions=wait).until(
            lambda d: d.find_element(By.ID, "doc-state").get_attribute("data-state") == state)

    def open_as(driver, username, name):
        driver.delete_all_cookies()
        login(driver, username, DEMO_PASSWORD)
        driver.get(driver.url(f"/eoffice/out/{doc.pk}/"))
        look(driver, name)

    def press(driver, op, state, name):
        driver.find_element(By.CSS_SELECTOR, f"button[name=op][value={op}]").click()
        state_is(driver, state)
        look(driver, name)

    desk = sized(live_server, *WIDTHS["desktop"])
    try:
        # the drafter, at his desk: the draft written in the page, then sent to the leader for review
        login(desk, "hanoi", DEMO_PASSWORD)
        desk.get(desk.url("/eoffice/new/"))
        look(desk, "van-ban-soan-thao-desktop")
        desk.find_element(By.ID, "subject").send_keys(SUBJECT)
        Select(desk.find_element(By.ID, "urgency")).select_by_value("urgent")
        Select(desk.find_element(By.ID, "signer")).select_by_value(str(hn_leader.pk))
        desk.find_element(By.ID, "signer_title").send_keys("Giám đốc")
        Select(desk.find_element(By.ID, "recipients")).select_by_value("HN.BD")
        desk.find_element(By.ID, "body").send_keys("Đề nghị các đơn vị triển khai.\n\nTrân trọng.")
        desk.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
        WebDriverWait(desk, 15).until(lambda d: "/eoffice/out/" in d.current_url)
        doc = OutgoingDocument.objects.get(subject=SUBJECT)
        look(desk, "van-ban-du-thao-desktop")
        form = desk.find_element(By.XPATH, "//input[@name='op' and @value='submit']/ancestor::form")
        Select(form.find_element(By.NAME, "reviewer")).select_by_value(str(hn_leader.pk))
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        state_is(desk, "in_review")
        look(desk, "van-ban-da-trinh-desktop")

        # the leader, on his tablet: passes it for signature and asks to sign on his phone
        open_as(tablet, "giamdoc.hn", "van-ban-xem-xet-tablet")
        press(tablet, "approve", "to_sign", "van-ban-cho-ky-tablet")
        button = tablet.find_element(By.ID, "sign-phone")
        assert button.size["height"] >= 44
        button.click()
        state_is(tablet, "signing")
        look(tablet, "van-ban-dang-ky-tablet")

        login(phone, "giamdoc.hn", DEMO_PASSWORD)
        phone.get(phone.url("/mobile/phone/"))
        look(phone, "van-ban-dien-thoai-phone")
        form = phone.find_element(By.CSS_SELECTOR, "form[data-sim]")
        assert "máy tính bảng" in form.text
        form.find_element(By.NAME, "pin").send_keys(PIN)
        form.find_element(By.NAME, "confirm").click()
        assert "Đã ký" in phone.find_element(By.CSS_SELECTOR, ".messages").text
        look(phone, "van-ban-dien-thoai-da-ky-phone")

        state_is(tablet, "signed")
        look(tablet, "van-ban-da-ky-tablet")
        phone.get(phone.url(f"/eoffice/out/{doc.pk}/"))
        look(phone, "van-ban-da-ky-phone")

        # the clerk seals, numbers and dispatches it from his desk; the recipient's clerk finds it verified
        open_as(desk, "vanthu.hn", "van-ban-van-thu-desktop")
        press(desk, "issue_dispatch", "dispatched", "van-ban-da-gui-desktop")
        incoming = IncomingDocument.objects.get(source=doc)
        desk.delete_all_cookies()
        login(desk, "vanthu.bd", DEMO_PASSWORD)
        desk.get(desk.url("/eoffice/?book=in"))                     # the incoming book lists it
        look(desk, "van-ban-so-den-desktop")
        assert "máy tính bảng" in desk.page_source
        desk.get(desk.url(f"/eoffice/in/{incoming.pk}/"))
        look(desk, "van-ban-den-desktop")
        assert "Hợp lệ" in desk.page_source
    finally:
        desk.quit()
