"""Migrations 0001 to 0002, squashed on 07/12/2026: the same schema and the same frozen data steps, in their
order (none imports live Kyso code). `replaces` marks it applied where all of them are; an installation that
has only some upgrades through the release before the squash first (docs/deploy.md)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('jobs', '0001_initial'), ('jobs', '0002_job_names_in_words')]

    initial = True

    dependencies = [
        ('org', '0002_contact_changes_squashed_0004_levels_say_who_issues_and_receives'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Job',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=80)),
                ('params', models.JSONField(blank=True, default=dict)),
                ('items', models.JSONField(blank=True, default=list)),
                ('position', models.PositiveIntegerField(default=0)),
                ('done', models.PositiveIntegerField(default=0)),
                ('failures', models.JSONField(blank=True, default=list)),
                ('result', models.JSONField(blank=True, null=True)),
                ('state', models.CharField(choices=[('queued', 'Waiting'), ('running', 'Running'), ('finished', 'Finished'), ('failed', 'Failed')], default='queued', max_length=12)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('run_after', models.DateTimeField()),
                ('attempts', models.PositiveIntegerField(default=0)),
                ('owner', models.CharField(blank=True, max_length=120)),
                ('heartbeat_at', models.DateTimeField(blank=True, null=True)),
                ('started_at', models.DateTimeField(blank=True, null=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('error_code', models.CharField(blank=True, max_length=80)),
                ('error_message', models.TextField(blank=True)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.unit')),
            ],
        ),
        migrations.CreateModel(
            name='JobLock',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=120, unique=True)),
                ('job', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='locks', to='jobs.job')),
            ],
        ),
        migrations.CreateModel(
            name='PeriodicRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=80, unique=True)),
                ('period', models.CharField(max_length=40)),
                ('claimed_at', models.DateTimeField()),
                ('claimed_by', models.CharField(blank=True, max_length=120)),
                ('job', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='jobs.job')),
            ],
        ),
        migrations.AddIndex(
            model_name='job',
            index=models.Index(fields=['state', 'run_after'], name='jobs_job_state_8034c1_idx'),
        ),
        migrations.AddIndex(
            model_name='job',
            index=models.Index(fields=['kind', 'state'], name='jobs_job_kind_11e276_idx'),
        ),
        migrations.AlterModelOptions(
            name='job',
            options={'verbose_name': 'background job', 'verbose_name_plural': 'background jobs'},
        ),
        migrations.AlterField(
            model_name='job',
            name='done',
            field=models.PositiveIntegerField(default=0, verbose_name='items done'),
        ),
        migrations.AlterField(
            model_name='job',
            name='error_message',
            field=models.TextField(blank=True, verbose_name='why it stopped'),
        ),
        migrations.AlterField(
            model_name='job',
            name='failures',
            field=models.JSONField(blank=True, default=list, verbose_name='items refused'),
        ),
    ]
