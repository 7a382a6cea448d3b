"""Migrations 0001 to 0003, squashed on 07/12/2026: the same schema and the same frozen data steps, in their
order (none imports live Kyso code). `replaces` marks it applied where all of them are; an installation that
has only some upgrades through the release before the squash first (docs/deploy.md)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


# 0002_seed_plans: Seed the data plans of letter 346's appendix — frozen here as they were when the registry began (the live
# list is `kyso.sims.seed`, which the demo and tests apply; this migration imports nothing of Kyso).

PLANS = [
    (1, "Tổng Giám đốc", "Tổng Giám đốc @hq", 3072, 256, 256, 150000),
    (2, "Phó Tổng Giám đốc và các chức danh tương đương", "Phó Tổng Giám đốc @hq", 3072, 128, 128, 150000),
    (3, "Vụ trưởng, Trưởng ban, Giám đốc BHXH cấp tỉnh, Giám đốc, Phó Giám đốc BHXH thành phố Hà Nội, "
        "thành phố Hồ Chí Minh và các chức danh tương đương",
     "Vụ trưởng\nTrưởng ban\nChánh Văn phòng @hq_unit\nGiám đốc @hq_unit\nGiám đốc @province\n"
     "Phó Giám đốc @province:Hà Nội\nPhó Giám đốc @province:Hồ Chí Minh", 2048, 256, 256, 120000),
    (4, "Phó Vụ trưởng, Phó Trưởng ban, Phó Giám đốc BHXH cấp tỉnh và các chức danh tương đương",
     "Phó Vụ trưởng\nPhó Trưởng ban\nPhó Chánh Văn phòng @hq_unit\nPhó Giám đốc @hq_unit\nPhó Giám đốc @province",
     2048, 128, 128, 120000),
]

def seed(apps, schema_editor):
    DataPlan = apps.get_model("sims", "DataPlan")
    for tier, name, rules, mb, down, up, fee in PLANS:
        DataPlan.objects.get_or_create(tier=tier, defaults=dict(
            name=name, title_rules=rules, high_speed_mb_per_day=mb, throttled_down_kbps=down, throttled_up_kbps=up,
            data_fee_vnd=fee, line_fee_vnd=50000, connection_fee_vnd=35000))


class Migration(migrations.Migration):

    replaces = [('sims', '0001_initial'), ('sims', '0002_seed_plans'), ('sims', '0003_month_close')]

    initial = True

    dependencies = [
        ('lifecycle', '0001_squashed_0006_drop_bulkjob_for_jobs'),
        ('org', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='DataPlan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('tier', models.PositiveSmallIntegerField(unique=True, verbose_name='tier')),
                ('name', models.CharField(max_length=300, verbose_name='titles')),
                ('title_rules', models.TextField(blank=True, help_text="One title per line, optionally followed by @level or @level:province (e.g. 'Phó Giám đốc @province:Hà Nội'); the first plan (lowest tier) with a matching line is suggested for a person.", verbose_name='matching titles')),
                ('high_speed_mb_per_day', models.PositiveIntegerField(verbose_name='high-speed data per day (MB)')),
                ('throttled_down_kbps', models.PositiveIntegerField(verbose_name='speed after the allowance, down (Kbps)')),
                ('throttled_up_kbps', models.PositiveIntegerField(verbose_name='speed after the allowance, up (Kbps)')),
                ('data_fee_vnd', models.PositiveIntegerField(default=0, verbose_name='reference data fee per month (VND)')),
                ('line_fee_vnd', models.PositiveIntegerField(default=0, verbose_name='reference line rental per month (VND)')),
                ('connection_fee_vnd', models.PositiveIntegerField(default=0, verbose_name='reference connection fee (VND)')),
                ('is_active', models.BooleanField(default=True, verbose_name='in use')),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'verbose_name': 'data plan',
                'verbose_name_plural': 'data plans',
                'ordering': ['tier'],
            },
        ),
        migrations.CreateModel(
            name='SimSubscription',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('msisdn', models.CharField(db_index=True, max_length=16, verbose_name='phone number')),
                ('carrier', models.CharField(choices=[('viettel', 'Viettel'), ('vinaphone', 'VinaPhone (VNPT)'), ('mobifone', 'MobiFone')], max_length=16, verbose_name='carrier')),
                ('iccid', models.CharField(db_index=True, max_length=20, verbose_name='SIM serial (ICCID)')),
                ('in_service_on', models.DateField(verbose_name='in service from')),
                ('ended_on', models.DateField(blank=True, null=True, verbose_name='ended on')),
                ('state', models.CharField(choices=[('active', 'In service'), ('suspended', 'Suspended'), ('ended', 'Ended')], default='active', max_length=12, verbose_name='state')),
                ('data_fee_vnd', models.PositiveIntegerField(verbose_name='data fee per month (VND)')),
                ('line_fee_vnd', models.PositiveIntegerField(verbose_name='line rental per month (VND)')),
                ('connection_fee_vnd', models.PositiveIntegerField(default=0, verbose_name='connection fee (VND)')),
                ('contract', models.CharField(blank=True, max_length=120, verbose_name='contract')),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='note')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('certificate', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='sim_subscriptions', to='lifecycle.certificate', verbose_name='certificate')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='sim_subscriptions', to='org.person', verbose_name='holder')),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='subscriptions', to='sims.dataplan', verbose_name='data plan')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='sim_subscriptions', to='org.unit', verbose_name='paying unit')),
            ],
            options={
                'verbose_name': 'SIM PKI subscription',
                'verbose_name_plural': 'SIM PKI subscriptions',
                'ordering': ['unit__path', 'person__full_name', '-in_service_on'],
            },
        ),
        migrations.CreateModel(
            name='SubscriptionEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('register', 'Registered'), ('change', 'Terms changed'), ('suspend', 'Suspended'), ('resume', 'Resumed'), ('end', 'Ended')], max_length=12, verbose_name='event')),
                ('effective_on', models.DateField(verbose_name='effective from')),
                ('state', models.CharField(choices=[('active', 'In service'), ('suspended', 'Suspended'), ('ended', 'Ended')], max_length=12)),
                ('data_fee_vnd', models.PositiveIntegerField()),
                ('line_fee_vnd', models.PositiveIntegerField()),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='note')),
                ('at', models.DateTimeField(auto_now_add=True)),
                ('actor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='sims.dataplan')),
                ('subscription', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='events', to='sims.simsubscription')),
            ],
            options={
                'verbose_name': 'subscription event',
                'verbose_name_plural': 'subscription events',
                'ordering': ['effective_on', 'pk'],
            },
        ),
        migrations.AddIndex(
            model_name='simsubscription',
            index=models.Index(fields=['unit', 'state'], name='sims_simsub_unit_id_c4e34b_idx'),
        ),
        migrations.AddIndex(
            model_name='simsubscription',
            index=models.Index(fields=['person', 'state'], name='sims_simsub_person__4fb8db_idx'),
        ),
        migrations.AddConstraint(
            model_name='simsubscription',
            constraint=models.UniqueConstraint(condition=models.Q(('state', 'ended'), _negated=True), fields=('msisdn',), name='sims_unique_live_msisdn'),
        ),
        migrations.AddConstraint(
            model_name='simsubscription',
            constraint=models.UniqueConstraint(condition=models.Q(('state', 'ended'), _negated=True), fields=('iccid',), name='sims_unique_live_iccid'),
        ),
        migrations.RunPython(
            code=seed,  # FROM sims.0002_seed_plans
            reverse_code=migrations.RunPython.noop,
        ),
        migrations.CreateModel(
            name='MonthClose',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text='The first day of the month.', unique=True, verbose_name='month')),
                ('closed_at', models.DateTimeField(auto_now_add=True, verbose_name='closed at')),
                ('lines', models.PositiveIntegerField(verbose_name='lines')),
                ('total_vnd', models.BigIntegerField(verbose_name='total (VND)')),
                ('groups', models.JSONField(default=list, help_text='[{unit, carrier, lines, total_vnd}] as closed')),
                ('closed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'closed month',
                'verbose_name_plural': 'closed months',
                'ordering': ['-month'],
            },
        ),
    ]
