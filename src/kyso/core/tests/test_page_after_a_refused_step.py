"""A page whose step was refused goes on: what the refused call changed is undone, and the request's transaction
stays usable for what the page still does — the audited read of the data it shows again with the error, the
queries that render it (issue 17: the Form 01 correction answered 500 "audit.write_failed")."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.db import transaction
from django.test import RequestFactory

from kyso import audit
from kyso.audit.models import AuditRecord
from kyso.core import actions
from kyso.core.context import acting_as
from kyso.core.errors import InvalidInput
from kyso.org.models import Person

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().post("/")
    request.user, request.session = user, SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_a_refused_call_is_undone_and_the_page_still_reads_and_audits(demo):
    officer = demo.user("hanoi")
    person = demo.user("thuebao").person
    title = person.title
    request = _request(officer)

    def refused():
        with audit.action("test.change"):
            Person.objects.filter(pk=person.pk).update(title="Đổi rồi bị từ chối")
            raise InvalidInput("date.impossible", "31/02/1980 is not a real date.")

    with acting_as(officer), transaction.atomic():
        result = actions.act(request, refused)
        assert not result and result.error.code == "date.impossible"
        assert Person.objects.get(pk=person.pk).title == title           # the refused call's change is undone
        audit.record("test.personal_data.read", person, after={"via": "page"})        # the page reads on
    assert AuditRecord.objects.filter(action="test.personal_data.read").count() == 1  # … and it was committed
    assert [str(m) for m in get_messages(request)] == ["31/02/1980 is not a real date."]
