"""Construction supervision in the staff roles (communities/migrations/0010_seed_staff_roles.py):
district staff keep their districts' inspections, findings, orders and item parties and read
the city's parties; the city administrator has everything; the viewer reads everything."""

from django.db import migrations

from communities.access.role_grants import staff_role_grants


class Migration(migrations.Migration):
    dependencies = [("communities", "0027_con_construction")]

    operations = [
        staff_role_grants(district=["inspection", "finding", "rectificationorder", "itemparty"], city=["party"])
    ]
