from django.db import migrations, models

from kyso.audit import chain, keys


def key_existing_records(apps, schema_editor):
    """MAC the records written before the chain was keyed (their plain hashes are kept and still checked)."""
    AuditRecord = apps.get_model("audit", "AuditRecord")
    if not AuditRecord.objects.exists():
        return
    audit_keys = keys.keys()
    for rec in AuditRecord.objects.filter(mac="").order_by("seq").only("pk", "seq", "hash").iterator(chunk_size=2000):
        key_id, tag = audit_keys.mac(chain.mac_message(rec.seq, rec.hash))
        AuditRecord.objects.filter(pk=rec.pk).update(key_id=key_id, mac=tag.hex())


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
        migrations.RunPython(key_existing_records, migrations.RunPython.noop),
    ]
