"""The five journeys in a real browser (issue 17): Debian's Chromium through Selenium at phone (390), tablet (820)
and desktop (1366) widths, a screenshot of each page kept under var/test-output/browser, axe-core (vendored in
third_party/) finding no serious or critical accessibility violation, and nothing wider than the screen.
Form 01 is filled in and filed through the page itself. One live server for the module (pytest-django's)."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from kyso.core.browser import WIDTHS, login, look, sized

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# (journey, user, pages) — the pages each journey's people work on
JOURNEYS = [
    ("chung-thu", "badinh", ["/lifecycle/", "/lifecycle/requests/new/", "/lifecycle/lists/", "/lifecycle/devices/"]),
    ("thu-hoi", "thuebao", ["/lifecycle/", "/lifecycle/certificates/"]),
    ("mot-cua", "motcua.hn", ["/portal/", "/portal/procedures/"]),
    ("van-ban", "vanthu.hn", ["/eoffice/", "/eoffice/new/"]),
    ("sim", "hanoi", ["/sims/"]),
]


def answered(driver) -> None:
    """Wait until the page a form was posted from (marked `window.kysoOldPage`) is replaced by the answer."""
    WebDriverWait(driver, 15).until(lambda d: d.execute_script(
        "return !window.kysoOldPage && document.readyState === 'complete'"))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", list(WIDTHS))
def test_the_five_journeys_read_well_on_every_screen(demo, live_server, size):
    from kyso.accounts.demo import DEMO_PASSWORD

    driver = sized(live_server, *WIDTHS[size])
    try:
        for journey, username, paths in JOURNEYS:
            driver.delete_all_cookies()
            login(driver, username, DEMO_PASSWORD)
            for i, path in enumerate(paths):
                driver.get(driver.url(path))
                look(driver, f"{journey}-{i}-{size}")
    finally:
        driver.quit()


@pytest.mark.django_db(transaction=True)
def test_form01_filed_in_the_browser(demo, live_server):
    from kyso.accounts.demo import DEMO_PASSWORD
    from kyso.lifecycle.models import IssuanceRequest

    person = demo.user("thuebao").person
    driver = sized(live_server, *WIDTHS["phone"])
    try:
        login(driver, "badinh", DEMO_PASSWORD)
        driver.get(driver.url("/lifecycle/requests/new/"))
        driver.find_element(By.ID, "title").send_keys("Chuyên viên")                  # no person chosen: an error
        driver.find_element(By.CSS_SELECTOR, "#form01 button[type=submit]").click()
        WebDriverWait(driver, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".msg-error"))
        look(driver, "chung-thu-form01-loi-phone")
        assert driver.find_element(By.ID, "title").get_attribute("value") == "Chuyên viên"   # kept after the error
        Select(driver.find_element(By.ID, "person")).select_by_value(str(person.pk))
        driver.find_element(By.CSS_SELECTOR, "#form01 button[type=submit]").click()
        WebDriverWait(driver, 15).until(lambda d: "/requests/new/" not in d.current_url)
        look(driver, "chung-thu-form01-da-nop-phone")
        req = IssuanceRequest.objects.get(full_name=person.full_name)
        assert driver.current_url.endswith(f"/lifecycle/requests/{req.pk}/") and req.title == "Chuyên viên"
    finally:
        driver.quit()


@pytest.mark.django_db(transaction=True)
def test_a_revocation_driven_in_the_browser(demo, live_server):
    """Journey "thu hồi" end to end through the pages: the subscriber files Form 05 on his certificate's page (on his
    tablet; the officers at their desks), the
    managing unit confirms, the IT Center sends it to the CA (ours: revoked at once) and tells the unit, the unit
    records the device's return (Form 03) — each person in his own session, each step by its button."""
    from kyso.accounts.demo import DEMO_PASSWORD
    from kyso.lifecycle.models import Certificate, KeyDevice, Record, RevocationRequest
    from kyso.lifecycle.tests.factories import our_certificate_on_device

    cert = our_certificate_on_device(demo, "TK-TRINH-DUYET-1")

    def state():
        rev = RevocationRequest.objects.filter(certificate=cert).first()
        return rev.state if rev else None

    driver, desk = sized(live_server, *WIDTHS["tablet"]), sized(live_server, *WIDTHS["desktop"])
    try:
        login(driver, "thuebao", DEMO_PASSWORD)
        driver.get(driver.url(f"/lifecycle/certificates/{cert.pk}/"))
        look(driver, "thu-hoi-mau-05-tablet")
        Select(driver.find_element(By.NAME, "reason")).select_by_value("b")
        driver.find_element(By.NAME, "detail").send_keys("Nghi lộ khóa bí mật")
        driver.find_element(By.CSS_SELECTOR, "form button.btn-danger").click()
        WebDriverWait(driver, 15).until(lambda d: state() == "requested")
        rev = RevocationRequest.objects.get(certificate=cert)
        for username, op, after in (("badinh", "confirm", "confirmed"), ("cntt", "send_to_ca", "revoked"),
                                    ("cntt", "notify_unit", "unit_notified"),
                                    ("badinh", "return_device", "device_returned")):
            desk.delete_all_cookies()                   # the officers at their desks
            login(desk, username, DEMO_PASSWORD)
            desk.get(desk.url(f"/lifecycle/revocations/{rev.pk}/"))
            look(desk, f"thu-hoi-{op}-desktop")
            desk.find_element(By.CSS_SELECTOR, f"button[name=op][value={op}]").click()
            WebDriverWait(desk, 15).until(lambda d, after=after: state() == after)
    finally:
        driver.quit()
        desk.quit()
    assert Certificate.objects.get(pk=cert.pk).status == "revoked"
    assert KeyDevice.objects.get(pk=cert.device_id).state == "returned"
    assert Record.objects.filter(form="03", title__contains="Thu hồi").exists()


@pytest.mark.django_db(transaction=True)
def test_a_certificate_from_form01_to_activation_in_the_browser(demo, live_server):
    """Journey "chứng thư" end to end through the pages (Decision 508, letter 26): Form 01 filed and confirmed by the
    district, Form 02 lists compiled and sent level by level, received and reviewed at the IT Center, the approval
    list approved by the leader (on his tablet; the officers at their desks), sent to the CA (ours), the handovers (Form 03) and the activation (Form 04)."""
    from kyso.accounts.demo import DEMO_PASSWORD
    from kyso.lifecycle.models import IssuanceRequest, RequestList

    person = demo.user("thuebao").person
    driver = sized(live_server, *WIDTHS["desktop"])

    def as_(username):
        driver.delete_all_cookies()
        login(driver, username, DEMO_PASSWORD)

    def press(path, xpath, name):
        driver.get(driver.url(path))
        look(driver, name)
        button = driver.find_element(By.XPATH, xpath)
        driver.execute_script("window.kysoOldPage = true")
        button.click()
        answered(driver)

    def request_action(req, code):
        press(f"/lifecycle/requests/{req.pk}/", f"//form[contains(@action, '/{code}/')]//button[@type='submit']",
              f"chung-thu-{code}-desktop")

    def list_op(lst, op):
        press("/lifecycle/lists/", f"//input[@name='list' and @value='{lst.pk}']/ancestor::form//button[@value='{op}']",
              f"chung-thu-danh-sach-{op}-desktop")

    def compile_for(unit_code):
        driver.get(driver.url("/lifecycle/lists/"))
        form = driver.find_element(By.XPATH, "//input[@name='op' and @value='compile']/ancestor::form")
        Select(form.find_element(By.NAME, "unit")).select_by_value(str(demo.unit(unit_code).pk))
        driver.execute_script("window.kysoOldPage = true")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        answered(driver)
        WebDriverWait(driver, 15).until(lambda d: RequestList.objects.filter(unit__code=unit_code).exists())
        return RequestList.objects.get(unit__code=unit_code)

    try:
        as_("badinh")
        driver.get(driver.url("/lifecycle/requests/new/"))
        Select(driver.find_element(By.ID, "person")).select_by_value(str(person.pk))
        driver.find_element(By.ID, "title").send_keys("Chuyên viên")
        driver.find_element(By.CSS_SELECTOR, "#form01 button[type=submit]").click()
        WebDriverWait(driver, 15).until(lambda d: IssuanceRequest.objects.filter(full_name=person.full_name).exists())
        req = IssuanceRequest.objects.get(full_name=person.full_name)
        request_action(req, "confirm")
        district = compile_for("HN.BD")
        list_op(district, "send")
        as_("hanoi")
        province = compile_for("HN")
        list_op(province, "send")
        as_("cntt")
        list_op(province, "receive")
        request_action(req, "valid")
        press("/lifecycle/lists/", "//input[@value='compile_approval']/ancestor::form//button",
              "chung-thu-lap-danh-sach-phe-duyet-desktop")
        WebDriverWait(driver, 15).until(lambda d: RequestList.objects.filter(is_approval_list=True).exists())
        approval = RequestList.objects.get(is_approval_list=True)
        leader = sized(live_server, *WIDTHS["tablet"])         # the leader approves on his tablet
        try:
            login(leader, "lanhdao", DEMO_PASSWORD)
            leader.get(leader.url("/lifecycle/lists/"))
            look(leader, "chung-thu-danh-sach-approve-tablet")
            leader.find_element(By.XPATH, f"//input[@name='list' and @value='{approval.pk}']/ancestor::form"
                                          "//button[@value='approve']").click()
            WebDriverWait(leader, 15).until(lambda d: RequestList.objects.get(pk=approval.pk).state == "approved")
            look(leader, "chung-thu-da-phe-duyet-tablet")
        finally:
            leader.quit()
        as_("cntt")
        list_op(approval, "send_to_ca")
        assert "PIN" in driver.page_source                  # the PIN envelopes, once, to the IT Center
        request_action(req, "handover_unit")
        as_("badinh")
        request_action(req, "handover_subscriber")
        as_("cntt")
        request_action(req, "activate")
        req.refresh_from_db()
        assert req.state == "activated", req.state
        driver.get(driver.url(f"/lifecycle/requests/{req.pk}/"))
        look(driver, "chung-thu-da-kich-hoat-desktop")
        assert "Mẫu số 04" in driver.page_source
    finally:
        driver.quit()
