"""Browser tests: Debian's Chromium driven by its ChromeDriver through Selenium (pytest plugin).

`phone` is a headless Chromium with a 390×844 viewport (a phone held upright), `tablet` one of
820×1180; both against pytest-django's `live_server`. `.ci/run` installs `chromium` and
`chromium-driver`; without them the fixtures fail with the reason rather than skip silently.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kyso.core.pdflayout import output_dir

CHROMIUM = os.environ.get("KYSO_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("KYSO_CHROMEDRIVER", "/usr/bin/chromedriver")


def _driver(width: int, height: int):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
        pytest.fail(f"browser tests need {CHROMIUM} and {CHROMEDRIVER} (Debian: chromium chromium-driver)")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                f"--window-size={width},{height}", "--lang=vi-VN", "--force-device-scale-factor=1"):
        opts.add_argument(arg)
    opts.add_experimental_option("prefs", {"intl.accept_languages": "vi-VN,vi"})
    opts.add_experimental_option("mobileEmulation", {
        "deviceMetrics": {"width": width, "height": height, "pixelRatio": 1.0, "touch": True}})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(30)
    driver.implicitly_wait(5)
    return driver


def _sized(live_server, width: int, height: int):
    driver = _driver(width, height)
    driver.url = lambda path="/": live_server.url + path
    return driver


@pytest.fixture
def phone(live_server):
    """A phone-sized browser (390×844); `phone.url(path)` is the live server's address for `path`."""
    driver = _sized(live_server, 390, 844)
    yield driver
    driver.quit()


@pytest.fixture
def tablet(live_server):
    """A tablet held upright (820×1180)."""
    driver = _sized(live_server, 820, 1180)
    yield driver
    driver.quit()


def login(driver, username: str, password: str) -> None:
    """Log in through the real login form."""
    from selenium.webdriver.common.by import By

    driver.get(driver.url("/accounts/login/"))
    driver.find_element(By.NAME, "username").send_keys(username)
    driver.find_element(By.NAME, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form [type=submit]").click()
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 15).until(lambda d: "/accounts/login" not in d.current_url)


def fits_width(driver) -> bool:
    """Nothing wider than the viewport: no sideways scrolling on a phone."""
    return driver.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth + 1")


WIDTHS = {"phone": (390, 844), "tablet": (820, 1180), "desktop": (1366, 900)}
AXE = Path(__file__).resolve().parents[3] / "third_party" / "axe-core-4.10.3" / "axe.min.js"


def sized(live_server, width: int, height: int):
    """A browser of the given size against the live server (`driver.url(path)`)."""
    return _sized(live_server, width, height)


def axe_violations(driver, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core (vendored, MPL-2.0, third_party/) on the current page; the violations of these impacts."""
    driver.execute_script(AXE.read_text())
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations)).catch(e => done([{id: 'axe-error', impact: 'critical', description: String(e), nodes: []}]));")
    return [{"id": v["id"], "impact": v["impact"], "help": v.get("help", v.get("description", "")),
             "nodes": [n.get("target") for n in v.get("nodes", [])[:3]]}
            for v in result if v.get("impact") in impacts]


def screenshot(driver, name: str) -> Path:
    """Keep a screenshot of the whole page under var/test-output/browser (or $KYSO_TEST_OUTPUT/browser)."""
    path = output_dir("browser") / f"{name}.png"
    driver.save_screenshot(str(path))
    return path


def fits_every_width(driver) -> list[str]:
    """The widths (phone, tablet, desktop) at which the current page scrolls sideways; the browser's own size is
    put back afterwards (Chromium's device emulation, as the drives' browsers are made)."""
    own = driver.execute_script("return [window.innerWidth, window.innerHeight]")
    wide = []
    for name, (width, height) in WIDTHS.items():
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": name != "desktop"})
        if not fits_width(driver):
            wide.append(name)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": own[0], "height": own[1], "deviceScaleFactor": 1, "mobile": own[0] < WIDTHS["desktop"][0]})
    return wide


def look(driver, name: str) -> None:
    """What every page of a drive goes through: loaded, with a heading; its screenshot kept (`screenshot`); no
    serious or critical axe-core violation; no sideways scrolling at phone, tablet or desktop width."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")
    assert driver.find_element(By.TAG_NAME, "h1").text.strip(), f"{name}: no heading"
    screenshot(driver, name)
    problems = axe_violations(driver)
    assert not problems, f"{name}: {problems}"
    wide = fits_every_width(driver)
    assert not wide, f"{name} is wider than the screen of a {', '.join(wide)}"
