"""The staff roles' permissions on a part's new models, granted by that part's migration.

The roles are seeded by ``communities/migrations/0010_seed_staff_roles.py``; a part that adds
models grants them in one line of its own migration::

    operations = [staff_role_grants(district=["inspection", ...], city=["party"])]

- ``district`` models (scoped by district): district staff and the city administrator may view,
  add, change and delete them; the viewer views them.
- ``city`` models (city-wide, such as parties and rules): the city administrator has every
  action; district staff and the viewer view them.

Reversing the migration takes exactly those permissions back. Migrations run this code as it is
today, so what it grants must never change for models already granted: a new rule is a new
function.
"""

from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

ACTIONS = ("view", "add", "change", "delete")


def _codenames(district: list[str], city: list[str]) -> dict[str, list[str]]:
    return {
        "city_admin": [f"{a}_{m}" for m in [*district, *city] for a in ACTIONS],
        "district_staff": [
            *(f"{a}_{m}" for m in district for a in ACTIONS),
            *(f"view_{m}" for m in city),
        ],
        "viewer": [f"view_{m}" for m in [*district, *city]],
    }


def staff_role_grants(*, district: list[str], city: list[str] = ()) -> migrations.RunPython:
    roles = _codenames(list(district), list(city))

    def grant(apps, schema_editor):
        app_config = apps.get_app_config("communities")
        app_config.models_module = True
        create_contenttypes(app_config, apps=apps, verbosity=0)
        create_permissions(app_config, apps=apps, verbosity=0)
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
        ours = Permission.objects.filter(content_type__app_label="communities")
        for name, codenames in roles.items():
            group = Group.objects.filter(name=name).first()
            if group is not None:
                group.permissions.add(*ours.filter(codename__in=codenames))

    def revoke(apps, schema_editor):
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
        ours = Permission.objects.filter(content_type__app_label="communities")
        for name, codenames in roles.items():
            group = Group.objects.filter(name=name).first()
            if group is not None:
                group.permissions.remove(*ours.filter(codename__in=codenames))

    return migrations.RunPython(grant, revoke)
