"""Issue 17, point 8: an employer — or a citizen — signs his dossier in the browser with the USB token on his own
computer, and the office takes it to a signed result through its pages.

The token is a real SoftHSM2 token holding the employer's key and its certificate from a public CA (tax code in
the certificate); the signing helper (`python -m kyso_signer`) runs as its own process on 127.0.0.1 and answers
only the portal's origin; Chromium drives the real submit page. Kyso never sees the key: the dossier that arrives
is signed by the token, verified by the intake as any uploaded signed file, and the signer is the employer (his
organisation certificate, tax code in it) or the citizen himself (his personal certificate, ID number in it)."""

import base64
import json
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request

from dataclasses import dataclass

import pytest
from cryptography.hazmat.primitives import serialization
from django.db import transaction
from lxml import etree

from kyso.core.context import acting_as
from kyso.files.storage import read
from kyso.signing.xml import DS

from . import helpers as h

PIN = "135790"
ALL_STEPS = (("badinh", "assign"), ("motcua.bd", "process"), ("badinh", "approve"), ("giamdoc.bd", "sign"),
             ("motcua.bd", "return"))
ALL_BUT_APPROVE = tuple(s for s in ALL_STEPS if s[1] != "approve")


@dataclass
class Who:
    kind: str
    login: str
    password: str
    name: str
    tax_code: str
    uid: str

    @property
    def person(self) -> bool:
        return self.kind == "citizen"

    def dossier(self):
        """(procedure, forms, the office's steps): the employer reports its workforce (600); the citizen files his
        child's health-insurance card (TE6) — an employer's declaration is not his to file."""
        if self.person:
            return "TE6", [("D03-TS.xml", h.d03()), ("TK1-TS.xml", h.tk1(self.name))], ALL_BUT_APPROVE
        return "600", [("D02-TS.xml", h.d02()), ("TK1-TS.xml", h.tk1())], ALL_STEPS


EMPLOYER = Who("employer", "congty.anhduong", "Cty@2026-ky-so", "Công ty TNHH Ánh Dương", "0101234567",
               "MST:0101234567")
CITIZEN = Who("citizen", "nguyen.van.an", "Dan@2026-ky-so", "Nguyễn Văn An", "001085012345", "CCCD:001085012345")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _token_with_certificate(label: str, who: Who):
    """A USB token as the CA hands it over: an ECDSA key generated on it and the certificate beside it."""
    from pkcs11 import Attribute, CertificateType, ObjectClass

    from kyso.pki.keystore import init_softhsm_token, pkcs11_store
    from kyso.portal.certificates import issue_to_holder

    init_softhsm_token(label, PIN, "24680135")
    store = pkcs11_store(label, PIN)
    key = store.generate("khoa-ky", "p256")
    with acting_as(label="test"), transaction.atomic():
        issued = issue_to_holder(key.public_key(), ca=h.public_ca(), name=who.name, uid=who.uid,
                                 key_location=f"pkcs11:token={label};object=khoa-ky", person=who.person)
    session = store.session()
    private = session.get_key(object_class=ObjectClass.PRIVATE_KEY, label="khoa-ky")
    session.create_object({
        Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
        Attribute.TOKEN: True, Attribute.ID: private[Attribute.ID], Attribute.LABEL: who.name,
        Attribute.SUBJECT: issued.certificate.subject.public_bytes(),
        Attribute.VALUE: issued.certificate.public_bytes(serialization.Encoding.DER)})
    return issued


@pytest.fixture(params=[EMPLOYER, CITIZEN], ids=["employer", "citizen"])
def helper(request, live_server, tmp_path, settings):
    """The signing helper on the submitter's computer, started for the portal's origin only."""
    from kyso.pki.softhsm import ensure_softhsm_env

    who = request.param
    label = f"usb-{os.urandom(3).hex()}"
    issued = _token_with_certificate(label, who)
    pin_file = tmp_path / "pin"
    pin_file.write_text(PIN)
    port = _free_port()
    env = {**os.environ, "SOFTHSM2_CONF": str(ensure_softhsm_env())}
    proc = subprocess.Popen([sys.executable, "-m", "kyso_signer", "--module", settings.KYSO_PKCS11_MODULE,
                             "--token", label, "--origin", live_server.url, "--port", str(port),
                             "--pin-file", str(pin_file)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            text=True)
    line = proc.stdout.readline()
    assert "sẵn sàng" in line, (line, proc.stderr.read() if proc.poll() is not None else "")
    settings.KYSO_SIGNER_HELPER_URL = f"http://127.0.0.1:{port}"
    yield f"http://127.0.0.1:{port}", issued, who
    proc.terminate()
    proc.wait(timeout=10)


def _get(url: str, origin: str):
    req = urllib.request.Request(url, headers={"Origin": origin})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, None


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_submitter_signs_and_submits_with_his_usb_token(demo, live_server, helper, tmp_path):
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    from kyso.accounts.demo import DEMO_PASSWORD
    from kyso.core.browser import WIDTHS, login, look, sized
    from kyso.portal import seed
    from kyso.portal.models import Dossier

    url, issued, who = helper
    # the helper answers the portal's page, and no other web page
    status, certs = _get(f"{url}/certificates", live_server.url)
    der_b64 = base64.b64encode(issued.certificate.public_bytes(serialization.Encoding.DER)).decode()
    assert status == 200 and [c["certificate"] for c in certs] == [der_b64]
    assert _get(f"{url}/certificates", "https://trang-la.example")[0] == 403

    with acting_as(label="test"), transaction.atomic():
        seed.apply()
    sub, _issued, _key = h.submitter(who.login, who.kind, "HN.BD", name=who.name, tax_code=who.tax_code,
                                     with_cert=False)
    with acting_as(label="test"), transaction.atomic():
        sub.has_digital_signature = True
        sub.save()
        sub.user.set_password(who.password)
        sub.user.save()
    procedure, contents, steps = who.dossier()
    forms = [tmp_path / name for name, _xml in contents]
    for path, (_name, xml) in zip(forms, contents):
        path.write_bytes(xml)

    driver = sized(live_server, *WIDTHS["desktop"])
    try:
        login(driver, who.login, who.password)
        driver.get(driver.url("/portal/submit/"))
        Select(driver.find_element(By.ID, "procedure-token")).select_by_value(procedure)
        driver.find_element(By.ID, "unsigned").send_keys("\n".join(str(f) for f in forms))
        look(driver, f"cong-ky-usb-token-{who.kind}-truoc")
        driver.find_element(By.ID, "token-sign-button").click()
        def finished(d):
            if "/portal/d/" in d.current_url:
                return "submitted"
            try:                        # the page may be leaving for the dossier's page right now
                status = d.find_element(By.ID, "token-status")
                return "error" in (status.get_attribute("class") or "") and status.text
            except WebDriverException:
                return False

        outcome = WebDriverWait(driver, 60).until(finished)
        assert outcome == "submitted", outcome
        look(driver, f"cong-ky-usb-token-{who.kind}-da-nop")

        # the office takes it to a signed result, each officer through the dossier's page
        code = Dossier.objects.get(submitted_by=sub.user).code
        h.office_leader()       # the result is signed by Ba Đình's leader with his USB token (Art. 8.2)
        for username, step in steps:
            driver.delete_all_cookies()
            login(driver, username, DEMO_PASSWORD)
            driver.get(driver.url(f"/portal/d/{code}/"))
            look(driver, f"cong-{who.kind}-{step}")
            form = driver.find_element(By.XPATH, f"//input[@name='step' and @value='{step}']/ancestor::form")
            if step == "sign":
                form.find_element(By.ID, "pin").send_keys(h.sign_fields()["pin"])
            form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
            WebDriverWait(driver, 30).until(
                lambda d, step=step: not d.find_elements(By.XPATH, f"//input[@name='step' and @value='{step}']"))
        driver.delete_all_cookies()
        login(driver, who.login, who.password)
        driver.get(driver.url(f"/portal/d/{code}/"))
        look(driver, f"cong-{who.kind}-ket-qua-nguoi-nop")
        assert "Kết quả" in driver.page_source
    finally:
        driver.quit()

    dossier = Dossier.objects.get(submitted_by=sub.user)
    assert dossier.status == "returned" and dossier.documents.filter(kind="result").exists()
    files = list(dossier.files.order_by("pk"))
    assert [f.indication for f in files] == ["TOTAL_PASSED", "TOTAL_PASSED"]
    assert all(who.name in f.signer for f in files)
    for f in files:                     # signed by the key on the token: its certificate is in the signature
        tree = etree.fromstring(read(f.file))
        assert ["".join(c.text.split()) for c in tree.iter(f"{{{DS}}}X509Certificate")] == [der_b64]
