"""Migrations 0001 to 0009, squashed on 07/12/2026: the same schema and the same frozen data steps, in their
order (none imports live Kyso code). `replaces` marks it applied where all of them are; an installation that
has only some upgrades through the release before the squash first (docs/deploy.md)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
import datetime


# 0002_seed_catalogue: The initial catalogue (procedures 600, 601, 604, child card) and the intake rules of letter 2671 — frozen here as
# they were when the portal began (the live catalogue is `kyso.portal.seed`, which the demo re-applies; this
# migration imports nothing of Kyso).

LETTER_2671 = 'Công văn 2671/BHXH-CNTT ngày 26/11/2015 của BHXH thành phố Hà Nội'

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

def fill_rollup(apps, schema_editor):
    """Count the dossiers already there into the roll-up (one grouped query; `rollup.rebuild` does the same)."""
    with schema_editor.connection.cursor() as cur:
        cur.execute(
            "INSERT INTO portal_dossiertally (day, unit_id, procedure_id, channel, status, on_time, due_date, slot, n) "
            "SELECT received_on, unit_id, procedure_id, channel, status, "
            "CASE WHEN status = 'returned' THEN COALESCE(on_time, %s) ELSE %s END, "
            "CASE WHEN status IN ('in_progress', 'supplement', 'result_ready') THEN due_date ELSE received_on END, "
            "0, COUNT(*) FROM portal_dossier GROUP BY 1, 2, 3, 4, 5, 6, 7", [False, False])


class Migration(migrations.Migration):

    replaces = [('portal', '0001_initial'), ('portal', '0002_seed_catalogue'), ('portal', '0003_signers'), ('portal', '0004_rollup_and_list_indexes'), ('portal', '0005_queue_index'), ('portal', '0006_receipts'), ('portal', '0007_queue_covering_index'), ('portal', '0008_labels_in_context'), ('portal', '0009_queue_index_assignee')]

    initial = True

    dependencies = [
        ('files', '0001_squashed_0002_blob'),
        ('files', '0001_squashed_0002_blob'),
        ('org', '0001_initial'),
        ('org', '0002_contact_changes_squashed_0004_levels_say_who_issues_and_receives'),
        ('org', '0002_contact_changes_squashed_0004_levels_say_who_issues_and_receives'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='IntakeRule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=60, unique=True, verbose_name='code')),
                ('title', models.CharField(max_length=300, verbose_name='title')),
                ('citation', models.CharField(max_length=200, verbose_name='legal basis')),
                ('kind', models.CharField(choices=[('signed', 'Signed e-dossier'), ('barcode', 'Barcode dossier (unsigned)')], max_length=20, verbose_name='dossier kind')),
                ('channel', models.CharField(blank=True, choices=[('portal', 'Public service portal'), ('ivan', 'I-VAN provider'), ('desk', 'One-stop desk')], max_length=20, verbose_name='channel')),
                ('procedure_code', models.CharField(blank=True, max_length=20, verbose_name='procedure')),
                ('submitter_kind', models.CharField(blank=True, choices=[('employer', 'Employer'), ('citizen', 'Citizen'), ('ivan', 'I-VAN provider'), ('commune', "Commune People's Committee")], max_length=20, verbose_name='submitter')),
                ('only_without_signature', models.BooleanField(default=False, verbose_name='only submitters without a digital signature')),
                ('decision', models.CharField(choices=[('accept', 'Accept'), ('refuse', 'Refuse')], max_length=10, verbose_name='decision')),
                ('priority', models.PositiveSmallIntegerField(default=0, verbose_name='priority')),
                ('valid_from', models.DateField(verbose_name='in force from')),
                ('valid_to', models.DateField(blank=True, null=True, verbose_name='in force until')),
            ],
            options={
                'verbose_name': 'intake rule',
                'verbose_name_plural': 'intake rules',
                'ordering': ['kind', '-priority', 'valid_from'],
            },
        ),
        migrations.CreateModel(
            name='Procedure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=20, unique=True, verbose_name='code')),
                ('name', models.CharField(max_length=300, verbose_name='name')),
                ('processing_days', models.PositiveSmallIntegerField(verbose_name='processing time (working days)')),
                ('channels', models.JSONField(default=list, help_text='portal, ivan, desk', verbose_name='channels')),
                ('result_type', models.CharField(max_length=200, verbose_name='result')),
                ('effective_from', models.DateField(verbose_name='effective from')),
                ('effective_to', models.DateField(blank=True, null=True, verbose_name='effective until')),
                ('is_active', models.BooleanField(default=True, verbose_name='active')),
                ('description', models.TextField(blank=True, verbose_name='description')),
            ],
            options={
                'verbose_name': 'procedure',
                'verbose_name_plural': 'procedures',
                'ordering': ['code'],
            },
        ),
        migrations.CreateModel(
            name='DailySequence',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('agency_code', models.CharField(max_length=40)),
                ('day', models.DateField()),
                ('last', models.PositiveIntegerField(default=0)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('agency_code', 'day'), name='portal_sequence_unique')],
            },
        ),
        migrations.CreateModel(
            name='Dossier',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=40, unique=True, verbose_name='dossier code')),
                ('channel', models.CharField(choices=[('portal', 'Public service portal'), ('ivan', 'I-VAN provider'), ('desk', 'One-stop desk')], max_length=10, verbose_name='channel')),
                ('kind', models.CharField(choices=[('signed', 'Signed e-dossier'), ('barcode', 'Barcode dossier (unsigned)')], max_length=10, verbose_name='dossier kind')),
                ('submitter_name', models.CharField(max_length=300, verbose_name='submitter')),
                ('submitter_tax_code', models.CharField(blank=True, max_length=20, verbose_name='tax code / ID number')),
                ('submitter_email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail')),
                ('submitter_phone', models.CharField(blank=True, max_length=20, verbose_name='phone')),
                ('status', models.CharField(choices=[('in_progress', 'In progress'), ('supplement', 'Waiting for supplement'), ('result_ready', 'Result signed, to return'), ('returned', 'Result returned'), ('refused', 'Refused')], default='in_progress', max_length=20, verbose_name='status')),
                ('step', models.CharField(choices=[('receive', 'Receive'), ('assign', 'Assign'), ('process', 'Process'), ('approve', 'Approve'), ('sign', 'Sign the result'), ('return', 'Return the result')], default='receive', max_length=20, verbose_name='last step done')),
                ('received_at', models.DateTimeField(verbose_name='received at')),
                ('received_on', models.DateField(verbose_name='received on')),
                ('due_date', models.DateField(verbose_name='due date')),
                ('original_due_date', models.DateField(verbose_name='first due date')),
                ('paused_on', models.DateField(blank=True, null=True)),
                ('paused_days', models.PositiveSmallIntegerField(default=0)),
                ('supplement_requested', models.BooleanField(default=False)),
                ('apologised', models.BooleanField(default=False)),
                ('finished_on', models.DateField(blank=True, null=True, verbose_name='finished on')),
                ('on_time', models.BooleanField(blank=True, null=True)),
                ('data', models.JSONField(blank=True, default=dict)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('assignee', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='officer in charge')),
                ('submitted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='dossiers', to='org.unit', verbose_name='receiving office')),
                ('intake_rule', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='portal.intakerule', verbose_name='intake rule')),
                ('procedure', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='dossiers', to='portal.procedure', verbose_name='procedure')),
            ],
            options={
                'verbose_name': 'dossier',
                'verbose_name_plural': 'dossiers',
                'ordering': ['-id'],
            },
        ),
        migrations.CreateModel(
            name='DossierDocument',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('receipt', 'Receipt and appointment slip'), ('supplement', 'Request to supplement the dossier'), ('apology', 'Apology for late result and new date'), ('refusal', 'Refusal with reasons'), ('result', 'Result')], max_length=20)),
                ('data', models.JSONField(blank=True, default=dict)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('dossier', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='documents', to='portal.dossier')),
                ('file', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='files.storedfile')),
            ],
            options={
                'ordering': ['id'],
            },
        ),
        migrations.CreateModel(
            name='DossierEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField()),
                ('action', models.CharField(max_length=40)),
                ('actor', models.CharField(blank=True, max_length=200)),
                ('unit_name', models.CharField(blank=True, max_length=255)),
                ('note', models.TextField(blank=True)),
                ('status', models.CharField(choices=[('in_progress', 'In progress'), ('supplement', 'Waiting for supplement'), ('result_ready', 'Result signed, to return'), ('returned', 'Result returned'), ('refused', 'Refused')], max_length=20)),
                ('dossier', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='events', to='portal.dossier')),
            ],
            options={
                'ordering': ['dossier', 'id'],
            },
        ),
        migrations.CreateModel(
            name='ProcedureForm',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=20, verbose_name='form code')),
                ('name', models.CharField(max_length=300, verbose_name='name')),
                ('mandatory', models.BooleanField(default=False, verbose_name='mandatory')),
                ('namespace', models.CharField(max_length=200, verbose_name='XML namespace')),
                ('xsd', models.TextField(verbose_name='XML schema (XSD)')),
                ('procedure', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='forms', to='portal.procedure')),
            ],
            options={
                'verbose_name': 'procedure form',
                'verbose_name_plural': 'procedure forms',
                'ordering': ['procedure', '-mandatory', 'code'],
            },
        ),
        migrations.CreateModel(
            name='DossierFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('supplement', models.BooleanField(default=False)),
                ('indication', models.CharField(blank=True, max_length=20)),
                ('signer', models.CharField(blank=True, max_length=300)),
                ('report', models.JSONField(blank=True, default=dict)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('dossier', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='files', to='portal.dossier')),
                ('file', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='files.storedfile')),
                ('form', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='portal.procedureform')),
            ],
        ),
        migrations.CreateModel(
            name='Submitter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('employer', 'Employer'), ('citizen', 'Citizen'), ('ivan', 'I-VAN provider'), ('commune', "Commune People's Committee")], max_length=20, verbose_name='kind')),
                ('name', models.CharField(max_length=300, verbose_name='name')),
                ('tax_code', models.CharField(blank=True, db_index=True, max_length=20, verbose_name='tax code / ID number')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail')),
                ('phone', models.CharField(blank=True, max_length=20, verbose_name='phone')),
                ('has_digital_signature', models.BooleanField(default=True, verbose_name='uses a digital signature')),
                ('is_active', models.BooleanField(default=True, verbose_name='active')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='submitters', to='org.unit', verbose_name='managing social-security office')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='submitter', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'submitter',
                'verbose_name_plural': 'submitters',
            },
        ),
        migrations.AddField(
            model_name='dossier',
            name='submitter',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='dossiers', to='portal.submitter'),
        ),
        migrations.CreateModel(
            name='WorkflowStep',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField()),
                ('step', models.CharField(choices=[('receive', 'Receive'), ('assign', 'Assign'), ('process', 'Process'), ('approve', 'Approve'), ('sign', 'Sign the result'), ('return', 'Return the result')], max_length=20)),
                ('name', models.CharField(blank=True, max_length=200, verbose_name='name')),
                ('procedure', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='steps', to='portal.procedure')),
            ],
            options={
                'ordering': ['procedure', 'position'],
            },
        ),
        migrations.CreateModel(
            name='IdempotencyKey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=100)),
                ('request_hash', models.CharField(max_length=64)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('client', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('dossier', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='portal.dossier')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('client', 'key'), name='portal_idempotency_unique')],
            },
        ),
        migrations.AddConstraint(
            model_name='procedureform',
            constraint=models.UniqueConstraint(fields=('procedure', 'code'), name='portal_form_unique'),
        ),
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(fields=['unit', 'status', 'received_at'], name='portal_dos_unit_status'),
        ),
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(fields=['unit', '-id'], name='portal_dos_unit_id'),
        ),
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(fields=['submitter_tax_code', '-id'], name='portal_dos_taxcode'),
        ),
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(fields=['submitted_by', '-id'], name='portal_dos_submitted_by'),
        ),
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(fields=['received_on', 'unit'], name='portal_dos_day_unit'),
        ),
        migrations.AddConstraint(
            model_name='workflowstep',
            constraint=models.UniqueConstraint(fields=('procedure', 'position'), name='portal_step_position'),
        ),
        migrations.AddConstraint(
            model_name='workflowstep',
            constraint=models.UniqueConstraint(fields=('procedure', 'step'), name='portal_step_once'),
        ),
        migrations.RunPython(
            code=seed,  # FROM portal.0002_seed_catalogue
            reverse_code=migrations.RunPython.noop,
        ),
        migrations.CreateModel(
            name='IvanRegistration',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('employer_tax_code', models.CharField(db_index=True, max_length=14, verbose_name="employer's tax code")),
                ('employer_name', models.CharField(max_length=300, verbose_name='employer')),
                ('valid_from', models.DateField(verbose_name='in force from')),
                ('valid_to', models.DateField(blank=True, null=True, verbose_name='in force until')),
                ('registered_at', models.DateTimeField(auto_now_add=True, verbose_name='registered at')),
                ('ended_at', models.DateTimeField(blank=True, null=True, verbose_name='ended at')),
                ('ivan', models.ForeignKey(limit_choices_to={'kind': 'ivan'}, on_delete=django.db.models.deletion.PROTECT, related_name='registrations', to='portal.submitter', verbose_name='I-VAN provider')),
                ('registered_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='registered by')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.unit', verbose_name='managing social-security office')),
            ],
            options={
                'verbose_name': 'I-VAN registration',
                'verbose_name_plural': 'I-VAN registrations',
                'ordering': ['-id'],
            },
        ),
        migrations.CreateModel(
            name='SignerAuthorisation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('employer_tax_code', models.CharField(db_index=True, max_length=14, verbose_name="employer's tax code")),
                ('employer_name', models.CharField(max_length=300, verbose_name='employer')),
                ('person_id', models.CharField(max_length=20, verbose_name='identity number')),
                ('person_name', models.CharField(max_length=200, verbose_name='full name')),
                ('valid_from', models.DateField(verbose_name='in force from')),
                ('valid_to', models.DateField(blank=True, null=True, verbose_name='in force until')),
                ('registered_at', models.DateTimeField(auto_now_add=True, verbose_name='registered at')),
                ('ended_at', models.DateTimeField(blank=True, null=True, verbose_name='ended at')),
                ('registered_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='registered by')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.unit', verbose_name='managing social-security office')),
            ],
            options={
                'verbose_name': 'signing authorisation',
                'verbose_name_plural': 'signing authorisations',
                'ordering': ['-id'],
            },
        ),
        migrations.CreateModel(
            name='DossierTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('channel', models.CharField(choices=[('portal', 'Public service portal'), ('ivan', 'I-VAN provider'), ('desk', 'One-stop desk')], max_length=10)),
                ('status', models.CharField(choices=[('in_progress', 'In progress'), ('supplement', 'Waiting for supplement'), ('result_ready', 'Result signed, to return'), ('returned', 'Result returned'), ('refused', 'Refused')], max_length=20)),
                ('on_time', models.BooleanField(default=False, help_text='returned on time (false for every other status)')),
                ('due_date', models.DateField(help_text='the due date of an open dossier; the received day once it is closed')),
                ('slot', models.PositiveSmallIntegerField(default=0)),
                ('n', models.IntegerField(default=0)),
            ],
        ),
        migrations.RemoveIndex(
            model_name='dossier',
            name='portal_dos_unit_status',
        ),
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(fields=['unit', 'status', '-id'], name='portal_dos_unit_status_id'),
        ),
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(fields=['status', '-id'], name='portal_dos_status_id'),
        ),
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(condition=models.Q(('assignee__isnull', False)), fields=['assignee', '-id'], name='portal_dos_assignee'),
        ),
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(condition=models.Q(('status__in', ['in_progress', 'supplement', 'result_ready'])), fields=['due_date', 'unit'], name='portal_dos_open_due'),
        ),
        migrations.AddField(
            model_name='dossiertally',
            name='procedure',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='portal.procedure'),
        ),
        migrations.AddField(
            model_name='dossiertally',
            name='unit',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.unit'),
        ),
        migrations.AddConstraint(
            model_name='dossiertally',
            constraint=models.UniqueConstraint(fields=('day', 'unit', 'procedure', 'channel', 'status', 'on_time', 'due_date', 'slot'), name='portal_tally_key'),
        ),
        migrations.RunPython(
            code=fill_rollup,  # FROM portal.0004_rollup_and_list_indexes
            reverse_code=migrations.RunPython.noop,
        ),
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(condition=models.Q(('status__in', ['in_progress', 'supplement', 'result_ready'])), fields=['step', 'unit', 'due_date'], name='portal_dos_open_step'),
        ),
        migrations.CreateModel(
            name='ReceiptBatch',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('gen_time', models.DateTimeField(verbose_name='time-stamped at')),
                ('root', models.CharField(max_length=64)),
                ('size', models.PositiveIntegerField()),
                ('leaves', models.BinaryField(help_text="the receipts' SHA-256 digests, 32 bytes each, in tree order")),
                ('token', models.BinaryField(help_text='RFC 3161 TimeStampToken (DER) whose imprint is the root')),
            ],
            options={
                'ordering': ['-id'],
            },
        ),
        migrations.CreateModel(
            name='Receipt',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sha256', models.CharField(max_length=64)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('document', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='receipt', to='portal.dossierdocument')),
                ('pdf', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='files.storedfile')),
                ('batch', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='receipts', to='portal.receiptbatch')),
            ],
            options={
                'indexes': [models.Index(condition=models.Q(('batch__isnull', True)), fields=['id'], name='portal_receipt_unstamped')],
            },
        ),
        migrations.RemoveIndex(
            model_name='dossier',
            name='portal_dos_open_step',
        ),
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(condition=models.Q(('status__in', ['in_progress', 'supplement', 'result_ready'])), fields=['unit', 'step', 'status', 'due_date'], include=('procedure', 'id'), name='portal_dos_open_queue'),
        ),
        migrations.AlterField(
            model_name='intakerule',
            name='title',
            field=models.CharField(max_length=300, verbose_name='name of the rule'),
        ),
        migrations.RemoveIndex(
            model_name='dossier',
            name='portal_dos_open_queue',
        ),
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(condition=models.Q(('status__in', ['in_progress', 'supplement', 'result_ready'])), fields=['unit', 'step', 'status', 'due_date'], include=('procedure', 'assignee', 'id'), name='portal_dos_open_queue'),
        ),
    ]
