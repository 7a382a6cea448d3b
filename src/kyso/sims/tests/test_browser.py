"""In Chromium on a tablet (820×1180): the IT officer registers a SIM through the form, opens its page and the
month's payment report; no page scrolls sideways."""

import datetime as dt

import pytest

from .conftest import iccid


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_register_and_report_on_a_tablet(demo, register, tablet, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    from kyso.accounts.demo import DEMO_PASSWORD
    from kyso.core.browser import fits_width, login
    from kyso.sims.models import SimSubscription

    register(demo.person("HN", "Giám đốc"), "0911000001", carrier="vinaphone", in_service_on=dt.date(2026, 1, 1))
    holder = demo.person("NA", "Giám đốc")
    login(tablet, "cntt", DEMO_PASSWORD)
    tablet.get(tablet.url("/sims/new/"))
    assert fits_width(tablet)
    tablet.find_element(By.ID, "holder").send_keys(holder.email)
    tablet.find_element(By.ID, "msisdn").send_keys("0911 222 333")
    Select(tablet.find_element(By.ID, "carrier")).select_by_value("mobifone")
    tablet.find_element(By.ID, "iccid").send_keys(iccid(77))
    day = tablet.find_element(By.ID, "in_service_on")       # typed day-first, as people write it
    day.clear()
    day.send_keys("15/10/2026")
    tablet.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    WebDriverWait(tablet, 15).until(lambda d: "/sims/new/" not in d.current_url)
    sub = SimSubscription.objects.get(msisdn="+84911222333")
    assert tablet.current_url.endswith(f"/sims/{sub.pk}/") and sub.in_service_on == dt.date(2026, 10, 15)
    assert "0911222333" in tablet.find_element(By.TAG_NAME, "h1").text
    assert fits_width(tablet)
    tablet.get(tablet.url("/sims/payment/?month=2026-10"))
    body = tablet.find_element(By.TAG_NAME, "body").text
    assert holder.full_name in body and "Thanh toán cước SIM PKI" in body
    assert fits_width(tablet)
    tablet.save_screenshot(str(tmp_path / "payment.png"))
