"""Journey "SIM PKI" in Chromium, as the IT Center officer who keeps the registry works it at his desk (1366): he
registers a line through the form (the day typed day-first), changes its fees from a later date on its page, opens
the month's payment report and closes the month. Every page is kept as a screenshot under
var/test-output/browser, passes axe-core (no serious or critical violation) and scrolls sideways at no width
(`core.browser.look`)."""

import datetime as dt

import pytest

from .conftest import iccid


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_line_registered_changed_reported_and_its_month_closed_in_the_browser(demo, register, live_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    from kyso.accounts.demo import DEMO_PASSWORD
    from kyso.core.browser import WIDTHS, login, look, sized
    from kyso.sims.models import MonthClose, SimSubscription

    register(demo.person("HN", "Giám đốc"), "0911000001", carrier="vinaphone", in_service_on=dt.date(2026, 1, 1))
    holder = demo.person("NA", "Giám đốc")
    desk = sized(live_server, *WIDTHS["desktop"])
    try:
        login(desk, "cntt", DEMO_PASSWORD)
        desk.get(desk.url("/sims/"))
        look(desk, "sim-so-dang-ky-desktop")
        desk.get(desk.url("/sims/new/"))
        look(desk, "sim-dang-ky-moi-desktop")
        desk.find_element(By.ID, "holder").send_keys(holder.email)
        desk.find_element(By.ID, "msisdn").send_keys("0911 222 333")
        Select(desk.find_element(By.ID, "carrier")).select_by_value("mobifone")
        desk.find_element(By.ID, "iccid").send_keys(iccid(77))
        day = desk.find_element(By.ID, "in_service_on")       # typed day-first, as people write it
        day.clear()
        day.send_keys("15/10/2026")
        desk.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
        WebDriverWait(desk, 15).until(lambda d: "/sims/new/" not in d.current_url)
        sub = SimSubscription.objects.get(msisdn="+84911222333")
        assert desk.current_url.endswith(f"/sims/{sub.pk}/") and sub.in_service_on == dt.date(2026, 10, 15)
        assert "0911222333" in desk.find_element(By.TAG_NAME, "h1").text
        look(desk, "sim-trang-thue-bao-desktop")

        # a change of fees from 01/11/2026, on the line's page
        change = desk.find_element(By.XPATH, "//input[@name='action' and @value='change']/ancestor::form")
        on = change.find_element(By.ID, "c-on")
        on.clear()
        on.send_keys("01/11/2026")
        fee = change.find_element(By.ID, "c-data")
        fee.clear()
        fee.send_keys("120000")
        change.find_element(By.ID, "c-reason").send_keys("Tăng dung lượng theo chức danh")
        change.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        WebDriverWait(desk, 15).until(lambda d: sub.events.count() >= 2)
        look(desk, "sim-da-thay-doi-desktop")
        assert "01/11/2026" in desk.find_element(By.TAG_NAME, "body").text

        # October's payment report, then the month closed
        desk.get(desk.url("/sims/payment/?month=2026-10"))
        look(desk, "sim-bao-cao-thang-desktop")
        body = desk.find_element(By.TAG_NAME, "body").text
        assert holder.full_name in body and "Thanh toán cước SIM PKI" in body
        desk.find_element(By.XPATH, "//form[@method='post' and input[@name='month']]//button[@type='submit']").click()
        WebDriverWait(desk, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".badge-ok"))
        look(desk, "sim-da-chot-thang-desktop")
        assert not desk.find_elements(By.XPATH, "//form[@method='post' and input[@name='month']]//button[@type='submit']")
    finally:
        desk.quit()
    assert MonthClose.objects.filter(month=dt.date(2026, 10, 1)).exists()
