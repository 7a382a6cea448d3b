"""The catalogue and intake rules, as data. Migration 0002 holds a frozen copy of what they were when the
portal began (so every database has the rules in force); `kyso demo` re-applies this live list idempotently.
Administrators edit them later.

Forms follow the names of Decision 595/QĐ-BHXH (D02-TS, TK1-TS, TK3-TS, D03-TS, D01-TS). The XML
schemas are small but real: element order, code patterns (10-digit social-insurance number,
10/13-digit tax code, 12-digit citizen ID), dates, amounts; and room for the enveloped ds:Signature."""

from __future__ import annotations

import datetime as dt

from django.apps import apps as django_apps

NS_BASE = "http://kyso.vss.gov.vn/hoso/"
CHILD_CARD = "TE6"


def _xsd(root: str, body: str, ns: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="{ns}" targetNamespace="{ns}"
           elementFormDefault="qualified">
  <xs:simpleType name="MaSoBHXH"><xs:restriction base="xs:string"><xs:pattern value="[0-9]{{10}}"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="MaSoThue"><xs:restriction base="xs:string"><xs:pattern value="[0-9]{{10}}(-[0-9]{{3}})?"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="CCCD"><xs:restriction base="xs:string"><xs:pattern value="[0-9]{{12}}"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Ten"><xs:restriction base="xs:string"><xs:minLength value="1"/><xs:maxLength value="200"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Tien"><xs:restriction base="xs:nonNegativeInteger"><xs:maxInclusive value="1000000000"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="GioiTinh"><xs:restriction base="xs:string"><xs:enumeration value="Nam"/><xs:enumeration value="Nữ"/></xs:restriction></xs:simpleType>
  <xs:complexType name="DonVi"><xs:sequence>
    <xs:element name="MaDonVi" type="xs:string" minOccurs="0"/>
    <xs:element name="MaSoThue" type="MaSoThue"/>
    <xs:element name="TenDonVi" type="Ten"/>
  </xs:sequence></xs:complexType>
  <xs:element name="{root}"><xs:complexType><xs:sequence>
{body}
    <xs:any namespace="http://www.w3.org/2000/09/xmldsig#" processContents="skip" minOccurs="0" maxOccurs="unbounded"/>
  </xs:sequence></xs:complexType></xs:element>
</xs:schema>
"""


FORM_BODIES = {
    "D02-TS": ("D02TS", "Báo cáo tình hình sử dụng lao động tham gia BHXH, BHYT, BHTN, BHTNLĐ-BNN", """
    <xs:element name="DonVi" type="DonVi"/>
    <xs:element name="KyBaoCao" type="xs:gYearMonth"/>
    <xs:element name="LaoDong" maxOccurs="1000"><xs:complexType><xs:sequence>
      <xs:element name="HoTen" type="Ten"/>
      <xs:element name="MaSoBHXH" type="MaSoBHXH"/>
      <xs:element name="PhuongAn"><xs:simpleType><xs:restriction base="xs:string">
        <xs:enumeration value="TM"/><xs:enumeration value="TD"/><xs:enumeration value="GH"/><xs:enumeration value="DC"/>
      </xs:restriction></xs:simpleType></xs:element>
      <xs:element name="MucLuong" type="Tien"/>
      <xs:element name="TuThang" type="xs:gYearMonth"/>
    </xs:sequence></xs:complexType></xs:element>"""),
    "TK1-TS": ("TK1TS", "Tờ khai tham gia, điều chỉnh thông tin BHXH, BHYT", """
    <xs:element name="HoTen" type="Ten"/>
    <xs:element name="NgaySinh" type="xs:date"/>
    <xs:element name="GioiTinh" type="GioiTinh"/>
    <xs:element name="MaSoBHXH" type="MaSoBHXH" minOccurs="0"/>
    <xs:element name="SoCCCD" type="CCCD"/>
    <xs:element name="DiaChi" type="Ten"/>"""),
    "D01-TS": ("D01TS", "Bảng kê thông tin (truy đóng)", """
    <xs:element name="DonVi" type="DonVi"/>
    <xs:element name="Dong" maxOccurs="1000"><xs:complexType><xs:sequence>
      <xs:element name="MaSoBHXH" type="MaSoBHXH"/>
      <xs:element name="TuThang" type="xs:gYearMonth"/>
      <xs:element name="DenThang" type="xs:gYearMonth"/>
      <xs:element name="SoTien" type="Tien"/>
    </xs:sequence></xs:complexType></xs:element>"""),
    "TK3-TS": ("TK3TS", "Tờ khai đơn vị tham gia, điều chỉnh thông tin BHXH, BHYT", """
    <xs:element name="DonVi" type="DonVi"/>
    <xs:element name="DiaChi" type="Ten"/>
    <xs:element name="LoaiHinh" type="Ten"/>
    <xs:element name="DienThoai" type="xs:string" minOccurs="0"/>"""),
    "D03-TS": ("D03TS", "Danh sách người chỉ tham gia BHYT (trẻ em dưới 6 tuổi)", """
    <xs:element name="UBND" type="Ten"/>
    <xs:element name="TreEm" maxOccurs="500"><xs:complexType><xs:sequence>
      <xs:element name="HoTen" type="Ten"/>
      <xs:element name="NgaySinh" type="xs:date"/>
      <xs:element name="GioiTinh" type="GioiTinh"/>
      <xs:element name="HoTenCha" type="Ten" minOccurs="0"/>
      <xs:element name="HoTenMe" type="Ten" minOccurs="0"/>
      <xs:element name="DiaChi" type="Ten"/>
    </xs:sequence></xs:complexType></xs:element>"""),
}


def form_namespace(form_code: str) -> str:
    return NS_BASE + form_code


def form_xsd(form_code: str) -> str:
    root, _name, body = FORM_BODIES[form_code]
    return _xsd(root, body, form_namespace(form_code))


ALL_STEPS = ["receive", "assign", "process", "approve", "sign", "return"]

PROCEDURES = [
    # code, name, days, channels, result, forms [(code, mandatory)], steps
    ("600", "Báo tăng, báo giảm, điều chỉnh đóng BHXH, BHYT, BHTN, BHTNLĐ-BNN", 5, ["portal", "ivan", "desk"],
     "Thông báo kết quả đóng BHXH, BHYT, BHTN, BHTNLĐ-BNN (C12-TS) và thẻ BHYT", [("D02-TS", True), ("TK1-TS", False)],
     ALL_STEPS),
    ("601", "Truy đóng BHXH bắt buộc, BHTN", 5, ["portal", "ivan", "desk"],
     "Thông báo kết quả truy đóng", [("D02-TS", True), ("D01-TS", False)], ALL_STEPS),
    ("604", "Đăng ký, thay đổi thông tin đóng BHXH, BHYT, BHTN, BHTNLĐ-BNN của đơn vị", 3, ["portal", "ivan", "desk"],
     "Thông báo mã đơn vị tham gia BHXH", [("TK3-TS", True)], ALL_STEPS),
    (CHILD_CARD, "Cấp thẻ BHYT cho trẻ em dưới 6 tuổi", 5, ["portal", "ivan", "desk"],
     "Thẻ BHYT trẻ em dưới 6 tuổi", [("D03-TS", True), ("TK1-TS", False)],
     ["receive", "assign", "process", "sign", "return"]),
]

LETTER_2671 = "Công văn 2671/BHXH-CNTT ngày 26/11/2015 của BHXH thành phố Hà Nội"

RULES = [
    # code, title, kind, channel, procedure, submitter kind, only without signature, decision, priority, from, to
    ("2671-E-DOSSIER", "Tiếp nhận hồ sơ điện tử có chữ ký số", "signed", "", "", "", False, "accept", 10,
     dt.date(2015, 10, 1), None),
    ("2671-BARCODE-TRANSITION", "Hồ sơ bán điện tử có mã vạch trong giai đoạn quá độ", "barcode", "desk", "", "", False,
     "accept", 10, dt.date(2014, 8, 1), dt.date(2015, 12, 31)),
    ("2671-BARCODE-STOP", "Bộ phận một cửa ngừng tiếp nhận hồ sơ bán điện tử có mã vạch", "barcode", "", "", "", False,
     "refuse", 10, dt.date(2016, 1, 1), None),
    ("2671-CHILD-CARD", "Thẻ BHYT trẻ em dưới 6 tuổi: UBND xã chưa dùng chữ ký số được nộp hồ sơ có mã vạch",
     "barcode", "desk", CHILD_CARD, "commune", True, "accept", 50, dt.date(2016, 1, 1), None),
]


def apply(apps=None) -> None:
    """Create what is missing; never overwrite an administrator's edits."""
    if apps is None:
        apps = django_apps
    Procedure = apps.get_model("portal", "Procedure")
    ProcedureForm = apps.get_model("portal", "ProcedureForm")
    WorkflowStep = apps.get_model("portal", "WorkflowStep")
    IntakeRule = apps.get_model("portal", "IntakeRule")
    step_names = {"receive": "Tiếp nhận", "assign": "Phân công", "process": "Xử lý", "approve": "Phê duyệt",
                  "sign": "Ký số kết quả", "return": "Trả kết quả"}
    for code, name, days, channels, result, forms, steps in PROCEDURES:
        proc, _ = Procedure.objects.get_or_create(code=code, defaults=dict(
            name=name, processing_days=days, channels=channels, result_type=result, effective_from=dt.date(2015, 10, 1)))
        for form_code, mandatory in forms:
            ProcedureForm.objects.get_or_create(procedure=proc, code=form_code, defaults=dict(
                name=FORM_BODIES[form_code][1], mandatory=mandatory, namespace=form_namespace(form_code),
                xsd=form_xsd(form_code)))
        if not WorkflowStep.objects.filter(procedure=proc).exists():
            for i, step in enumerate(steps):
                WorkflowStep.objects.create(procedure=proc, position=i, step=step, name=step_names[step])
    for code, title, kind, channel, proc, sub, no_sig, decision, prio, start, end in RULES:
        IntakeRule.objects.get_or_create(code=code, defaults=dict(
            title=title, citation=LETTER_2671, kind=kind, channel=channel, procedure_code=proc, submitter_kind=sub,
            only_without_signature=no_sig, decision=decision, priority=prio, valid_from=start, valid_to=end))
