"""The registry's waiting work comes from its workflow declaration (issue 17 point 1, issue 18.2): the IT
Center's officer who keeps the registry sees, on his home page and /tasks/, the lines in service that cannot
sign (no certificate, or one revoked or ending within 30 days) with the day each is due; the other demo roles —
unit officers who only pay, clerks, the leader — see nothing of it, nor does the administrator (his right over
everything put every line in his queue too); a line fixed or ended leaves the queue."""

import pytest

from kyso.core.workflow import work_for
from kyso.sims import services
from kyso.sims.flows import SUBSCRIPTION

pytestmark = pytest.mark.django_db

ROLES = ["cntt", "hanoi", "badinh", "lanhdao", "vanthu.hn", "vanthu.bd", "admin", "kiemtoan"]


def _waiting(demo) -> dict:
    out = {}
    for login in ROLES:
        entries = [e for e in work_for(demo.user(login)) if e.workflow is SUBSCRIPTION]
        if entries:
            out[login] = {(e.transition.name, e.count) for e in entries}
    return out


def test_only_the_registry_keeper_has_the_lines_to_fix(demo, register, as_user, client):
    assert _waiting(demo) == {}
    bare = register(demo.person("NA", "Giám đốc"), "0911111111")
    assert _waiting(demo) == {"cntt": {("certificate", 1)}}
    entry = next(e for e in work_for(demo.user("cntt")) if e.workflow is SUBSCRIPTION)
    assert entry.rows()[0]["url"] == f"/sims/{bare.pk}/" and entry.next_due is not None
    client.force_login(demo.user("cntt"))
    assert "/tasks/sims.subscription/certificate/" in client.get("/").content.decode()
    assert f"/sims/{bare.pk}/" in client.get("/tasks/sims.subscription/certificate/").content.decode()
    client.force_login(demo.user("hanoi"))
    assert "/tasks/sims.subscription/" not in client.get("/").content.decode()
    it = demo.user("cntt")
    with as_user(it):
        services.end(it, bare, effective_on="2026-02-01", reason="Nghỉ hưu")
    assert _waiting(demo) == {}


def test_a_refused_step_writes_nothing_and_says_where_the_line_is(demo, register, as_user, client):
    """A step out of order or by someone without the right is refused whole, through the page as well."""
    line = register(demo.person("NA", "Giám đốc"), "0911111111")
    it = demo.user("cntt")
    client.force_login(it)
    resp = client.post(f"/sims/{line.pk}/", {"action": "resume", "effective_on": "01/02/2026"})
    assert resp.status_code == 400
    line.refresh_from_db()
    assert line.state == "active" and line.events.count() == 1
    resp = client.post(f"/sims/{line.pk}/", {"action": "suspend", "effective_on": "01/02/2026", "reason": "Nghỉ phép"},
                       follow=True)
    line.refresh_from_db()
    assert line.state == "suspended" and line.events.count() == 2
    assert SUBSCRIPTION.state_label("suspended") in resp.content.decode(), "the page says where the line is now"
