"""Issue 17, dates: the calendar beside every date box writes the day as people write it (dd/mm/yyyy), the page
sends it, and the server stores that day — 5 March, not 3 May. Driven in a real browser (the picker is script)."""

import datetime as dt

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from kyso.core.browser import WIDTHS, login, look, sized

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.django_db(transaction=True)
def test_a_day_picked_in_the_calendar_is_written_day_first_and_stored_as_that_day(demo, live_server):
    from kyso.accounts.demo import DEMO_PASSWORD

    person = demo.user("thuebao").person
    year = person.birth_date.year                     # the CCCD encodes the year of birth: keep it
    driver = sized(live_server, *WIDTHS["desktop"])
    try:
        login(driver, "hanoi", DEMO_PASSWORD)
        driver.get(driver.url(f"/org/people/{person.pk}/edit/"))
        box = driver.find_element(By.CSS_SELECTOR, "input[name=birth_date]")
        box.clear()
        box.send_keys(f"20/02/{year}")                # the calendar opens on the month typed
        box.find_element(By.XPATH, "following-sibling::button[contains(@class,'datepicker-open')]").click()
        picker = WebDriverWait(driver, 10).until(lambda d: d.find_element(By.CSS_SELECTOR, ".datepicker"))
        assert picker.find_element(By.CSS_SELECTOR, ".datepicker-head span").text == f"Tháng 2 {year}"
        picker.find_element(By.CSS_SELECTOR, "button[aria-label='Tháng sau']").click()
        assert driver.find_element(By.CSS_SELECTOR, ".datepicker-head span").text == f"Tháng 3 {year}"
        look(driver, "lich-chon-ngay-desktop")
        driver.find_element(By.CSS_SELECTOR, f".datepicker button[aria-label='05/03/{year}']").click()
        assert box.get_attribute("value") == f"05/03/{year}"          # written day first
        assert not driver.find_elements(By.CSS_SELECTOR, ".datepicker")  # and the calendar closed
        box.find_element(By.XPATH, "ancestor::form").submit()
        WebDriverWait(driver, 15).until(lambda d: "/edit/" not in d.current_url)
    finally:
        driver.quit()
    person.refresh_from_db()
    assert person.birth_date == dt.date(year, 3, 5)
