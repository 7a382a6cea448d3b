"""Demo organisation: headquarters with its main units, four province offices with their
districts and departments, and a few people in every unit. Idempotent (upsert by code)."""

from __future__ import annotations

import datetime as dt
import random

from kyso.core.tables import fold

from .models import Person, Unit, UnitFunction, UnitLevel
from .validators import make_cccd

LEVELS = [
    # code, name, rank, manages subscribers, issues documents, receives dossiers
    ("hq", "Bảo hiểm xã hội Việt Nam", 0, True, True, False),
    ("hq_unit", "Đơn vị trực thuộc BHXH Việt Nam", 1, True, False, False),
    ("province", "BHXH tỉnh, thành phố", 2, True, True, True),
    ("district", "BHXH quận, huyện, thị xã", 3, True, True, True),
    ("department", "Phòng, bộ phận nghiệp vụ", 4, False, False, False),
]

F = UnitFunction
# code, name, level, parent, function, own seal, e-mail domain, province, electronic agency code
UNITS = [
    ("VSS", "Bảo hiểm xã hội Việt Nam", "hq", None, F.AGENCY, True, "vss.gov.vn", "Hà Nội", "000.00.00.G22"),
    ("VSS.CNTT", "Trung tâm Công nghệ thông tin", "hq_unit", "VSS", F.IT_CENTER, True, "vss.gov.vn", "Hà Nội", "000.01.00.G22"),
    ("VSS.VP", "Văn phòng BHXH Việt Nam", "hq_unit", "VSS", F.OFFICE, True, "vss.gov.vn", "Hà Nội", "000.02.00.G22"),
    ("VSS.THU", "Ban Quản lý Thu - Sổ, Thẻ", "hq_unit", "VSS", F.COLLECTION, False, "vss.gov.vn", "Hà Nội", ""),
    ("VSS.PC", "Vụ Pháp chế", "hq_unit", "VSS", F.GENERAL, False, "vss.gov.vn", "Hà Nội", ""),
]
PROVINCES = [
    # code, name, domain, province, agency code, districts [(code, name)]
    ("HN", "BHXH thành phố Hà Nội", "hanoi.vss.gov.vn", "Hà Nội", "000.00.11.G22",
     [("BD", "BHXH quận Ba Đình"), ("CG", "BHXH quận Cầu Giấy"), ("GL", "BHXH huyện Gia Lâm")]),
    ("HCM", "BHXH Thành phố Hồ Chí Minh", "hochiminh.vss.gov.vn", "Hồ Chí Minh", "000.00.79.G22",
     [("Q1", "BHXH Quận 1"), ("Q3", "BHXH Quận 3"), ("TD", "BHXH thành phố Thủ Đức")]),
    ("NA", "BHXH tỉnh Nghệ An", "nghean.vss.gov.vn", "Nghệ An", "000.00.40.G22",
     [("VINH", "BHXH thành phố Vinh"), ("DC", "BHXH huyện Diễn Châu"), ("QL", "BHXH huyện Quỳnh Lưu")]),
    ("DN", "BHXH thành phố Đà Nẵng", "danang.vss.gov.vn", "Đà Nẵng", "000.00.48.G22",
     [("HC", "BHXH quận Hải Châu"), ("SONTRA", "BHXH quận Sơn Trà")]),
]
DEPARTMENTS = [
    # suffix, name, function, own seal (only the Office has one: Circular 185/2019/TT-BQP, letter 26)
    ("VP", "Văn phòng", F.OFFICE, True),
    ("THU", "Phòng Quản lý thu", F.COLLECTION, False),
    ("ST", "Phòng Cấp sổ, thẻ", F.BOOK_CARD, False),
    ("TN", "Phòng Tiếp nhận và Trả kết quả thủ tục hành chính", F.ONE_STOP, False),
]
ADDRESSES = {
    "VSS": "Số 7 Tràng Thi, phường Hàng Trống, quận Hoàn Kiếm, Hà Nội",
    "HN": "Số 86 Trần Hưng Đạo, quận Hoàn Kiếm, Hà Nội",
    "HCM": "Số 117C Nguyễn Đình Chính, quận Phú Nhuận, TP Hồ Chí Minh",
    "NA": "Số 5 Nguyễn Thị Minh Khai, thành phố Vinh, Nghệ An",
    "DN": "Số 58 Trần Quốc Toản, quận Hải Châu, Đà Nẵng",
}
PROVINCE_ID_CODE = {"Hà Nội": "001", "Hồ Chí Minh": "079", "Nghệ An": "040", "Đà Nẵng": "048"}

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
MIDDLE_M = ["Văn", "Hữu", "Minh", "Đức", "Quang", "Công", "Thành", "Xuân"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Thanh", "Minh", "Hoài", "Bích", "Kim"]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Nam", "Phong", "Quân", "Sơn", "Trung", "Tuấn", "Việt"]
GIVEN_F = ["Anh", "Giang", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Ngọc", "Phương", "Thảo", "Trang", "Vân", "Yến"]


def _ascii(text: str) -> str:
    return fold(text).replace(" ", "")


def _upsert_unit(code, name, level, parent, function, seal, domain, province, gov_code, address=""):
    unit = Unit.objects.filter(code=code).first() or Unit(code=code)
    for attr, value in dict(name=name, level=level, parent=parent, function=function, has_own_seal=seal,
                            email_domain=domain, province_name=province, gov_code=gov_code, address=address).items():
        setattr(unit, attr, value)
    unit.save()
    return unit


def load_units() -> dict[str, Unit]:
    levels = {}
    for code, name, rank, manages, issues, receives in LEVELS:
        level = UnitLevel.objects.filter(code=code).first() or UnitLevel(code=code)
        level.name, level.rank, level.manages_subscribers = name, rank, manages
        level.issues_documents, level.receives_dossiers = issues, receives
        level.save()
        levels[code] = level
    units: dict[str, Unit] = {}
    for code, name, level, parent, function, seal, domain, province, gov in UNITS:
        units[code] = _upsert_unit(code, name, levels[level], units.get(parent), function, seal, domain, province, gov,
                                   ADDRESSES.get(code, ADDRESSES["VSS"]))
    for pcode, pname, domain, province, gov, districts in PROVINCES:
        address = ADDRESSES[pcode]
        units[pcode] = _upsert_unit(pcode, pname, levels["province"], units["VSS"], F.GENERAL, True, domain, province, gov, address)
        for suffix, dname, function, seal in DEPARTMENTS:
            code = f"{pcode}.{suffix}"
            units[code] = _upsert_unit(code, dname, levels["department"], units[pcode], function, seal, domain, province, "", address)
        for n, (dcode, dname) in enumerate(districts, start=1):
            code = f"{pcode}.{dcode}"
            dgov = gov.replace("000.00.", f"000.{n:02d}.", 1)
            units[code] = _upsert_unit(code, dname, levels["district"], units[pcode], F.GENERAL, True, domain, province, dgov,
                                       f"{dname.replace('BHXH ', 'Trụ sở ')}, {province}")
            mc = f"{code}.MC"
            units[mc] = _upsert_unit(mc, "Bộ phận Một cửa", levels["department"], units[code], F.ONE_STOP, False, domain,
                                     province, "", f"{dname.replace('BHXH ', 'Trụ sở ')}, {province}")
    return units


TITLES_PROVINCE = ["Giám đốc", "Phó Giám đốc", "Chánh Văn phòng", "Trưởng phòng", "Chuyên viên", "Văn thư"]
TITLES_DISTRICT = ["Giám đốc", "Phó Giám đốc", "Chuyên viên", "Văn thư"]


def make_person(rng: random.Random, unit: Unit, title: str, serial: int, *, full_name: str | None = None,
                gender: str | None = None) -> Person:
    gender = gender or rng.choice(["male", "female"])
    if full_name is None:
        family = rng.choice(FAMILY)
        middle = rng.choice(MIDDLE_M if gender == "male" else MIDDLE_F)
        given = rng.choice(GIVEN_M if gender == "male" else GIVEN_F)
        full_name = f"{family} {middle} {given}"
    birth = dt.date(rng.randint(1968, 1998), rng.randint(1, 12), rng.randint(1, 28))
    province = unit.province_name or "Hà Nội"
    pcode = PROVINCE_ID_CODE.get(province, "001")
    cccd = make_cccd(pcode, birth, gender, 100000 + serial * 7919)
    parts = full_name.split()
    local = _ascii(parts[-1]) + "".join(_ascii(p)[0] for p in parts[:-1]) + str(serial)
    email = f"{local}@{unit.email_domain or 'vss.gov.vn'}"
    person = Person.objects.filter(id_type="cccd", id_number=cccd).first() or Person(id_type="cccd", id_number=cccd)
    person.full_name = full_name
    person.gender = gender
    person.birth_date = birth
    person.birth_place = province
    person.id_issue_date = dt.date(2021, rng.randint(1, 12), rng.randint(1, 28))
    person.id_issue_place = "Cục Cảnh sát quản lý hành chính về trật tự xã hội"
    person.residence = f"Số {rng.randint(1, 200)} phố {rng.choice(['Lê Lợi', 'Trần Phú', 'Hai Bà Trưng', 'Lý Thường Kiệt', 'Quang Trung'])}, {province}"
    person.title = title
    person.unit = unit
    person.email = person.email or email
    person.phone_mobile = f"09{rng.randint(10000000, 99999999)}"
    person.phone_office = f"024{rng.randint(3000000, 3999999)}"
    errors = person.validation_errors()
    if errors:  # pragma: no cover - demo data must be valid
        raise ValueError(f"demo person {full_name}: {errors}")
    person.save()
    return person


def load_people(units: dict[str, Unit]) -> dict[str, Person]:
    rng = random.Random(2015)
    people: dict[str, Person] = {}
    serial = 0
    for code, unit in units.items():
        if unit.level.code in ("province", "district"):
            titles = TITLES_PROVINCE if unit.level.code == "province" else TITLES_DISTRICT
        elif unit.level.code == "department":
            titles = ["Trưởng phòng", "Chuyên viên"] if unit.function != F.OFFICE else ["Chánh Văn phòng", "Văn thư"]
        elif unit.level.code == "hq":
            titles = ["Tổng Giám đốc", "Phó Tổng Giám đốc"]
        else:
            titles = ["Giám đốc", "Phó Giám đốc", "Chuyên viên"]
        for title in titles:
            serial += 1
            people[f"{code}#{title}"] = make_person(rng, unit, title, serial)
    return people


def load(ctx: dict) -> None:
    """The demo's unit tree and staff (first of the demo steps: the others build on them)."""
    ctx["units"] = load_units()
    ctx["people"] = load_people(ctx["units"])
