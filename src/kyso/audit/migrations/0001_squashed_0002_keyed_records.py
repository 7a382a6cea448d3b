"""Migrations 0001 to 0002, squashed on 07/12/2026: the same schema and the same frozen data steps, in their
order (none imports live Kyso code). `replaces` marks it applied where all of them are; an installation that
has only some upgrades through the release before the squash first (docs/deploy.md)."""

from django.db import migrations, models


# 0002_keyed_records: Frozen: the schema of the keyed chain only. Records written before it (an installation older than the keyed
# chain) are keyed by the operator with `kyso audit key-legacy --up-to SEQ` — a deliberate, audited act that needs
# the audit key from the key store, which a migration must not reach into.

def tell_about_unkeyed_records(apps, schema_editor):
    AuditRecord = apps.get_model("audit", "AuditRecord")
    last = AuditRecord.objects.order_by("-seq").values_list("seq", flat=True).first()
    if last is not None:
        print(f"\n  Nhật ký có {AuditRecord.objects.count()} bản ghi chưa có mã xác thực khóa: chạy "
              f"`kyso audit key-legacy --up-to {last}` sau khi cập nhật.")


class Migration(migrations.Migration):

    replaces = [('audit', '0001_initial'), ('audit', '0002_keyed_records')]

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='ChainHead',
            fields=[
                ('id', models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ('seq', models.BigIntegerField(default=0)),
                ('hash', models.CharField(max_length=64)),
                ('since_checkpoint', models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name='Checkpoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('seq', models.BigIntegerField(db_index=True)),
                ('head_hash', models.CharField(max_length=64)),
                ('at', models.DateTimeField()),
                ('key_label', models.CharField(max_length=100)),
                ('key_fingerprint', models.CharField(max_length=64)),
                ('algorithm', models.CharField(max_length=40)),
                ('signature', models.TextField()),
            ],
            options={
                'ordering': ['-seq', '-id'],
            },
        ),
        migrations.CreateModel(
            name='AuditRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('seq', models.BigIntegerField(unique=True, verbose_name='sequence')),
                ('at', models.DateTimeField(db_index=True, verbose_name='time')),
                ('actor', models.CharField(db_index=True, max_length=150, verbose_name='actor')),
                ('actor_id', models.BigIntegerField(blank=True, null=True)),
                ('channel', models.CharField(max_length=10, verbose_name='channel')),
                ('action', models.CharField(db_index=True, max_length=120, verbose_name='action')),
                ('object_type', models.CharField(blank=True, max_length=80, verbose_name='object type')),
                ('object_id', models.CharField(blank=True, max_length=64, verbose_name='object id')),
                ('object_repr', models.CharField(blank=True, max_length=255, verbose_name='object')),
                ('unit_path', models.CharField(blank=True, db_index=True, help_text='Unit subtree the object belongs to: scopes who may read the record.', max_length=500)),
                ('before', models.TextField(blank=True, verbose_name='before')),
                ('after', models.TextField(blank=True, verbose_name='after')),
                ('request_id', models.CharField(blank=True, max_length=64, verbose_name='request id')),
                ('client_ip', models.CharField(blank=True, max_length=45, verbose_name='client address')),
                ('prev_hash', models.CharField(max_length=64)),
                ('hash', models.CharField(max_length=64)),
                ('key_id', models.CharField(blank=True, max_length=16)),
                ('mac', models.CharField(blank=True, max_length=64)),
            ],
            options={
                'verbose_name': 'audit record',
                'verbose_name_plural': 'audit records',
                'ordering': ['-seq'],
                'indexes': [models.Index(fields=['object_type', 'object_id'], name='audit_audit_object__15cb14_idx')],
            },
        ),
        migrations.RunPython(
            code=tell_about_unkeyed_records,  # FROM audit.0002_keyed_records
            reverse_code=migrations.RunPython.noop,
        ),
    ]
