"""Seed the data plans of letter 346's appendix — frozen here as they were when the registry began (the live
list is `kyso.sims.seed`, which the demo and tests apply; this migration imports nothing of Kyso)."""

from django.db import migrations

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
    dependencies = [("sims", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
