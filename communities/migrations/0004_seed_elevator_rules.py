"""Seed the two vote rules and Tai'an's subsidy rule, and give existing retrofits the default
vote rule before 0005 makes the rule required."""

from decimal import Decimal

from django.conf import settings
from django.db import migrations

VOTE_RULES = [
    {
        "code": "civil-code-278",
        "name": "民法典第二百七十八条",
        "name_en": "Civil Code art. 278",
        "legal_basis": "《中华人民共和国民法典》第二百七十八条",
        "participation_area_num": 2,
        "participation_area_den": 3,
        "participation_headcount_num": 2,
        "participation_headcount_den": 3,
        "approval_area_num": 3,
        "approval_area_den": 4,
        "approval_headcount_num": 3,
        "approval_headcount_den": 4,
        "approval_of_participants": True,
        "no_objection": False,
    },
    {
        "code": "chengdu-2018",
        "name": "成都市2018年既有住宅增设电梯规定",
        "name_en": "Chengdu 2018",
        "legal_basis": "成都市既有住宅增设电梯工作实施方案（2018）",
        "participation_area_num": 0,
        "participation_area_den": 1,
        "participation_headcount_num": 0,
        "participation_headcount_den": 1,
        "approval_area_num": 2,
        "approval_area_den": 3,
        "approval_headcount_num": 2,
        "approval_headcount_den": 3,
        "approval_of_participants": False,
        "no_objection": True,
    },
]

TAIAN_2021 = {
    "region_name": "泰安市",
    "region_code": "370900",
    "min_storeys": 4,
    "amount_per_elevator": Decimal("150000.00"),
    "cap_percent": None,
    "valid_from_year": 2021,
    "valid_to_year": None,
    "source": "泰安市既有住宅加装电梯财政补助（2021）：4层及以上住宅每部电梯最高补助15万元",
}


def seed(apps, schema_editor):
    VoteRule = apps.get_model("communities", "VoteRule")
    SubsidyRule = apps.get_model("communities", "SubsidyRule")
    ElevatorRetrofit = apps.get_model("communities", "ElevatorRetrofit")
    for rule in VOTE_RULES:
        VoteRule.objects.get_or_create(code=rule["code"], defaults=rule)
    SubsidyRule.objects.get_or_create(
        region_code=TAIAN_2021["region_code"],
        min_storeys=TAIAN_2021["min_storeys"],
        valid_from_year=TAIAN_2021["valid_from_year"],
        defaults=TAIAN_2021,
    )
    code = settings.RENOVATION.get("ELEVATOR_VOTE_RULE", "civil-code-278")
    default = VoteRule.objects.filter(code=code).first() or VoteRule.objects.get(
        code="civil-code-278"
    )
    ElevatorRetrofit.objects.filter(vote_rule__isnull=True).update(vote_rule=default)


class Migration(migrations.Migration):
    dependencies = [("communities", "0003_elevator_votes_stages_subsidy")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
