"""Migrations 0001 to 0003, squashed on 07/12/2026: the same schema and the same frozen data steps, in their
order (none imports live Kyso code). `replaces` marks it applied where all of them are; an installation that
has only some upgrades through the release before the squash first (docs/deploy.md)."""

import django.db.models.deletion
import kyso.mobile.models
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('mobile', '0001_initial'), ('mobile', '0002_signdoc'), ('mobile', '0003_remove_credential_failed_pins')]

    initial = True

    dependencies = [
        ('files', '0001_squashed_0002_blob'),
        ('pki', '0001_squashed_0003_ocsp_presigned'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SimCard',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('msisdn', models.CharField(max_length=16, unique=True)),
                ('token_label', models.CharField(max_length=64)),
                ('key_label', models.CharField(max_length=64)),
                ('pin_tries_left', models.PositiveSmallIntegerField(default=3)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
        ),
        migrations.CreateModel(
            name='AccessToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token_hash', models.CharField(max_length=64, unique=True)),
                ('expires_at', models.DateTimeField()),
                ('revoked', models.BooleanField(default=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.CreateModel(
            name='Credential',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('credential_id', models.CharField(default=kyso.mobile.models.new_credential_id, max_length=64, unique=True)),
                ('channel', models.CharField(choices=[('app', 'Remote signing (key in the HSM, confirmed in the app)'), ('sim', 'SIM PKI (key on the SIM card)')], max_length=8, verbose_name='channel')),
                ('msisdn', models.CharField(blank=True, db_index=True, max_length=16, verbose_name='phone number')),
                ('token_label', models.CharField(max_length=64)),
                ('key_label', models.CharField(max_length=64)),
                ('description', models.CharField(blank=True, max_length=200, verbose_name='description')),
                ('multisign', models.PositiveSmallIntegerField(default=10, verbose_name='signatures per authorisation')),
                ('enabled', models.BooleanField(default=True, verbose_name='enabled')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('certificate', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='pki.issuedcertificate')),
                ('holder', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='mobile_credentials', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'signing credential',
                'verbose_name_plural': 'signing credentials',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='Authorization',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sad_hash', models.CharField(max_length=64, unique=True)),
                ('hashes', models.JSONField(default=list, help_text='base64 hashes this authorisation covers')),
                ('hash_algo', models.CharField(blank=True, max_length=64)),
                ('num_signatures', models.PositiveSmallIntegerField()),
                ('remaining', models.PositiveSmallIntegerField()),
                ('expires_at', models.DateTimeField()),
                ('description', models.CharField(blank=True, max_length=500)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('credential', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='authorizations', to='mobile.credential')),
            ],
        ),
        migrations.CreateModel(
            name='MsspTransaction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('mssp_trans_id', models.CharField(max_length=64, unique=True)),
                ('ap_id', models.CharField(max_length=100)),
                ('ap_trans_id', models.CharField(max_length=100)),
                ('msisdn', models.CharField(db_index=True, max_length=16)),
                ('data_to_be_signed', models.TextField()),
                ('data_to_be_displayed', models.CharField(max_length=500)),
                ('signature_profile', models.CharField(max_length=200)),
                ('status', models.PositiveSmallIntegerField(choices=[(100, 'REQUEST_OK'), (101, 'WRONG_PARAM'), (102, 'MISSING_PARAM'), (104, 'UNAUTHORIZED_ACCESS'), (105, 'UNKNOWN_CLIENT'), (109, 'UNSUPPORTED_PROFILE'), (208, 'EXPIRED_TRANSACTION'), (401, 'USER_CANCEL'), (402, 'PIN_BLOCKED'), (404, 'NO_KEY_FOUND'), (500, 'SIGNATURE'), (504, 'OUTSTANDING_TRANSACTION'), (900, 'INTERNAL_ERROR')], default=504)),
                ('signature', models.TextField(blank=True)),
                ('expires_at', models.DateTimeField()),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('ap_id', 'ap_trans_id'), name='mobile_unique_ap_trans')],
            },
        ),
        migrations.CreateModel(
            name='OtpChallenge',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code_hash', models.CharField(max_length=64)),
                ('expires_at', models.DateTimeField()),
                ('attempts', models.PositiveSmallIntegerField(default=0)),
                ('used', models.BooleanField(default=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('credential', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='otps', to='mobile.credential')),
            ],
        ),
        migrations.CreateModel(
            name='SignatureRequest',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('channel', models.CharField(choices=[('app', 'Remote signing (key in the HSM, confirmed in the app)'), ('sim', 'SIM PKI (key on the SIM card)')], max_length=8)),
                ('hashes', models.JSONField(default=list)),
                ('hash_algo', models.CharField(default='sha256', max_length=16)),
                ('display_text', models.CharField(max_length=500, verbose_name='text shown to the holder')),
                ('state', models.CharField(choices=[('pending', 'Waiting for the holder'), ('signed', 'Signed'), ('refused', 'Refused by the holder'), ('expired', 'Expired'), ('failed', 'Failed')], db_index=True, default='pending', max_length=10, verbose_name='state')),
                ('signatures', models.JSONField(blank=True, default=list)),
                ('client_ref', models.CharField(blank=True, max_length=100)),
                ('mssp_trans_id', models.CharField(blank=True, max_length=64)),
                ('error_code', models.CharField(blank=True, max_length=64)),
                ('error_message', models.CharField(blank=True, max_length=300)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('expires_at', models.DateTimeField()),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('credential', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='requests', to='mobile.credential')),
                ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('document', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='files.storedfile')),
                ('document_format', models.CharField(blank=True, help_text='P (PAdES) or X (XAdES)', max_length=1)),
                ('document_level', models.CharField(blank=True, max_length=4)),
                ('signed_document', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='files.storedfile')),
            ],
            options={
                'verbose_name': 'signature request',
                'verbose_name_plural': 'signature requests',
                'ordering': ['-created_at'],
            },
        ),
    ]
