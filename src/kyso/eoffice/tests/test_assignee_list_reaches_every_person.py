"""Assigning an incoming document: the list of handlers offered the receiving unit's first 300 staff by name and no
way to reach the others — a province's subtree has thousands. A search narrows it (name, title) and the page says
when more match than it shows."""

import datetime as dt
import re

import pytest

from kyso.accounts.models import User
from kyso.eoffice import services
from kyso.eoffice.drafting import render_draft
from kyso.eoffice.views import STAFF_SHOWN
from kyso.org.models import Person, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(demo, pki, as_user):
    clerk = demo.user("vanthu.bd")
    pdf = render_draft(organization="CÔNG TY A", symbol_suffix="CV", place="Hà Nội", subject="V/v", body="Nội dung")
    with as_user(clerk):
        return services.receive_external(clerk, demo.unit("HN.BD"), pdf, filename="cv.pdf", sender="Công ty A",
                                         subject="V/v đề nghị")


@pytest.fixture
def crowd(demo):
    unit = Unit.objects.get(code="HN.BD")
    people = Person.objects.bulk_create([
        Person(full_name=f"Trần Thị Y{n:04d}", gender="female", birth_date=dt.date(1985, 1, 1), birth_place="Hà Nội",
               id_number=f"0011850{n:05d}", id_issue_date=dt.date(2021, 1, 1), id_issue_place="Cục Cảnh sát",
               title="Chuyên viên", unit=unit, email=f"y{n:04d}@hanoi.vss.gov.vn") for n in range(STAFF_SHOWN + 20)])
    User.objects.bulk_create([User(username=f"y{n:04d}", person=p) for n, p in enumerate(people)])
    return User.objects.get(username=f"y{STAFF_SHOWN + 19:04d}")


def _handlers(page: str) -> list[str]:
    select = re.search(r'<select id="assignee" name="assignee">.*?</select>', page, re.S).group(0)
    return re.findall(r'<option value="(\d+)"', select)


def test_past_the_first_staff_a_search_finds_the_handler(demo, received, crowd):
    clerk = demo.client("vanthu.bd")
    page = clerk.get(f"/eoffice/in/{received.pk}/").content.decode()
    assert str(crowd.pk) not in _handlers(page) and 'id="more-staff"' in page
    page = clerk.get(f"/eoffice/in/{received.pk}/", {"q": "Y0319"}).content.decode()
    assert _handlers(page) == [str(crowd.pk)] and 'id="more-staff"' not in page
