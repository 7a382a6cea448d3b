"""Migrations 0001 to 0003, squashed on 07/12/2026: the same schema and the same frozen data steps, in their
order (none imports live Kyso code). `replaces` marks it applied where all of them are; an installation that
has only some upgrades through the release before the squash first (docs/deploy.md)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('pki', '0001_initial'), ('pki', '0002_tokenpin'), ('pki', '0003_ocsp_presigned')]

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='TimestampRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('serial', models.CharField(max_length=64, unique=True)),
                ('gen_time', models.DateTimeField(db_index=True)),
                ('hash_algorithm', models.CharField(max_length=20)),
                ('message_imprint', models.CharField(max_length=128)),
                ('policy', models.CharField(max_length=100)),
            ],
            options={
                'ordering': ['-gen_time'],
            },
        ),
        migrations.CreateModel(
            name='CertificateAuthority',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.SlugField(max_length=40, unique=True, verbose_name='name')),
                ('cert_der', models.BinaryField()),
                ('key_label', models.CharField(max_length=100)),
                ('key_store', models.CharField(default='software', max_length=20)),
                ('revocation_version', models.PositiveBigIntegerField(default=0)),
                ('crl_number', models.PositiveBigIntegerField(default=0)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='pki.certificateauthority')),
            ],
            options={
                'verbose_name': 'certification authority',
                'verbose_name_plural': 'certification authorities',
            },
        ),
        migrations.CreateModel(
            name='TokenPin',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token_label', models.CharField(max_length=64, unique=True)),
                ('failures', models.PositiveSmallIntegerField(default=0)),
                ('locked_at', models.DateTimeField(blank=True, null=True, verbose_name='locked at')),
                ('unlocked_at', models.DateTimeField(blank=True, null=True)),
                ('unlocked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'token PIN counter',
                'verbose_name_plural': 'token PIN counters',
            },
        ),
        migrations.CreateModel(
            name='IssuedCertificate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('serial', models.CharField(db_index=True, help_text='Lower-case hexadecimal.', max_length=64, verbose_name='serial number')),
                ('profile', models.CharField(choices=[('person', 'Person'), ('organization', 'Organisation (seal)'), ('ocsp', 'OCSP responder'), ('tsa', 'Time-stamping authority'), ('ca', 'Certification authority')], max_length=20, verbose_name='profile')),
                ('subject_dn', models.TextField(verbose_name='subject')),
                ('common_name', models.CharField(db_index=True, max_length=255, verbose_name='common name')),
                ('email', models.CharField(blank=True, db_index=True, max_length=254, verbose_name='e-mail')),
                ('not_before', models.DateTimeField(verbose_name='valid from')),
                ('not_after', models.DateTimeField(db_index=True, verbose_name='valid until')),
                ('der', models.BinaryField()),
                ('fingerprint', models.CharField(max_length=64, unique=True)),
                ('status', models.CharField(choices=[('good', 'Valid'), ('revoked', 'Revoked'), ('hold', 'Suspended')], db_index=True, default='good', max_length=10, verbose_name='status')),
                ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='revoked at')),
                ('revocation_reason', models.CharField(blank=True, max_length=30, verbose_name='revocation reason')),
                ('invalidity_date', models.DateTimeField(blank=True, null=True)),
                ('key_location', models.CharField(blank=True, help_text="Where the private key is: a PKCS#11 URI for a token, 'csr' when the subscriber kept it.", max_length=300, verbose_name='key location')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('ca', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='issued', to='pki.certificateauthority')),
                ('status_version', models.PositiveBigIntegerField(default=0)),
            ],
            options={
                'verbose_name': 'issued certificate',
                'verbose_name_plural': 'issued certificates',
                'ordering': ['-created_at'],
                'indexes': [models.Index(fields=['ca', 'status'], name='pki_issuedc_ca_id_bf478b_idx'), models.Index(fields=['ca', 'status_version'], name='pki_issuedc_ca_id_992d2f_idx')],
                'constraints': [models.UniqueConstraint(fields=('ca', 'serial'), name='pki_unique_serial_per_ca')],
            },
        ),
        migrations.CreateModel(
            name='OcspResponse',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('serial', models.CharField(max_length=64)),
                ('algorithm', models.CharField(max_length=10)),
                ('status_version', models.PositiveBigIntegerField()),
                ('next_update', models.BigIntegerField(db_index=True)),
                ('der', models.BinaryField()),
                ('ca', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='pki.certificateauthority')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('ca', 'serial', 'algorithm'), name='pki_one_ocsp_response')],
            },
        ),
    ]
