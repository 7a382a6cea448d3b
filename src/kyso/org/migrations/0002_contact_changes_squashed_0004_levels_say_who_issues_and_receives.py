"""Migrations 0002 to 0004, squashed on 07/12/2026: the same schema and the same frozen data steps, in their
order (none imports live Kyso code). `replaces` marks it applied where all of them are; an installation that
has only some upgrades through the release before the squash first (docs/deploy.md)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


# Frozen here as the code had them (eoffice's ISSUER_LEVELS, the portal desk's levels): who issues documents in its
# own name and who keeps a one-stop desk. Administrators change the flags later; this migration imports no Kyso code.
ISSUE_DOCUMENTS = ("hq", "province", "district")
RECEIVE_DOSSIERS = ("province", "district")

def flag_levels(apps, schema_editor):
    UnitLevel = apps.get_model("org", "UnitLevel")
    UnitLevel.objects.filter(code__in=ISSUE_DOCUMENTS).update(issues_documents=True)
    UnitLevel.objects.filter(code__in=RECEIVE_DOSSIERS).update(receives_dossiers=True)


class Migration(migrations.Migration):

    replaces = [('org', '0002_contact_changes'), ('org', '0003_duty_exceptions'), ('org', '0004_levels_say_who_issues_and_receives')]

    dependencies = [
        ('org', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ContactChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('field', models.CharField(max_length=20, verbose_name='contact')),
                ('old_value', models.CharField(blank=True, max_length=254, verbose_name='old value')),
                ('new_value', models.CharField(max_length=254, verbose_name='new value')),
                ('state', models.CharField(choices=[('pending', 'Waiting for confirmation'), ('applied', 'Applied'), ('cancelled', 'Cancelled'), ('expired', 'Expired')], default='pending', max_length=12, verbose_name='state')),
                ('requested_at', models.DateTimeField(auto_now_add=True, verbose_name='requested at')),
                ('code_hash', models.CharField(blank=True, max_length=64)),
                ('attempts', models.PositiveSmallIntegerField(default=0)),
                ('expires_at', models.DateTimeField(verbose_name='expires at')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                ('method', models.CharField(blank=True, max_length=20, verbose_name='confirmed by')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='contact_changes', to='org.person', verbose_name='person')),
                ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='requested by')),
            ],
            options={
                'verbose_name': 'contact change',
                'verbose_name_plural': 'contact changes',
                'ordering': ['-requested_at'],
                'indexes': [models.Index(fields=['person', 'state'], name='org_contact_person__c8e9fe_idx')],
            },
        ),
        migrations.CreateModel(
            name='DutyException',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('step', models.CharField(help_text='The step allowed to the same person.', max_length=120, verbose_name='step')),
                ('other', models.CharField(help_text='The step he already did.', max_length=120, verbose_name='earlier step')),
                ('reason', models.TextField(verbose_name='reason')),
                ('valid_until', models.DateField(verbose_name='valid until')),
                ('set_at', models.DateTimeField(auto_now_add=True, verbose_name='set at')),
                ('ended_at', models.DateTimeField(blank=True, null=True, verbose_name='ended at')),
                ('set_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='set by')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='duty_exceptions', to='org.unit', verbose_name='unit')),
            ],
            options={
                'verbose_name': 'four-eyes exception',
                'verbose_name_plural': 'four-eyes exceptions',
                'ordering': ['-set_at'],
            },
        ),
        migrations.AddField(
            model_name='unitlevel',
            name='issues_documents',
            field=models.BooleanField(default=False, help_text='Units of this level with a seal of their own issue official documents in their own name (Decree 30).', verbose_name='issues documents'),
        ),
        migrations.AddField(
            model_name='unitlevel',
            name='receives_dossiers',
            field=models.BooleanField(default=False, help_text='Units of this level with a seal of their own keep a one-stop desk that receives dossiers.', verbose_name='receives dossiers'),
        ),
        migrations.RunPython(
            code=flag_levels,  # FROM org.0004_levels_say_who_issues_and_receives
            reverse_code=migrations.RunPython.noop,
        ),
    ]
