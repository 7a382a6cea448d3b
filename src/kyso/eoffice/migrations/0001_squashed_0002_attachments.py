"""Migrations 0001 to 0002, squashed on 07/12/2026: the same schema and the same frozen data steps, in their
order (none imports live Kyso code). `replaces` marks it applied where all of them are; an installation that
has only some upgrades through the release before the squash first (docs/deploy.md)."""

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('eoffice', '0001_initial'), ('eoffice', '0002_attachments')]

    initial = True

    dependencies = [
        ('files', '0001_squashed_0002_blob'),
        ('mobile', '0001_squashed_0003_remove_credential_failed_pins'),
        ('org', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='OutgoingDocument',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('doc_type', models.CharField(choices=[('CV', 'Official letter'), ('QĐ', 'Decision'), ('TB', 'Notice'), ('KH', 'Plan'), ('BC', 'Report'), ('TTr', 'Submission'), ('GM', 'Invitation'), ('HD', 'Guidance')], default='CV', max_length=4, verbose_name='kind')),
                ('subject', models.CharField(max_length=500, verbose_name='summary')),
                ('urgency', models.CharField(choices=[('normal', 'Normal'), ('urgent', 'Urgent'), ('very_urgent', 'Very urgent'), ('express', 'Express')], default='normal', max_length=12, verbose_name='urgency')),
                ('state', models.CharField(choices=[('draft', 'Draft'), ('in_review', 'In review'), ('to_sign', "Waiting for the leader's signature"), ('signing', 'Waiting for confirmation on the phone'), ('signed', 'Signed by the leader'), ('issued', 'Sealed and numbered'), ('dispatched', 'Dispatched')], db_index=True, default='draft', max_length=12, verbose_name='state')),
                ('version', models.PositiveIntegerField(default=1)),
                ('signer_title', models.CharField(max_length=150, verbose_name="signer's title")),
                ('caption', models.CharField(blank=True, help_text='KT., TL. or TUQ. when signing on behalf of the head.', max_length=5, verbose_name='caption')),
                ('on_behalf_of', models.CharField(blank=True, max_length=150, verbose_name='on behalf of')),
                ('signed_via', models.CharField(blank=True, max_length=10)),
                ('deferred', models.JSONField(blank=True, default=dict)),
                ('year', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('number', models.PositiveIntegerField(blank=True, null=True)),
                ('symbol', models.CharField(blank=True, max_length=60, verbose_name='symbol')),
                ('issued_on', models.DateField(blank=True, null=True, verbose_name='issue date')),
                ('external_recipients', models.TextField(blank=True, verbose_name='recipients outside Kyso')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('draft', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='files.storedfile')),
                ('drafted_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('drafting_unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.unit', verbose_name='drafting unit')),
                ('issued_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('issued_file', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='files.storedfile')),
                ('pending_pdf', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='files.storedfile')),
                ('reviewer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reviewer')),
                ('signature_request', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='mobile.signaturerequest')),
                ('signed_file', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='files.storedfile')),
                ('signer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='signing leader')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='outgoing_documents', to='org.unit', verbose_name='issuing organisation')),
            ],
            options={
                'verbose_name': 'outgoing document',
                'verbose_name_plural': 'outgoing documents',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='IncomingDocument',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('year', models.PositiveSmallIntegerField()),
                ('arrival_number', models.PositiveIntegerField(verbose_name='arrival number')),
                ('received_at', models.DateTimeField(verbose_name='received at')),
                ('sender', models.CharField(max_length=255, verbose_name='sender')),
                ('original_number', models.CharField(blank=True, max_length=80, verbose_name='number and symbol')),
                ('original_date', models.DateField(blank=True, null=True, verbose_name='date of the document')),
                ('doc_type', models.CharField(choices=[('CV', 'Official letter'), ('QĐ', 'Decision'), ('TB', 'Notice'), ('KH', 'Plan'), ('BC', 'Report'), ('TTr', 'Submission'), ('GM', 'Invitation'), ('HD', 'Guidance')], default='CV', max_length=4, verbose_name='kind')),
                ('subject', models.CharField(max_length=500, verbose_name='summary')),
                ('urgency', models.CharField(choices=[('normal', 'Normal'), ('urgent', 'Urgent'), ('very_urgent', 'Very urgent'), ('express', 'Express')], default='normal', max_length=12, verbose_name='urgency')),
                ('indication', models.CharField(max_length=20, verbose_name='verification')),
                ('sub_indication', models.CharField(blank=True, max_length=60)),
                ('report', models.JSONField(default=dict)),
                ('state', models.CharField(choices=[('registered', 'Registered'), ('assigned', 'Assigned'), ('done', 'Handled')], db_index=True, default='registered', max_length=12, verbose_name='state')),
                ('due_date', models.DateField(blank=True, null=True, verbose_name='due')),
                ('instructions', models.TextField(blank=True, verbose_name='instructions')),
                ('done_at', models.DateTimeField(blank=True, null=True)),
                ('outcome', models.TextField(blank=True, verbose_name='outcome')),
                ('assigned_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('assignee', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='handled by')),
                ('file', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='files.storedfile')),
                ('registered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('report_pdf', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='files.storedfile')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='incoming_documents', to='org.unit', verbose_name='receiving unit')),
                ('source', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='eoffice.outgoingdocument')),
            ],
            options={
                'verbose_name': 'incoming document',
                'verbose_name_plural': 'incoming documents',
                'ordering': ['-received_at'],
            },
        ),
        migrations.CreateModel(
            name='Event',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('verb', models.CharField(max_length=40)),
                ('note', models.TextField(blank=True)),
                ('at', models.DateTimeField(auto_now_add=True)),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('incoming', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='events', to='eoffice.incomingdocument')),
                ('outgoing', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='events', to='eoffice.outgoingdocument')),
            ],
            options={
                'ordering': ['at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Recipient',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('document', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='recipients', to='eoffice.outgoingdocument')),
                ('incoming', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='eoffice.incomingdocument')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.unit')),
            ],
        ),
        migrations.CreateModel(
            name='BookCounter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('book', models.CharField(max_length=3)),
                ('year', models.PositiveSmallIntegerField()),
                ('last', models.PositiveIntegerField(default=0)),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.unit')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('unit', 'book', 'year'), name='eoffice_book_unique')],
            },
        ),
        migrations.AddConstraint(
            model_name='outgoingdocument',
            constraint=models.UniqueConstraint(condition=models.Q(('number__isnull', False)), fields=('unit', 'year', 'number'), name='eoffice_out_number_unique'),
        ),
        migrations.AddConstraint(
            model_name='incomingdocument',
            constraint=models.UniqueConstraint(fields=('unit', 'year', 'arrival_number'), name='eoffice_in_number_unique'),
        ),
        migrations.AddConstraint(
            model_name='recipient',
            constraint=models.UniqueConstraint(fields=('document', 'unit'), name='eoffice_recipient_unique'),
        ),
        migrations.CreateModel(
            name='Attachment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=255, verbose_name='file name')),
                ('indication', models.CharField(blank=True, max_length=20)),
                ('sub_indication', models.CharField(blank=True, max_length=60)),
                ('report', models.JSONField(blank=True, default=dict)),
                ('draft', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='files.storedfile')),
                ('file', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='files.storedfile')),
                ('incoming', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='attachments', to='eoffice.incomingdocument')),
                ('outgoing', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='attachments', to='eoffice.outgoingdocument')),
            ],
            options={
                'ordering': ['pk'],
            },
        ),
    ]
