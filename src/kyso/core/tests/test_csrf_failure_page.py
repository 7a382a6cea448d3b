"""A form sent without its anti-forgery token (a page left open past its session, a login page reopened from
the browser's history) is refused with a page in words, not Django's English "CSRF verification failed"."""

import pytest
from django.test import Client

from kyso.accounts.demo import DEMO_PASSWORD
from kyso.core import pagecheck

pytestmark = pytest.mark.django_db


def test_a_stale_login_form_is_refused_in_vietnamese(demo):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "cntt", "password": DEMO_PASSWORD})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in html
    assert "CSRF" not in html and "Forbidden" not in html
    assert pagecheck.problems(html) == []
    assert 'href="/accounts/login/"' in html               # the way on: the same page, opened again
    assert "_auth_user_id" not in client.session            # and nobody was logged in


def test_a_stale_form_of_a_logged_in_officer_changes_nothing(demo):
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="cntt", password=DEMO_PASSWORD)
    response = client.post("/accounts/logout/")
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in response.content.decode()
    assert client.get("/").status_code == 200               # still logged in: the forged logout did nothing
