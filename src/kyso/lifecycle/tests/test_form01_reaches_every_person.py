"""Form 01 filed by an officer: the list of people offered the first 500 by name and no way to reach the others —
in a province or at the agency, with thousands of staff, most could not be chosen. A search narrows the list
(name, title, e-mail, unit), the page says when more match than it shows, and a person already chosen stays
chosen after an error."""

import datetime as dt
import re

import pytest

from kyso.lifecycle.views import PEOPLE_SHOWN
from kyso.org.models import Person, Unit

pytestmark = pytest.mark.django_db
NEW = "/lifecycle/requests/new/"


@pytest.fixture
def crowd(demo):
    """PEOPLE_SHOWN + 40 staff in Ba Đình, named so that the last ones sort after the first PEOPLE_SHOWN."""
    unit = Unit.objects.get(code="HN.BD")
    Person.objects.bulk_create([
        Person(full_name=f"Nguyễn Văn Z{n:04d}", gender="male", birth_date=dt.date(1980, 1, 1), birth_place="Hà Nội",
               id_number=f"0010800{n:05d}", id_issue_date=dt.date(2021, 1, 1), id_issue_place="Cục Cảnh sát",
               title="Chuyên viên", unit=unit, email=f"z{n:04d}@hanoi.vss.gov.vn") for n in range(PEOPLE_SHOWN + 40)])
    return Person.objects.get(email=f"z{PEOPLE_SHOWN + 39:04d}@hanoi.vss.gov.vn")


def _choices(page: str) -> list[str]:
    """The people the person list offers (their ids)."""
    select = re.search(r'<select name="person".*?</select>', page, re.S).group(0)
    return [v for v in re.findall(r'<option value="([^"]*)"', select) if v]


def _offered(page: str, person) -> bool:
    return f'<option value="{person.pk}"' in page


def test_past_the_first_people_a_search_finds_the_one(demo, crowd):
    badinh = demo.client("badinh")
    page = badinh.get(NEW).content.decode()
    assert not _offered(page, crowd)
    assert 'id="more-people"' in page and "gõ một phần họ tên" in page
    page = badinh.get(NEW, {"q": "Z0539"}).content.decode()
    assert _offered(page, crowd) and _choices(page) == [str(crowd.pk)]
    assert 'id="more-people"' not in page
    page = badinh.get(NEW, {"q": "không có ai tên này"}).content.decode()
    assert 'id="no-person"' in page


def test_a_search_never_reaches_past_the_officers_scope(demo, crowd):
    hcm_person = Person.objects.exclude(unit__path__startswith=crowd.unit.path.split(".")[0]).filter(
        is_active=True).first()
    page = demo.client("badinh").get(NEW, {"q": hcm_person.full_name}).content.decode()
    assert not _offered(page, hcm_person)


def test_the_chosen_person_stays_chosen_after_an_error(demo, crowd):
    page = demo.client("badinh").post(NEW, {"kind": "person", "person": crowd.pk, "validity_years": "xx"}
                                      ).content.decode()
    assert f'<option value="{crowd.pk}" selected' in page
