"""The browser harness itself: a phone-sized Chromium logs in through the real form."""

import pytest
from selenium.webdriver.common.by import By

from kyso.core.browser import fits_width, login

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_login_on_a_phone(demo, phone):
    from kyso.accounts.demo import DEMO_PASSWORD

    login(phone, "badinh", DEMO_PASSWORD)
    assert phone.execute_script("return window.innerWidth") == 390
    assert "/accounts/login" not in phone.current_url
    assert phone.find_element(By.TAG_NAME, "body").text.strip()
    assert fits_width(phone)
