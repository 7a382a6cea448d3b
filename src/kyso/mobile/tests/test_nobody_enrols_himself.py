"""Issue 16, four eyes on the IT Center's own keys: an IT officer enrolled a remote-signing credential for himself
(a certificate of our CA and a key, with no one else's word — requester and approver at once, as the leader who
approved his own renewal was) and enabled his own credential again after someone had disabled it. Another IT Center
officer does both; disabling one's own stays allowed. Refused by the runner, nothing written."""

import pytest

from kyso.audit.models import AuditRecord
from kyso.mobile.models import Credential
from kyso.mobile.services import enrol_credential
from kyso.signing.tests.test_nobody_unlocks_his_own_key import second_it_officer  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_an_it_officer_does_not_enrol_himself(api, demo, pki, second_it_officer):  # noqa: F811
    r = api("cntt").post("/api/v1/mobile/credentials/", {"holder": "cntt", "channel": "app"}, format="json")
    assert r.status_code == 403 and r.json()["error"]["code"] == "mobile.credential.own", r.content
    assert "Bạn không được tự cấp" in r.json()["error"]["message"]
    assert not Credential.objects.exists()
    assert not AuditRecord.objects.filter(action="mobile.credential.enrol").exists()
    r = api(second_it_officer.username).post("/api/v1/mobile/credentials/", {"holder": "cntt", "channel": "app"},
                                             format="json")
    assert r.status_code == 201, r.content
    assert Credential.objects.get().holder == demo.user("cntt")


def test_an_it_officer_does_not_enable_his_own_credential_again(api, demo, pki, as_user,
                                                                 second_it_officer):  # noqa: F811
    officer = demo.user("cntt")
    with as_user(officer):
        cred = enrol_credential(officer, channel="app", pin="246810", key_spec="p256")
    url = f"/api/v1/mobile/credentials/{cred.credential_id}"
    assert api("cntt").post(f"{url}/disable/").status_code == 200      # his own: he may always disable it
    r = api("cntt").post(f"{url}/enable/")
    assert r.status_code == 403 and r.json()["error"]["code"] == "mobile.credential.own", r.content
    cred.refresh_from_db()
    assert cred.enabled is False
    assert api(second_it_officer.username).post(f"{url}/enable/").status_code == 200
    cred.refresh_from_db()
    assert cred.enabled is True
