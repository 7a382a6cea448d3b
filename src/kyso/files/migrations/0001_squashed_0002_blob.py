"""Migrations 0001 to 0002, squashed on 07/12/2026: the same schema and the same frozen data steps, in their
order (none imports live Kyso code). `replaces` marks it applied where all of them are; an installation that
has only some upgrades through the release before the squash first (docs/deploy.md)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('files', '0001_initial'), ('files', '0002_blob')]

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='StoredFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sha256', models.CharField(db_index=True, max_length=64)),
                ('size', models.BigIntegerField()),
                ('media_type', models.CharField(max_length=120)),
                ('name', models.CharField(max_length=255, verbose_name='file name')),
                ('purpose', models.CharField(blank=True, db_index=True, max_length=60, verbose_name='purpose')),
                ('unit_path', models.CharField(blank=True, db_index=True, max_length=500)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('created_by', models.CharField(blank=True, max_length=150)),
            ],
            options={
                'verbose_name': 'stored file',
                'verbose_name_plural': 'stored files',
            },
        ),
        migrations.CreateModel(
            name='Blob',
            fields=[
                ('name', models.CharField(max_length=200, primary_key=True, serialize=False)),
                ('size', models.BigIntegerField()),
                ('data', models.BinaryField()),
            ],
            options={
                'verbose_name': 'archived bytes',
                'verbose_name_plural': 'archived bytes',
            },
        ),
    ]
