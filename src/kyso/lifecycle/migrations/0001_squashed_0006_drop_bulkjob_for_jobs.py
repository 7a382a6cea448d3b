"""Migrations 0001 to 0006, squashed on 07/12/2026: the same schema and the same frozen data steps, in their
order (none imports live Kyso code). `replaces` marks it applied where all of them are; an installation that
has only some upgrades through the release before the squash first (docs/deploy.md)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


# 0005_it_center_manages_the_root: The agency's root (its leadership) has no managing-unit officer: the IT Center manages the subscribers
# placed there, as it manages its own staff (Decision 508, Art. 3.1; `lifecycle.units.managing_unit`).
# Subscribers recorded with the root as their managing unit are moved to the IT Center. Frozen: no live code.

def forwards(apps, schema_editor):
    Unit = apps.get_model("org", "Unit")
    Subscriber = apps.get_model("lifecycle", "Subscriber")
    itc = Unit.objects.filter(function="it_center", is_active=True).order_by("path").first()
    if itc is not None:
        Subscriber.objects.filter(managing_unit__parent__isnull=True).update(managing_unit=itc)


class Migration(migrations.Migration):

    replaces = [('lifecycle', '0001_initial'), ('lifecycle', '0002_bulkjob'), ('lifecycle', '0003_certificate_links_reminders'), ('lifecycle', '0004_request_held_by'), ('lifecycle', '0005_it_center_manages_the_root'), ('lifecycle', '0006_drop_bulkjob_for_jobs')]

    initial = True

    dependencies = [
        ('files', '0001_squashed_0002_blob'),
        ('org', '0001_initial'),
        ('pki', '0001_squashed_0003_ocsp_presigned'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='IssuanceRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('person', 'Person'), ('organization', 'Organisation (seal)')], max_length=20, verbose_name='kind')),
                ('state', models.CharField(choices=[('submitted', 'Submitted (Form 01)'), ('confirmed', 'Confirmed by the managing unit'), ('listed', "In a unit's list (Form 02)"), ('received', 'Received by the IT Center'), ('returned', 'Returned for completion'), ('valid', 'Valid, awaiting the approval list'), ('in_approval', "In the list for the leadership's approval"), ('approved', 'Approved'), ('sent_to_ca', 'Sent to the CA'), ('supplement', 'Supplement requested by the CA'), ('refused', 'Refused'), ('issued', 'Issued'), ('handed_to_unit', 'Handed over to the managing unit'), ('handed_to_subscriber', 'Handed over to the subscriber'), ('activated', 'Activation notice sent (Form 04)')], db_index=True, default='submitted', max_length=30, verbose_name='state')),
                ('full_name', models.CharField(max_length=150, verbose_name='full name')),
                ('gender', models.CharField(blank=True, max_length=10, verbose_name='gender')),
                ('birth_date', models.DateField(blank=True, null=True, verbose_name='date of birth')),
                ('birth_place', models.CharField(blank=True, max_length=200, verbose_name='place of birth')),
                ('id_number', models.CharField(blank=True, max_length=20, verbose_name='identity number')),
                ('id_issue_date', models.DateField(blank=True, null=True, verbose_name='issue date')),
                ('id_issue_place', models.CharField(blank=True, max_length=200, verbose_name='place of issue')),
                ('residence', models.CharField(blank=True, max_length=300, verbose_name='permanent residence')),
                ('workplace', models.CharField(max_length=300, verbose_name='workplace')),
                ('phone_office', models.CharField(blank=True, max_length=20, verbose_name='office phone')),
                ('phone_mobile', models.CharField(blank=True, max_length=20, verbose_name='mobile phone')),
                ('fax', models.CharField(blank=True, max_length=20, verbose_name='fax')),
                ('title', models.CharField(blank=True, max_length=150, verbose_name='title')),
                ('email', models.EmailField(max_length=254, verbose_name='government e-mail')),
                ('old_certificate_serial', models.CharField(blank=True, max_length=64, verbose_name='old certificate number')),
                ('validity_years', models.PositiveSmallIntegerField(default=5, verbose_name='validity asked (years)')),
                ('is_seal_holder', models.BooleanField(default=False, verbose_name='competent person under the seal rules')),
                ('guidance', models.TextField(blank=True, verbose_name='guidance / reason')),
                ('on_hold', models.CharField(blank=True, max_length=300, verbose_name='on hold (reason)')),
                ('version', models.PositiveIntegerField(default=1)),
                ('submitted_on', models.DateField(verbose_name='submitted on')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('approved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('confirmed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('seal_registration', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='files.storedfile', verbose_name='copy of the seal registration')),
                ('title_confirmation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='files.storedfile', verbose_name='copy of the title confirmation')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='certificate_requests', to='org.unit')),
            ],
        ),
        migrations.CreateModel(
            name='KeyDevice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('serial', models.CharField(max_length=64, unique=True, verbose_name='serial number')),
                ('model', models.CharField(default='SoftHSM2 (mô phỏng USB token)', max_length=100, verbose_name='model')),
                ('state', models.CharField(choices=[('in_stock', 'In stock'), ('issued', 'Issued to a subscriber'), ('lost', 'Lost'), ('damaged', 'Damaged'), ('recovered', 'Recovered'), ('sealed', 'Sealed'), ('returned', 'Returned to the CA')], db_index=True, default='in_stock', max_length=20, verbose_name='state')),
                ('token_label', models.CharField(blank=True, help_text='PKCS#11 token label (SoftHSM stand-in).', max_length=64)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='key_devices', to='org.unit', verbose_name='custodian unit')),
            ],
        ),
        migrations.CreateModel(
            name='Certificate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('serial', models.CharField(db_index=True, max_length=64, verbose_name='serial number')),
                ('issuer', models.CharField(max_length=300, verbose_name='issuer')),
                ('subject', models.CharField(max_length=500, verbose_name='subject')),
                ('not_before', models.DateTimeField(verbose_name='valid from')),
                ('not_after', models.DateTimeField(db_index=True, verbose_name='valid until')),
                ('status', models.CharField(choices=[('issued', 'Issued, not yet effective'), ('active', 'Active'), ('revoked', 'Revoked'), ('expired', 'Expired')], db_index=True, default='issued', max_length=20, verbose_name='status')),
                ('kind', models.CharField(choices=[('person', 'Person'), ('organization', 'Organisation (seal)')], max_length=20, verbose_name='kind')),
                ('source', models.CharField(choices=[('embedded', 'Kyso CA'), ('imported', 'Imported (external CA)')], default='embedded', max_length=20, verbose_name='source')),
                ('mobile_sim', models.BooleanField(default=False, verbose_name='mobile / SIM PKI')),
                ('der', models.BinaryField()),
                ('effective_at', models.DateTimeField(blank=True, null=True, verbose_name='effective from')),
                ('revoked_at', models.DateTimeField(blank=True, null=True)),
                ('revocation_reason', models.CharField(blank=True, max_length=4)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('request', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='certificates', to='lifecycle.issuancerequest')),
                ('device', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='certificates', to='lifecycle.keydevice')),
            ],
        ),
        migrations.CreateModel(
            name='Record',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('form', models.CharField(max_length=10)),
                ('title', models.CharField(max_length=200)),
                ('number', models.CharField(blank=True, max_length=60)),
                ('subject_type', models.CharField(max_length=30)),
                ('subject_id', models.PositiveBigIntegerField()),
                ('created_on', models.DateField()),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('pdf', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='files.storedfile')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.unit')),
            ],
        ),
        migrations.CreateModel(
            name='RequestList',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('is_approval_list', models.BooleanField(default=False)),
                ('number', models.CharField(max_length=60, verbose_name='number and symbol')),
                ('state', models.CharField(choices=[('draft', 'Being compiled'), ('sent', 'Sent'), ('received', 'Received'), ('submitted', 'Submitted for approval'), ('approved', 'Approved'), ('sent_to_ca', 'Sent to the CA')], default='draft', max_length=20, verbose_name='state')),
                ('created_on', models.DateField()),
                ('sent_on', models.DateField(blank=True, null=True)),
                ('approved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('parent', models.ForeignKey(blank=True, help_text='The higher-level list this list was compiled into.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='lifecycle.requestlist')),
                ('sent_to', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.unit')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='request_lists', to='org.unit')),
            ],
        ),
        migrations.AddField(
            model_name='issuancerequest',
            name='approval_list',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='approval_requests', to='lifecycle.requestlist'),
        ),
        migrations.AddField(
            model_name='issuancerequest',
            name='unit_list',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='requests', to='lifecycle.requestlist'),
        ),
        migrations.CreateModel(
            name='RevocationRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.CharField(choices=[('a', 'a) Expired'), ('b', "b) Subscriber's written request (key exposed, device lost, copied or damaged, other insecurity)"), ('c', 'c) Request of prosecution or security bodies'), ('d', "d) Unit's request (left the sector, retired, quit, absent, died, missing, moved post)"), ('dd', 'đ) Title change of a seal-holder'), ('e', 'e) Violation of the key rules')], max_length=4, verbose_name='reason')),
                ('detail', models.TextField(blank=True, verbose_name='detail')),
                ('state', models.CharField(choices=[('requested', 'Requested'), ('confirmed', 'Confirmed by the unit'), ('sent_to_ca', 'Sent to the CA'), ('revoked', 'Revoked by the CA'), ('unit_notified', 'Unit told to recover the device'), ('device_returned', 'Device recovered, sealed and returned (Form 03)')], default='requested', max_length=20, verbose_name='state')),
                ('phone_notice', models.CharField(blank=True, max_length=300, verbose_name='phone notice to the IT Center')),
                ('device_lost_explanation', models.TextField(blank=True, verbose_name='written explanation (lost or damaged device)')),
                ('requested_on', models.DateField()),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('certificate', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='revocations', to='lifecycle.certificate')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.CreateModel(
            name='Subscriber',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('person', 'Person'), ('organization', 'Organisation (seal)')], max_length=20, verbose_name='kind')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('managing_unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='managed_subscribers', to='org.unit', verbose_name='managing unit')),
                ('person', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='subscriptions', to='org.person')),
                ('unit', models.ForeignKey(help_text="The organisation itself, or the person's unit.", on_delete=django.db.models.deletion.PROTECT, related_name='subscribers', to='org.unit')),
            ],
        ),
        migrations.AddField(
            model_name='keydevice',
            name='holder',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='devices', to='lifecycle.subscriber'),
        ),
        migrations.AddField(
            model_name='issuancerequest',
            name='subscriber',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='requests', to='lifecycle.subscriber'),
        ),
        migrations.CreateModel(
            name='DeviceEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('from_state', models.CharField(choices=[('in_stock', 'In stock'), ('issued', 'Issued to a subscriber'), ('lost', 'Lost'), ('damaged', 'Damaged'), ('recovered', 'Recovered'), ('sealed', 'Sealed'), ('returned', 'Returned to the CA')], max_length=20)),
                ('to_state', models.CharField(choices=[('in_stock', 'In stock'), ('issued', 'Issued to a subscriber'), ('lost', 'Lost'), ('damaged', 'Damaged'), ('recovered', 'Recovered'), ('sealed', 'Sealed'), ('returned', 'Returned to the CA')], max_length=20)),
                ('note', models.TextField(blank=True)),
                ('at', models.DateTimeField(auto_now_add=True)),
                ('actor', models.CharField(blank=True, max_length=150)),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.unit')),
                ('device', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='events', to='lifecycle.keydevice')),
                ('holder', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='lifecycle.subscriber')),
            ],
            options={
                'ordering': ['at', 'id'],
            },
        ),
        migrations.AddField(
            model_name='certificate',
            name='subscriber',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='certificates', to='lifecycle.subscriber'),
        ),
        migrations.CreateModel(
            name='Step',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('subject_type', models.CharField(max_length=30)),
                ('subject_id', models.PositiveBigIntegerField()),
                ('name', models.CharField(max_length=60)),
                ('label', models.CharField(max_length=200)),
                ('started_on', models.DateField()),
                ('due_on', models.DateField(db_index=True)),
                ('done_on', models.DateField(blank=True, null=True)),
                ('unit', models.ForeignKey(help_text='The unit responsible for the step.', on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.unit')),
            ],
            options={
                'ordering': ['due_on', 'id'],
                'indexes': [models.Index(fields=['subject_type', 'subject_id'], name='lifecycle_s_subject_98ea60_idx'), models.Index(fields=['done_on', 'due_on'], name='lifecycle_s_done_on_9b77b0_idx')],
            },
        ),
        migrations.AddConstraint(
            model_name='subscriber',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'person')), fields=('person',), name='lc_one_person_subscriber'),
        ),
        migrations.AddConstraint(
            model_name='subscriber',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'organization')), fields=('unit',), name='lc_one_org_subscriber'),
        ),
        migrations.AddIndex(
            model_name='issuancerequest',
            index=models.Index(fields=['state', 'unit'], name='lifecycle_i_state_345338_idx'),
        ),
        migrations.AddConstraint(
            model_name='certificate',
            constraint=models.UniqueConstraint(fields=('issuer', 'serial'), name='lc_cert_issuer_serial'),
        ),
        migrations.CreateModel(
            name='BulkJob',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=40)),
                ('params', models.JSONField(default=dict)),
                ('total', models.PositiveIntegerField(default=0)),
                ('done', models.PositiveIntegerField(default=0)),
                ('failed', models.JSONField(default=list)),
                ('state', models.CharField(default='queued', max_length=20)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.unit')),
            ],
        ),
        migrations.AddField(
            model_name='certificate',
            name='issued',
            field=models.ForeignKey(blank=True, help_text="Our CA's record, when the embedded CA issued it.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='pki.issuedcertificate'),
        ),
        migrations.AddField(
            model_name='certificate',
            name='reminded_days',
            field=models.PositiveSmallIntegerField(blank=True, help_text='The last expiry reminder threshold sent (days).', null=True),
        ),
        migrations.AddField(
            model_name='issuancerequest',
            name='csr_pem',
            field=models.TextField(blank=True, help_text="Only when the subscriber's device made the key (external CA).", verbose_name='certificate signing request (PEM)'),
        ),
        migrations.AlterField(
            model_name='certificate',
            name='der',
            field=models.BinaryField(blank=True, default=b''),
        ),
        migrations.AddField(
            model_name='issuancerequest',
            name='held_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='held by'),
        ),
        migrations.RunPython(
            code=forwards,  # FROM lifecycle.0005_it_center_manages_the_root
            reverse_code=migrations.RunPython.noop,
        ),
        migrations.DeleteModel(
            name='BulkJob',
        ),
    ]
