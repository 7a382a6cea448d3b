"""Issue 16, finding 4: the audit trail's snapshots of watched models (a person of the staff here) carry CCCD,
birth date and phone numbers. The auditor reads the trail without them — each masked but for its last 3
characters, on the API and on the record's page — and his reads write no personal-data read; the administrator, who holds the
right to personal data, sees them, and each record he is shown writes one "audit.personal_data.read" record."""

import json

import pytest
from django.db import transaction
from django.test import Client

from kyso.accounts.models import User
from kyso.audit.models import AuditRecord
from kyso.core.context import acting_as
from kyso.org.models import Person

pytestmark = pytest.mark.django_db

CCCD, PHONE = "001089012345", "0912345678"
READ = "audit.personal_data.read"


@pytest.fixture
def changed(demo):
    """A person whose CCCD and mobile phone were changed: the record of that change."""
    with acting_as(label="test"), transaction.atomic():
        person = Person.objects.order_by("pk").first()
        person.id_number, person.phone_mobile = CCCD, PHONE
        person.save()
    return AuditRecord.objects.filter(object_type="org.person", object_id=str(person.pk)).order_by("-seq").first()


def _snap(value):
    return json.loads(value) if isinstance(value, str) else value


def _reads():
    return list(AuditRecord.objects.filter(action=READ).values_list("actor", "object_type", "object_id"))


def _api_views(api, who, rec):
    one = api(who).get(f"/api/v1/audit/records/{rec.seq}/")
    many = api(who).get(f"/api/v1/audit/records/?object_type=org.person&object_id={rec.object_id}&action={rec.action}")
    assert one.status_code == 200 and many.status_code == 200
    listed = next(r for r in many.json()["results"] if r["seq"] == rec.seq)
    return [_snap(one.json()["after"]), _snap(listed["after"])], one.content + many.content


def _page(who, rec):
    page = Client(HTTP_ACCEPT_LANGUAGE="vi")
    page.force_login(User.objects.get(username=who))
    r = page.get(f"/audit/{rec.seq}/")
    assert r.status_code == 200
    return r.content.decode()


def test_the_auditor_sees_personal_data_masked_and_nothing_is_written(api, changed):
    afters, raw = _api_views(api, "kiemtoan", changed)
    for after in afters:
        assert after["id_number"] == "•" * 9 + "345" and after["phone_mobile"] == "•" * 7 + "678"
        assert after["full_name"] == _snap(changed.after)["full_name"]   # the rest as it was
    page = _page("kiemtoan", changed)
    assert CCCD not in page and PHONE not in page and "345" in page
    assert CCCD.encode() not in raw and PHONE.encode() not in raw
    assert _reads() == []


def test_the_administrator_sees_them_and_each_read_is_audited(api, changed):
    afters, _ = _api_views(api, "admin", changed)
    assert all(a["id_number"] == CCCD and a["phone_mobile"] == PHONE for a in afters)
    assert CCCD in _page("admin", changed)
    assert _reads() == [("admin", "org.person", changed.object_id)] * 3   # the record, the list, the page
    via = [json.loads(r)["via"] for r in AuditRecord.objects.filter(action=READ).values_list("after", flat=True)]
    assert sorted(via) == ["audit.api", "audit.api", "audit.page"]


def test_masking_is_in_what_is_shown_the_stored_chain_is_untouched(api, changed):
    api("kiemtoan").get(f"/api/v1/audit/records/{changed.seq}/")
    assert _snap(AuditRecord.objects.get(seq=changed.seq).after)["id_number"] == CCCD
