"""The phone page: the holder sees what he is asked to sign and answers with his PIN and the code sent to his
phone by SMS; a wrong PIN is
shown and counted; the page fits a phone held upright (Chromium at 390×844)."""

import pytest

from kyso.accounts.demo import DEMO_PASSWORD
from kyso.mobile import services
from kyso.mobile.models import RequestState

from .conftest import PIN, digest, last_otp


def test_confirm_on_the_page(client, app_credential, leader, as_user):
    with as_user(leader):
        req = services.request_signature(signer=leader, hashes=[digest()], display_text="Ký Quyết định 7/QĐ-BHXH")
    client.force_login(leader)
    page = client.get("/mobile/phone/").content.decode()
    assert "Ký Quyết định 7/QĐ-BHXH" in page
    r = client.post(f"/mobile/phone/{req.pk}/", {"pin": "111111", "otp": last_otp()}, follow=True)
    assert "Mã PIN không đúng" in r.content.decode()
    app_credential.refresh_from_db()
    assert app_credential.failed_pins == 1           # kept although the answer was an error
    client.post(f"/mobile/phone/{req.pk}/", {"pin": PIN, "otp": last_otp()})
    assert services.get_request(req.pk).state == RequestState.SIGNED
    r = client.get(f"/mobile/requests/{req.pk}.json")
    assert r.json()["state"] == "signed"


def test_sim_prompt_on_the_page(client, sim_credential, leader, as_user):
    with as_user(leader):
        req = services.request_signature(signer=leader, hashes=[digest()], display_text="Ký Tờ trình 3/TTr")
    client.force_login(leader)
    page = client.get("/mobile/phone/").content.decode()
    assert "Ký Tờ trình 3/TTr" in page and "+84912345678" in page
    r = client.post(f"/mobile/phone/sim/{req.mssp_trans_id}/", {"pin": "000000"}, follow=True)
    assert "còn 2 lần thử" in r.content.decode()
    client.post(f"/mobile/phone/sim/{req.mssp_trans_id}/", {"refuse": "1"})
    assert services.get_request(req.pk).state == RequestState.REFUSED


def test_other_people_see_nothing(client, app_credential, leader, demo, as_user):
    with as_user(leader):
        req = services.request_signature(signer=leader, hashes=[digest()], display_text="Bí mật")
    other = demo.user("hanoi")
    client.force_login(other)
    assert "Bí mật" not in client.get("/mobile/phone/").content.decode()
    assert client.get(f"/mobile/requests/{req.pk}.json").status_code == 404
    client.post(f"/mobile/phone/{req.pk}/", {"pin": PIN})
    assert services.get_request(req.pk).state == RequestState.PENDING


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_signing_confirmation_on_a_phone(demo, phone):
    from selenium.webdriver.common.by import By

    from kyso.core.browser import fits_width, login
    from kyso.core.context import acting_as

    leader = demo.user("lanhdao")
    with acting_as(leader, channel="cli"):
        services.enrol_credential(leader, channel="app", pin=PIN)
        req = services.request_signature(signer=leader, hashes=[digest()],
                                         display_text="Ký Công văn số 2671/BHXH-CNTT về hồ sơ điện tử")
    login(phone, "lanhdao", DEMO_PASSWORD)
    phone.get(phone.url("/mobile/phone/"))
    form = phone.find_element(By.CSS_SELECTOR, f"form[data-request='{req.pk}']")
    assert "2671/BHXH-CNTT" in form.text
    assert fits_width(phone), "the confirmation must not scroll sideways on a phone"
    button = form.find_element(By.NAME, "confirm")
    assert button.size["height"] >= 44, "a thumb-sized button"
    form.find_element(By.NAME, "pin").send_keys(PIN)
    form.find_element(By.NAME, "otp").send_keys(last_otp())
    button.click()
    assert "Đã ký" in phone.find_element(By.CSS_SELECTOR, ".messages").text
    assert services.get_request(req.pk).state == RequestState.SIGNED
    assert fits_width(phone)
