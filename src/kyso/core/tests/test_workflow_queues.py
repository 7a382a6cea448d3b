"""One declaration feeds the step, the permission, the offered controls and the queue (issue 18 item 2,
issue 17 item 1): the contact-change workflow of `org` as the example."""

import re

import pytest

from kyso.core import workflow
from kyso.core.errors import Forbidden, InvalidState
from kyso.org import contacts
from kyso.org.models import ContactChange
from kyso.org.tests.factories import phone_change

pytestmark = pytest.mark.django_db


@pytest.fixture
def change(demo):
    return phone_change(demo, "hanoi")


def test_the_queue_lists_exactly_who_may_act(change, demo):
    def waiting(username):
        return [e for e in workflow.work_for(demo.user(username)) if e.workflow.name == "org.contact"]

    assert waiting("badinh")[0].records == [change]      # a second officer over the person's unit
    assert waiting("hanoi") == []                         # the one who asked: four eyes hide it
    assert waiting("hcm") == []                           # outside his scope
    assert waiting("thuebao") == []                       # no permission
    flow = workflow.get("org.contact")
    assert [t.name for t in flow.allowed(change, demo.user("badinh"))] == ["approve", "confirm", "cancel"] or \
        {t.name for t in flow.allowed(change, demo.user("badinh"))} >= {"approve"}
    assert "approve" not in {t.name for t in flow.allowed(change, demo.user("hanoi"))}


def test_the_runner_refuses_out_of_order_and_four_eyes(change, demo, as_user):
    hanoi, badinh = demo.user("hanoi"), demo.user("badinh")
    with as_user(hanoi), pytest.raises(Forbidden) as exc:
        contacts.approve(change, actor=hanoi)
    assert exc.value.code == "steps.four_eyes"
    with as_user(badinh):
        contacts.approve(change, actor=badinh)
    change.refresh_from_db()
    assert change.state == "applied"
    with as_user(badinh), pytest.raises(InvalidState):
        contacts.approve(change, actor=badinh)


def test_after_a_step_the_page_says_where_the_record_is(change, demo, client):
    client.force_login(demo.user("badinh"))
    page = client.get("/tasks/").content.decode()
    assert "Thay đổi thông tin liên lạc chờ phê duyệt" in page
    assert f"/org/contact-changes/{change.pk}/" in page
    r = client.post(f"/org/contact-changes/{change.pk}/", {"action": "approve"}, follow=True)
    assert "Hiện tại: Đã áp dụng" in r.content.decode()


def test_a_long_queue_is_counted_up_to_a_cap_and_paged_by_key(change, demo, client, monkeypatch):
    """A queue of millions never costs a COUNT(*) or an OFFSET on a page: the count stops at the cap and reads
    "N+", the queue page walks on from the last record shown (issue 19)."""
    for i in range(1, 62):
        ContactChange.objects.create(person=change.person, field="phone_mobile", old_value=change.old_value,
                                     new_value=f"09871{i:05d}", requested_by=change.requested_by,
                                     expires_at=change.expires_at)
    monkeypatch.setattr(workflow, "COUNT_CAP", 40)
    monkeypatch.setattr(workflow.capped_count, "__defaults__", (40,))
    [entry] = [e for e in workflow.work_for(demo.user("badinh")) if e.workflow.name == "org.contact"]
    assert int(entry.count) == 40 and str(entry.count) == "40+"
    client.force_login(demo.user("badinh"))
    seen, url = [], f"/tasks/{entry.workflow.name}/{entry.transition.name}/"
    while url:
        page = client.get(url).content.decode()
        assert "40+" in page
        seen += re.findall(r"/org/contact-changes/(\d+)/", page)
        more = re.search(r'href="\?after=(\d+)"', page)
        url = f"/tasks/{entry.workflow.name}/{entry.transition.name}/?after={more.group(1)}" if more else None
    assert len(seen) == len(set(seen)) == 62
