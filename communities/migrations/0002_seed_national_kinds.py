from django.db import migrations


def seed(apps, schema_editor):
    from communities.works.kinds import NATIONAL_KINDS

    RenovationKind = apps.get_model("communities", "RenovationKind")
    for order, (code, name, name_en, category, reinforcement) in enumerate(NATIONAL_KINDS):
        RenovationKind.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "category": category,
                "is_reinforcement": reinforcement,
                "sort_order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("communities", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
