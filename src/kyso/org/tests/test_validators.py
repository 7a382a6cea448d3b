"""Identity documents and contact data as Form 01 needs them."""

import datetime as dt

import pytest

from kyso.org import validators as v

BIRTH = dt.date(1985, 3, 14)


def test_well_formed_cccd_matches_birth_data():
    number = v.make_cccd("001", BIRTH, "male", 123456)
    assert number == "001085123456"
    assert v.id_errors("cccd", number, birth_date=BIRTH, gender="male", issue_date=dt.date(2021, 5, 1), issue_place="Cục CS") == {}


def test_cccd_female_born_in_2000s():
    birth = dt.date(2003, 1, 2)
    number = v.make_cccd("079", birth, "female", 42)
    assert number[3] == "3" and number[4:6] == "03"
    assert not v.id_errors("cccd", number, birth_date=birth, gender="female", issue_date=dt.date(2021, 5, 1), issue_place="X")


@pytest.mark.parametrize("number,code", [
    ("00108512345", "org.id.cccd_format"),      # 11 digits
    ("00108512345A", "org.id.cccd_format"),     # a letter
    ("003085123456", "org.id.cccd_province"),   # 003 is no province
    ("001185123456", "org.id.cccd_mismatch"),   # female digit for a man
    ("001090123456", "org.id.cccd_mismatch"),   # born 1990, not 1985
])
def test_bad_cccd(number, code):
    errors = v.id_errors("cccd", number, birth_date=BIRTH, gender="male", issue_date=dt.date(2021, 5, 1), issue_place="X")
    assert errors["id_number"][0] == code


def test_cccd_issued_before_2016_is_refused():
    number = v.make_cccd("001", BIRTH, "male", 1)
    errors = v.id_errors("cccd", number, birth_date=BIRTH, gender="male", issue_date=dt.date(2015, 12, 31), issue_place="X")
    assert errors["id_issue_date"][0] == "org.id.cccd_issue_date"


@pytest.mark.parametrize("id_type,number,ok", [
    ("cmnd", "012345678", True), ("cmnd", "01234567", False), ("cmnd", "0123456789", False),
    ("passport", "C1234567", True), ("passport", "N1234567", True), ("passport", "c12", False),
    ("visa", "123", False),
])
def test_cmnd_and_passport(id_type, number, ok):
    errors = v.id_errors(id_type, number, birth_date=BIRTH, gender="male", issue_date=dt.date(2010, 1, 1), issue_place="X")
    assert (errors == {}) is ok


def test_issue_date_rules():
    future = dt.date.today() + dt.timedelta(days=3)
    assert v.id_errors("cmnd", "012345678", issue_date=future, issue_place="X")["id_issue_date"][0] == "org.id.issue_future"
    assert v.id_errors("cmnd", "012345678", birth_date=BIRTH, issue_date=dt.date(1980, 1, 1), issue_place="X")["id_issue_date"][0] == "org.id.issue_before_birth"
    assert v.id_errors("cmnd", "012345678", issue_date=None, issue_place="")["id_issue_place"][0] == "org.id.place_missing"


@pytest.mark.parametrize("email,code", [
    ("nva@hanoi.vss.gov.vn", None), ("nva@vss.gov.vn", None),
    ("nva@gmail.com", "org.email_not_government"), ("not-an-email", "org.email_format"),
])
def test_government_email(email, code):
    err = v.government_email_error(email)
    assert (err[0] if err else None) == code


@pytest.mark.parametrize("phone,ok", [("0912345678", True), ("+84912345678", True), ("024 3825 1234", True),
                                      ("12345", False), ("09123456789012", False)])
def test_phone(phone, ok):
    assert (v.phone_error(phone) is None) is ok
