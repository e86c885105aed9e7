"""The seeded kinds in the national categories of 国办发〔2020〕23号 (issue 15).

Household-waste sorting is basic; lighting and energy-saving retrofit (wall insulation) are
improvement; childcare is enhancement and children's play areas, once one kind with it, are a
kind of their own in improvement. Items keep their kind; each kind moved or renamed gets a
history record with the reason. A fresh install seeds the corrected list (0002 reads
``communities.works.kinds``), so there is nothing to move and nothing is recorded.
"""

from django.db import migrations
from django.utils import timezone

REASON = "国办发〔2020〕23号: national category corrected"

# code: (category before, category now)
MOVES = {
    "waste-sorting": ("improvement", "basic"),
    "lighting": ("basic", "improvement"),
    "wall-insulation": ("basic", "improvement"),
}
# code: ((name before, English before), (name now, English now))
RENAMES = {
    "childcare": (("托育及儿童游乐设施", "Childcare and children's play"), ("托育设施", "Childcare")),
}
NEW_KIND = ("children-play", "儿童游乐设施", "Children's play areas", "improvement")


def _record(Historical, kind, reason: str) -> None:
    Historical.objects.create(
        id=kind.pk,
        code=kind.code,
        name=kind.name,
        name_en=kind.name_en,
        category=kind.category,
        is_reinforcement=kind.is_reinforcement,
        sort_order=kind.sort_order,
        history_date=timezone.now(),
        history_change_reason=reason,
        history_type="~",
    )


def forwards(apps, schema_editor):
    Kind = apps.get_model("communities", "RenovationKind")
    Historical = apps.get_model("communities", "HistoricalRenovationKind")
    for code, (before, now) in MOVES.items():
        kind = Kind.objects.filter(code=code, category=before).first()
        if kind is None:
            continue
        kind.category = now
        kind.save(update_fields=["category"])
        _record(Historical, kind, REASON)
    for code, ((name, name_en), (new_name, new_name_en)) in RENAMES.items():
        kind = Kind.objects.filter(code=code, name=name, name_en=name_en).first()
        if kind is None:
            continue
        kind.name, kind.name_en = new_name, new_name_en
        kind.save(update_fields=["name", "name_en"])
        _record(Historical, kind, "国办发〔2020〕23号: childcare apart from children's play")
    code, name, name_en, category = NEW_KIND
    if not Kind.objects.filter(code=code).exists():
        order = max(Kind.objects.values_list("sort_order", flat=True), default=0) + 1
        kind = Kind.objects.create(
            code=code, name=name, name_en=name_en, category=category, sort_order=order
        )
        Historical.objects.create(
            id=kind.pk,
            code=code,
            name=name,
            name_en=name_en,
            category=category,
            is_reinforcement=False,
            sort_order=order,
            history_date=timezone.now(),
            history_change_reason=REASON,
            history_type="+",
        )


def backwards(apps, schema_editor):
    Kind = apps.get_model("communities", "RenovationKind")
    for code, (before, now) in MOVES.items():
        Kind.objects.filter(code=code, category=now).update(category=before)
    for code, ((name, name_en), (new_name, new_name_en)) in RENAMES.items():
        Kind.objects.filter(code=code, name=new_name).update(name=name, name_en=name_en)


class Migration(migrations.Migration):
    dependencies = [("communities", "0024_fw_building_appraisals")]

    operations = [migrations.RunPython(forwards, backwards)]
