"""The staff roles as groups with their permissions (see communities.access.models.Role).

Permissions are normally created after all migrations have run; they are created here first so
the groups can hold them on a fresh database. Running it again only adds what is missing.
"""

from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

# The models a district's staff edit within their districts (communities.core.scoping.DISTRICT_PATHS).
DISTRICT_MODELS = [
    "community",
    "building",
    "renovationitem",
    "fundingline",
    "facility",
    "propertyservice",
    "household",
    "elevatorretrofit",
    "ownervote",
    "stagetransition",
    "proposal",
    "designplan",
    "designdocument",
    "rating",
    "repairrequest",
    "repairevent",
    "gridassignment",
]
# City-wide records district staff read but do not change.
CITY_MODELS = ["district", "renovationkind", "voterule", "subsidyrule"]
ACTIONS = ["view", "add", "change", "delete"]

ROLES = {
    # Everything in the app (the scope model included), across the whole city.
    "city_admin": None,
    "district_staff": [
        *(f"{action}_{model}" for model in DISTRICT_MODELS for action in ACTIONS),
        *(f"view_{model}" for model in CITY_MODELS),
        "decide_proposal",
        "approve_designplan",
    ],
    "property_company": [
        "view_community",
        "view_building",
        "view_repairrequest",
        "change_repairrequest",
        "view_repairevent",
        "view_propertyservice",
        "change_propertyservice",
    ],
    # Read-only: every view permission except the staff scopes (who may do what).
    "viewer": "view",
}


def seed_roles(apps, schema_editor):
    app_config = apps.get_app_config("communities")
    app_config.models_module = True
    create_contenttypes(app_config, apps=apps, verbosity=0)
    create_permissions(app_config, apps=apps, verbosity=0)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label="communities")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        if codenames is None:
            permissions = ours
        elif codenames == "view":
            permissions = ours.filter(codename__startswith="view_").exclude(
                codename__endswith="_staffscope"
            )
        else:
            permissions = ours.filter(codename__in=codenames)
        group.permissions.add(*permissions)


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0009_staff_scope"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(seed_roles, remove_roles)]
