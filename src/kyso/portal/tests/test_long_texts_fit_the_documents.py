"""What an officer writes (notes, what is missing, reasons) is held to one set of limits on the page and on the API,
and the documents carrying it are drawn however long it is within them (red team, dossier journey, F6 and F7).

Before: a supplement request listing 50 items of 500 characters, or an assignment note of 2,000 characters — both
within the API's own limits — made the control slip (Mẫu 05) answer 500 for good, to the submitter and to every
officer (a table row taller than a page); the page form took notes of 100,000 characters; a step the page may not
take was named by its code ("Bước xử lý receive không hợp lệ")."""

import pytest

from kyso.portal.models import Dossier, DossierEvent

from . import helpers as h

pytestmark = pytest.mark.django_db


def test_the_control_slip_draws_the_longest_texts_allowed(api, client, employer, employer_api, signed_600):
    code = h.submit(employer_api, signed_600)
    officer = api("badinh")
    long_word = "x" * 2000                          # no space to break at
    assert h.act(officer, code, "steps", {"step": "assign", "note": long_word}).status_code == 200
    missing = [("Thiếu tờ khai của lao động số %02d " % i) + "chi tiết " * 60 for i in range(50)]
    missing = [m[:500] for m in missing]
    r = h.act(officer, code, "supplement-request", {"missing": missing, "note": "Ghi chú " * 250})
    assert r.status_code == 200, r.json()
    for who in (officer, employer_api):
        slip = who.get(f"/api/v1/portal/dossiers/{code}/control-slip/")
        assert slip.status_code == 200 and slip.content[:5] == b"%PDF-"
        assert slip.content.count(b"/Type /Page\n") + slip.content.count(b"/Type /Page ") + \
            slip.content.count(b"/Type /Page>") >= 1
    client.force_login(_user("badinh"))
    page = client.get(f"/portal/d/{code}/control-slip/")
    assert page.status_code == 200


def test_the_page_holds_the_same_limits_and_writes_nothing(client, employer, employer_api, signed_600, demo):
    code = h.submit(employer_api, signed_600)
    client.force_login(_user("badinh"))
    events = DossierEvent.objects.filter(dossier__code=code).count()
    r = client.post(f"/portal/d/{code}/", {"op": "step", "step": "assign", "note": "a" * 100_000})
    assert r.status_code in (200, 400) and "2000" in r.content.decode().replace(".", "").replace(" ", "")
    d = Dossier.objects.get(code=code)
    assert d.step == "receive" and DossierEvent.objects.filter(dossier=d).count() == events
    r = client.post(f"/portal/d/{code}/", {"op": "supplement_request", "missing": "\n".join(["thiếu"] * 51)})
    assert Dossier.objects.get(code=code).status == "in_progress"
    r = client.post(f"/portal/d/{code}/", {"op": "refuse", "reasons": "y" * 1001})
    assert Dossier.objects.get(code=code).status == "in_progress"


def test_a_step_is_named_in_words_not_by_its_code(client, employer, employer_api, signed_600):
    code = h.submit(employer_api, signed_600)
    client.force_login(_user("badinh"))
    for step in ("receive", "nonsense"):
        r = client.post(f"/portal/d/{code}/", {"op": "step", "step": step})
        text = r.content.decode()
        assert step not in text.split("<main", 1)[-1].replace('value="receive"', ""), step


def _user(username):
    from kyso.accounts.models import User

    return User.objects.get(username=username)
