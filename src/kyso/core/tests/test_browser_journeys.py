"""The five journeys in a real browser (issue 17): Debian's Chromium through Selenium at phone (390), tablet (820)
and desktop (1366) widths, a screenshot of each page kept under var/test-output/browser, axe-core (vendored in
third_party/) finding no serious or critical accessibility violation, and nothing wider than the screen.
Form 01 is filled in and filed through the page itself. One live server for the module (pytest-django's)."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from kyso.core.browser import WIDTHS, axe_violations, fits_width, login, screenshot, sized

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# (journey, user, pages) — the pages each journey's people work on
JOURNEYS = [
    ("chung-thu", "badinh", ["/lifecycle/", "/lifecycle/requests/new/", "/lifecycle/lists/", "/lifecycle/devices/"]),
    ("thu-hoi", "thuebao", ["/lifecycle/", "/lifecycle/certificates/"]),
    ("mot-cua", "motcua.hn", ["/portal/", "/portal/procedures/"]),
    ("van-ban", "vanthu.hn", ["/eoffice/", "/eoffice/new/"]),
    ("sim", "hanoi", ["/sims/"]),
]


def _check(driver, name: str) -> None:
    WebDriverWait(driver, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")
    assert driver.find_element(By.TAG_NAME, "h1").text.strip(), name
    screenshot(driver, name)
    problems = axe_violations(driver)
    assert not problems, f"{name}: {problems}"
    assert fits_width(driver), f"{name} is wider than the screen"


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
                _check(driver, f"{journey}-{i}-{size}")
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
        _check(driver, "chung-thu-form01-loi-phone")
        assert driver.find_element(By.ID, "title").get_attribute("value") == "Chuyên viên"   # kept after the error
        Select(driver.find_element(By.ID, "person")).select_by_value(str(person.pk))
        driver.find_element(By.CSS_SELECTOR, "#form01 button[type=submit]").click()
        WebDriverWait(driver, 15).until(lambda d: "/requests/new/" not in d.current_url)
        _check(driver, "chung-thu-form01-da-nop-phone")
        req = IssuanceRequest.objects.get(full_name=person.full_name)
        assert driver.current_url.endswith(f"/lifecycle/requests/{req.pk}/") and req.title == "Chuyên viên"
    finally:
        driver.quit()
