"""Frozen: the schema of the keyed chain only. Records written before it (an installation older than the keyed
chain) are keyed by the operator with `kyso audit key-legacy --up-to SEQ` — a deliberate, audited act that needs
the audit key from the key store, which a migration must not reach into."""

from django.db import migrations, models


def tell_about_unkeyed_records(apps, schema_editor):
    AuditRecord = apps.get_model("audit", "AuditRecord")
    last = AuditRecord.objects.order_by("-seq").values_list("seq", flat=True).first()
    if last is not None:
        print(f"\n  Nhật ký có {AuditRecord.objects.count()} bản ghi chưa có mã xác thực khóa: chạy "
              f"`kyso audit key-legacy --up-to {last}` sau khi cập nhật.")


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditrecord',
            name='key_id',
            field=models.CharField(blank=True, max_length=16),
        ),
        migrations.AddField(
            model_name='auditrecord',
            name='mac',
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.RunPython(tell_about_unkeyed_records, migrations.RunPython.noop),
    ]
