"""Community photos in the staff roles (as 0028_con_staff_roles does for inspections): district
staff keep their districts' photos, the city administrator has them all, the viewer reads them."""

from django.db import migrations

from communities.access.role_grants import staff_role_grants


class Migration(migrations.Migration):
    dependencies = [("communities", "0031_pho_photos")]

    operations = [staff_role_grants(district=["photo"])]
