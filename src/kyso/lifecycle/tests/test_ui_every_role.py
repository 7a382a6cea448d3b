"""Every lifecycle page opens for every demo role — shown, or refused with 403 — never a server error,
on an organisation with the lifecycle demo data (requests at several steps, certificates, devices)."""

import pytest
from django.db import transaction
from django.test import Client

from kyso.core.context import acting_as
from kyso.core.scope_table import USERS

PAGES = ["/lifecycle/", "/lifecycle/requests/new/", "/lifecycle/lists/", "/lifecycle/certificates/",
         "/lifecycle/certificates/?expiring=30", "/lifecycle/devices/", "/lifecycle/devices/?q=DEMO",
         "/lifecycle/campaign/", "/lifecycle/bulk/", "/lifecycle/import/", "/"]


@pytest.mark.django_db
def test_every_page_for_every_role(demo):
    from kyso.lifecycle import demo as lifecycle_demo
    from kyso.lifecycle.models import IssuanceRequest

    with acting_as(label="test", channel="cli"), transaction.atomic():
        lifecycle_demo.load({"lines": []})
    some_request = IssuanceRequest.objects.order_by("pk").first()
    for username in USERS:
        client = Client(HTTP_ACCEPT_LANGUAGE="vi")
        client.force_login(demo.user(username))
        for url in PAGES + [f"/lifecycle/requests/{some_request.pk}/", f"/lifecycle/requests/{some_request.pk}/edit/"]:
            status = client.get(url).status_code
            assert status in (200, 403, 404), f"{username} {url}: {status}"
        assert client.get("/lifecycle/").status_code == 200, username   # everyone is at least a subscriber
