"""Issue 16, existence oracles: asking a holder to sign on his phone (`POST /api/v1/mobile/requests/`) and enrolling
a credential (`POST /api/v1/mobile/credentials/`) name the holder by login. Before, any signed-in person — a
subscriber — learnt which logins exist (403 for an existing one, 404 or 400 for an unknown one), and a clerk or a
provincial IT officer which existed outside his scope. Now one who may not act for others is refused whatever the
login; one who may, but not for that holder, gets the answer an unknown login gets."""

import pytest

from kyso.accounts import scope
from kyso.accounts.models import RoleAssignment
from kyso.accounts.roles import Role

pytestmark = pytest.mark.django_db
H = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="


def _ask(api, who, signer):
    return api(who).post("/api/v1/mobile/requests/", {"signer": signer, "display_text": "Ký công văn",
                                                       "hashes": [H]}, format="json")


def _answer(r):
    return r.status_code, r.json()["error"]["code"]


def test_a_subscriber_learns_nothing_about_logins(api, demo):
    assert _answer(_ask(api, "thuebao", "lanhdao")) == _answer(_ask(api, "thuebao", "khong.ton.tai")) == \
        (403, "forbidden")
    enrol = [api("thuebao").post("/api/v1/mobile/credentials/", {"holder": login, "channel": "app"}, format="json")
             for login in ("lanhdao", "khong.ton.tai")]
    assert _answer(enrol[0]) == _answer(enrol[1]) == (403, "forbidden")


def test_a_clerk_does_not_learn_who_exists_outside_his_unit(api, demo):
    # vanthu.hn asks the people of Hà Nội; lanhdao (the agency's leadership) and hcm are outside
    outside = [_answer(_ask(api, "vanthu.hn", login)) for login in ("lanhdao", "hcm")]
    unknown = _answer(_ask(api, "vanthu.hn", "khong.ton.tai"))
    assert outside == [unknown, unknown] and unknown == (404, "mobile.holder.unknown")


def test_a_provincial_it_officer_does_not_learn_who_exists_elsewhere(api, demo, as_user):
    it_hn = demo.user("hanoi")
    with as_user(demo.user("admin")):
        RoleAssignment.objects.create(user=it_hn, role=Role.IT_OFFICER, unit=demo.unit("HN"))
    scope.forget(it_hn)
    answers = [api("hanoi").post("/api/v1/mobile/credentials/", {"holder": login, "channel": "app"}, format="json")
               for login in ("hcm", "khong.ton.tai")]
    assert _answer(answers[0]) == _answer(answers[1]) == (400, "mobile.holder.unknown")
