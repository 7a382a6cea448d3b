"""The appendix of letter 346/BHXH-CNTT (07/02/2020): data allowance by title. The fees are reference prices for a
unit's contract (postpaid line rental, a 4G daily-allowance package, the one-off connection fee), editable.
Applied by the data migration (a frozen copy), and again by the demo and tests when a flushed database lost it."""

from .models import DataPlan

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


def apply() -> None:
    """Create the plans that are missing; never overwrite what the IT Center edited."""
    for tier, name, rules, mb, down, up, fee in PLANS:
        DataPlan.objects.get_or_create(tier=tier, defaults=dict(
            name=name, title_rules=rules, high_speed_mb_per_day=mb, throttled_down_kbps=down, throttled_up_kbps=up,
            data_fee_vnd=fee, line_fee_vnd=50000, connection_fee_vnd=35000))
