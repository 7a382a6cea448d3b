"""The initial catalogue (procedures 600, 601, 604, child card) and the intake rules of letter 2671 — frozen here as
they were when the portal began (the live catalogue is `kyso.portal.seed`, which the demo re-applies; this
migration imports nothing of Kyso)."""

import datetime

from django.db import migrations

LETTER_2671 = 'Công văn 2671/BHXH-CNTT ngày 26/11/2015 của BHXH thành phố Hà Nội'

# code, name, processing days, channels, result, forms [(code, mandatory)], steps
PROCEDURES = [('600',
  'Báo tăng, báo giảm, điều chỉnh đóng BHXH, BHYT, BHTN, BHTNLĐ-BNN',
  5,
  ['portal', 'ivan', 'desk'],
  'Thông báo kết quả đóng BHXH, BHYT, BHTN, BHTNLĐ-BNN (C12-TS) và thẻ BHYT',
  [('D02-TS', True), ('TK1-TS', False)],
  ['receive', 'assign', 'process', 'approve', 'sign', 'return']),
 ('601',
  'Truy đóng BHXH bắt buộc, BHTN',
  5,
  ['portal', 'ivan', 'desk'],
  'Thông báo kết quả truy đóng',
  [('D02-TS', True), ('D01-TS', False)],
  ['receive', 'assign', 'process', 'approve', 'sign', 'return']),
 ('604',
  'Đăng ký, thay đổi thông tin đóng BHXH, BHYT, BHTN, BHTNLĐ-BNN của đơn vị',
  3,
  ['portal', 'ivan', 'desk'],
  'Thông báo mã đơn vị tham gia BHXH',
  [('TK3-TS', True)],
  ['receive', 'assign', 'process', 'approve', 'sign', 'return']),
 ('TE6',
  'Cấp thẻ BHYT cho trẻ em dưới 6 tuổi',
  5,
  ['portal', 'ivan', 'desk'],
  'Thẻ BHYT trẻ em dưới 6 tuổi',
  [('D03-TS', True), ('TK1-TS', False)],
  ['receive', 'assign', 'process', 'sign', 'return'])]

# form code: (name, XML namespace, XSD)
FORMS = {
    'D02-TS': ('Báo cáo tình hình sử dụng lao động tham gia BHXH, BHYT, BHTN, BHTNLĐ-BNN', 'http://kyso.vss.gov.vn/hoso/D02-TS',
             '<?xml version="1.0" encoding="UTF-8"?>\n<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="http://kyso.vss.gov.vn/hoso/D02-TS" targetNamespace="http://kyso.vss.gov.vn/hoso/D02-TS"\n           elementFormDefault="qualified">\n  <xs:simpleType name="MaSoBHXH"><xs:restriction base="xs:string"><xs:pattern value="[0-9]{10}"/></xs:restriction></xs:simpleType>\n  <xs:simpleType name="MaSoThue"><xs:restriction base="xs:string"><xs:pattern value="[0-9]{10}(-[0-9]{3})?"/></xs:restriction></xs:simpleType>\n  <xs:simpleType name="CCCD"><xs:restriction base="xs:string"><xs:pattern value="[0-9]{12}"/></xs:restriction></xs:simpleType>\n  <xs:simpleType name="Ten"><xs:restriction base="xs:string"><xs:minLength value="1"/><xs:maxLength value="200"/></xs:restriction></xs:simpleType>\n  <xs:simpleType name="Tien"><xs:restriction base="xs:nonNegativeInteger"><xs:maxInclusive value="1000000000"/></xs:restriction></xs:simpleType>\n  <xs:simpleType name="GioiTinh"><xs:restriction base="xs:string"><xs:enumeration value="Nam"/><xs:enumeration value="Nữ"/></xs:restriction></xs:simpleType>\n  <xs:complexType name="DonVi"><xs:sequence>\n    <xs:element name="MaDonVi" type="xs:string" minOccurs="0"/>\n    <xs:element name="MaSoThue" type="MaSoThue"/>\n    <xs:element name="TenDonVi" type="Ten"/>\n  </xs:sequence></xs:complexType>\n  <xs:element name="D02TS"><xs:complexType><xs:sequence>\n\n    <xs:element name="DonVi" type="DonVi"/>\n    <xs:element name="KyBaoCao" type="xs:gYearMonth"/>\n    <xs:element name="LaoDong" maxOccurs="1000"><xs:complexType><xs:sequence>\n      <xs:element name="HoTen" type="Ten"/>\n      <xs:element name="MaSoBHXH" type="MaSoBHXH"/>\n      <xs:element name="PhuongAn"><xs:simpleType><xs:restriction base="xs:string">\n        <xs:enumeration value="TM"/><xs:enumeration value="TD"/><xs:enumeration value="GH"/><xs:enumeration value="DC"/>\n      </xs:restriction></xs:simpleType></xs:element>\n      <xs:element name="MucLuong" type="Tien"/>\n      <xs:element name="TuThang" type="xs:gYearMonth"/>\n    </xs:sequence></xs:complexType></xs:element>\n    <xs:any namespace="http://www.w3.org/2000/09/xmldsig#" processContents="skip" minOccurs="0" maxOccurs="unbounded"/>\n  </xs:sequence></xs:complexType></xs:element>\n</xs:schema>\n'),
    'TK1-TS': ('Tờ khai tham gia, điều chỉnh thông tin BHXH, BHYT', 'http://kyso.vss.gov.vn/hoso/TK1-TS',
             '<?xml version="1.0" encoding="UTF-8"?>\n<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="http://kyso.vss.gov.vn/hoso/TK1-TS" targetNamespace="http://kyso.vss.gov.vn/hoso/TK1-TS"\n           elementFormDefault="qualified">\n  <xs:simpleType name="MaSoBHXH"><xs:restriction base="xs:string"><xs:pattern value="[0-9]{10}"/></xs:restriction></xs:simpleType>\n  <xs:simpleType name="MaSoThue"><xs:restriction base="xs:string"><xs:pattern value="[0-9]{10}(-[0-9]{3})?"/></xs:restriction></xs:simpleType>\n  <xs:simpleType name="CCCD"><xs:restriction base="xs:string"><xs:pattern value="[0-9]{12}"/></xs:restriction></xs:simpleType>\n  <xs:simpleType name="Ten"><xs:restriction base="xs:string"><xs:minLength value="1"/><xs:maxLength value="200"/></xs:restriction></xs:simpleType>\n  <xs:simpleType name="Tien"><xs:restriction base="xs:nonNegativeInteger"><xs:maxInclusive value="1000000000"/></xs:restriction></xs:simpleType>\n  <xs:simpleType name="GioiTinh"><xs:restriction base="xs:string"><xs:enumeration value="Nam"/><xs:enumeration value="Nữ"/></xs:restriction></xs:simpleType>\n  <xs:complexType name="DonVi"><xs:sequence>\n    <xs:element name="MaDonVi" type="xs:string" minOccurs="0"/>\n    <xs:element name="MaSoThue" type="MaSoThue"/>\n    <xs:element name="TenDonVi" type="Ten"/>\n  </xs:sequence></xs:complexType>\n  <xs:element name="TK1TS"><xs:complexType><xs:sequence>\n\n    <xs:element name="HoTen" type="Ten"/>\n    <xs:element name="NgaySinh" type="xs:date"/>\n    <xs:element name="GioiTinh" type="GioiTinh"/>\n    <xs:element name="MaSoBHXH" type="MaSoBHXH" minOccurs="0"/>\n    <xs:element name="SoCCCD" type="CCCD"/>\n    <xs:element name="DiaChi" type="Ten"/>\n    <xs:any namespace="http://www.w3.org/2000/09/xmldsig#" processContents="skip" minOccurs="0" maxOccurs="unbounded"/>\n  </xs:sequence></xs:complexType></xs:element>\n</xs:schema>\n'),
    'D01-TS': ('Bảng kê thông tin (truy đóng)', 'http://kyso.vss.gov.vn/hoso/D01-TS',
             '<?xml version="1.0" encoding="UTF-8"?>\n<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="http://kyso.vss.gov.vn/hoso/D01-TS" targetNamespace="http://kyso.vss.gov.vn/hoso/D01-TS"\n           elementFormDefault="qualified">\n  <xs:simpleType name="MaSoBHXH"><xs:restriction base="xs:string"><xs:pattern value="[0-9]{10}"/></xs:restriction></xs:simpleType>\n  <xs:simpleType name="MaSoThue"><xs:restriction base="xs:string"><xs:pattern value="[0-9]{10}(-[0-9]{3})?"/></xs:restriction></xs:simpleType>\n  <xs:simpleType name="CCCD"><xs:restriction base="xs:string"><xs:pattern value="[0-9]{12}"/></xs:restriction></xs:simpleType>\n  <xs:simpleType name="Ten"><xs:restriction base="xs:string"><xs:minLength value="1"/><xs:maxLength value="200"/></xs:restriction></xs:simpleType>\n  <xs:simpleType name="Tien"><xs:restriction base="xs:nonNegativeInteger"><xs:maxInclusive value="1000000000"/></xs:restriction></xs:simpleType>\n  <xs:simpleType name="GioiTinh"><xs:restriction base="xs:string"><xs:enumeration value="Nam"/><xs:enumeration value="Nữ"/></xs:restriction></xs:simpleType>\n  <xs:complexType name="DonVi"><xs:sequence>\n    <xs:element name="MaDonVi" type="xs:string" minOccurs="0"/>\n    <xs:element name="MaSoThue" type="MaSoThue"/>\n    <xs:element name="TenDonVi" type="Ten"/>\n  </xs:sequence></xs:complexType>\n  <xs:element name="D01TS"><xs:complexType><xs:sequence>\n\n    <xs:element name="DonVi" type="DonVi"/>\n    <xs:element name="Dong" maxOccurs="1000"><xs:complexType><xs:sequence>\n      <xs:element name="MaSoBHXH" type="MaSoBHXH"/>\n      <xs:element name="TuThang" type="xs:gYearMonth"/>\n      <xs:element name="DenThang" type="xs:gYearMonth"/>\n      <xs:element name="SoTien" type="Tien"/>\n    </xs:sequence></xs:complexType></xs:element>\n    <xs:any namespace="http://www.w3.org/2000/09/xmldsig#" processContents="skip" minOccurs="0" maxOccurs="unbounded"/>\n  </xs:sequence></xs:complexType></xs:element>\n</xs:schema>\n'),
    'TK3-TS': ('Tờ khai đơn vị tham gia, điều chỉnh thông tin BHXH, BHYT', 'http://kyso.vss.gov.vn/hoso/TK3-TS',
             '<?xml version="1.0" encoding="UTF-8"?>\n<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="http://kyso.vss.gov.vn/hoso/TK3-TS" targetNamespace="http://kyso.vss.gov.vn/hoso/TK3-TS"\n           elementFormDefault="qualified">\n  <xs:simpleType name="MaSoBHXH"><xs:restriction base="xs:string"><xs:pattern value="[0-9]{10}"/></xs:restriction></xs:simpleType>\n  <xs:simpleType name="MaSoThue"><xs:restriction base="xs:string"><xs:pattern value="[0-9]{10}(-[0-9]{3})?"/></xs:restriction></xs:simpleType>\n  <xs:simpleType name="CCCD"><xs:restriction base="xs:string"><xs:pattern value="[0-9]{12}"/></xs:restriction></xs:simpleType>\n  <xs:simpleType name="Ten"><xs:restriction base="xs:string"><xs:minLength value="1"/><xs:maxLength value="200"/></xs:restriction></xs:simpleType>\n  <xs:simpleType name="Tien"><xs:restriction base="xs:nonNegativeInteger"><xs:maxInclusive value="1000000000"/></xs:restriction></xs:simpleType>\n  <xs:simpleType name="GioiTinh"><xs:restriction base="xs:string"><xs:enumeration value="Nam"/><xs:enumeration value="Nữ"/></xs:restriction></xs:simpleType>\n  <xs:complexType name="DonVi"><xs:sequence>\n    <xs:element name="MaDonVi" type="xs:string" minOccurs="0"/>\n    <xs:element name="MaSoThue" type="MaSoThue"/>\n    <xs:element name="TenDonVi" type="Ten"/>\n  </xs:sequence></xs:complexType>\n  <xs:element name="TK3TS"><xs:complexType><xs:sequence>\n\n    <xs:element name="DonVi" type="DonVi"/>\n    <xs:element name="DiaChi" type="Ten"/>\n    <xs:element name="LoaiHinh" type="Ten"/>\n    <xs:element name="DienThoai" type="xs:string" minOccurs="0"/>\n    <xs:any namespace="http://www.w3.org/2000/09/xmldsig#" processContents="skip" minOccurs="0" maxOccurs="unbounded"/>\n  </xs:sequence></xs:complexType></xs:element>\n</xs:schema>\n'),
    'D03-TS': ('Danh sách người chỉ tham gia BHYT (trẻ em dưới 6 tuổi)', 'http://kyso.vss.gov.vn/hoso/D03-TS',
             '<?xml version="1.0" encoding="UTF-8"?>\n<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="http://kyso.vss.gov.vn/hoso/D03-TS" targetNamespace="http://kyso.vss.gov.vn/hoso/D03-TS"\n           elementFormDefault="qualified">\n  <xs:simpleType name="MaSoBHXH"><xs:restriction base="xs:string"><xs:pattern value="[0-9]{10}"/></xs:restriction></xs:simpleType>\n  <xs:simpleType name="MaSoThue"><xs:restriction base="xs:string"><xs:pattern value="[0-9]{10}(-[0-9]{3})?"/></xs:restriction></xs:simpleType>\n  <xs:simpleType name="CCCD"><xs:restriction base="xs:string"><xs:pattern value="[0-9]{12}"/></xs:restriction></xs:simpleType>\n  <xs:simpleType name="Ten"><xs:restriction base="xs:string"><xs:minLength value="1"/><xs:maxLength value="200"/></xs:restriction></xs:simpleType>\n  <xs:simpleType name="Tien"><xs:restriction base="xs:nonNegativeInteger"><xs:maxInclusive value="1000000000"/></xs:restriction></xs:simpleType>\n  <xs:simpleType name="GioiTinh"><xs:restriction base="xs:string"><xs:enumeration value="Nam"/><xs:enumeration value="Nữ"/></xs:restriction></xs:simpleType>\n  <xs:complexType name="DonVi"><xs:sequence>\n    <xs:element name="MaDonVi" type="xs:string" minOccurs="0"/>\n    <xs:element name="MaSoThue" type="MaSoThue"/>\n    <xs:element name="TenDonVi" type="Ten"/>\n  </xs:sequence></xs:complexType>\n  <xs:element name="D03TS"><xs:complexType><xs:sequence>\n\n    <xs:element name="UBND" type="Ten"/>\n    <xs:element name="TreEm" maxOccurs="500"><xs:complexType><xs:sequence>\n      <xs:element name="HoTen" type="Ten"/>\n      <xs:element name="NgaySinh" type="xs:date"/>\n      <xs:element name="GioiTinh" type="GioiTinh"/>\n      <xs:element name="HoTenCha" type="Ten" minOccurs="0"/>\n      <xs:element name="HoTenMe" type="Ten" minOccurs="0"/>\n      <xs:element name="DiaChi" type="Ten"/>\n    </xs:sequence></xs:complexType></xs:element>\n    <xs:any namespace="http://www.w3.org/2000/09/xmldsig#" processContents="skip" minOccurs="0" maxOccurs="unbounded"/>\n  </xs:sequence></xs:complexType></xs:element>\n</xs:schema>\n'),
}

STEP_NAMES = {'receive': 'Tiếp nhận',
 'assign': 'Phân công',
 'process': 'Xử lý',
 'approve': 'Phê duyệt',
 'sign': 'Ký số kết quả',
 'return': 'Trả kết quả'}

# code, title, kind, channel, procedure, submitter kind, only without signature, decision, priority, from, to
RULES = [('2671-E-DOSSIER',
  'Tiếp nhận hồ sơ điện tử có chữ ký số',
  'signed',
  '',
  '',
  '',
  False,
  'accept',
  10,
  datetime.date(2015, 10, 1),
  None),
 ('2671-BARCODE-TRANSITION',
  'Hồ sơ bán điện tử có mã vạch trong giai đoạn quá độ',
  'barcode',
  'desk',
  '',
  '',
  False,
  'accept',
  10,
  datetime.date(2014, 8, 1),
  datetime.date(2015, 12, 31)),
 ('2671-BARCODE-STOP',
  'Bộ phận một cửa ngừng tiếp nhận hồ sơ bán điện tử có mã vạch',
  'barcode',
  '',
  '',
  '',
  False,
  'refuse',
  10,
  datetime.date(2016, 1, 1),
  None),
 ('2671-CHILD-CARD',
  'Thẻ BHYT trẻ em dưới 6 tuổi: UBND xã chưa dùng chữ ký số được nộp hồ sơ có mã vạch',
  'barcode',
  'desk',
  'TE6',
  'commune',
  True,
  'accept',
  50,
  datetime.date(2016, 1, 1),
  None)]


def seed(apps, schema_editor):
    """Create what is missing; never overwrite an administrator's edits."""
    Procedure = apps.get_model("portal", "Procedure")
    ProcedureForm = apps.get_model("portal", "ProcedureForm")
    WorkflowStep = apps.get_model("portal", "WorkflowStep")
    IntakeRule = apps.get_model("portal", "IntakeRule")
    for code, name, days, channels, result, forms, steps in PROCEDURES:
        proc, _ = Procedure.objects.get_or_create(code=code, defaults=dict(
            name=name, processing_days=days, channels=channels, result_type=result,
            effective_from=datetime.date(2015, 10, 1)))
        for form_code, mandatory in forms:
            form_name, namespace, xsd = FORMS[form_code]
            ProcedureForm.objects.get_or_create(procedure=proc, code=form_code, defaults=dict(
                name=form_name, mandatory=mandatory, namespace=namespace, xsd=xsd))
        if not WorkflowStep.objects.filter(procedure=proc).exists():
            for i, step in enumerate(steps):
                WorkflowStep.objects.create(procedure=proc, position=i, step=step, name=STEP_NAMES[step])
    for code, title, kind, channel, proc, sub, no_sig, decision, prio, start, end in RULES:
        IntakeRule.objects.get_or_create(code=code, defaults=dict(
            title=title, citation=LETTER_2671, kind=kind, channel=channel, procedure_code=proc, submitter_kind=sub,
            only_without_signature=no_sig, decision=decision, priority=prio, valid_from=start, valid_to=end))


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
