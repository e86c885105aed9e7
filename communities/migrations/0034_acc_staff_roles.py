"""Acceptance (竣工验收) and settlement (结算审计) in the staff roles, as
0028_con_staff_roles: district staff keep their districts' acceptances (with their attendees,
documents and conditions) and settlements; the city administrator has everything; the viewer
reads everything."""

from django.db import migrations

from communities.access.role_grants import staff_role_grants


class Migration(migrations.Migration):
    dependencies = [("communities", "0033_acc_acceptance_settlement")]

    operations = [
        staff_role_grants(
            district=[
                "acceptance",
                "acceptanceparty",
                "acceptanceresident",
                "acceptancedocument",
                "acceptancecondition",
                "settlement",
            ]
        )
    ]
