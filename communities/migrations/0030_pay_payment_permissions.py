"""The owners' money in the staff roles (communities/migrations/0010_seed_staff_roles.py):
district staff keep their districts' invoices and payments and read the collection rules; the
city administrator has everything (the rules too); the viewer reads everything."""

from django.db import migrations

from communities.access.role_grants import staff_role_grants


class Migration(migrations.Migration):
    dependencies = [("communities", "0029_pay_owners_payments")]

    operations = [
        staff_role_grants(district=["shareinvoice", "sharepayment"], city=["collectionrule"])
    ]
