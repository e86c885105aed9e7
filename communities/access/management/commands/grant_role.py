"""Give a user one staff role, and the districts or company it applies to."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from communities.access.choices import Role
from communities.access.models import StaffScope
from communities.places.models import District


class Command(BaseCommand):
    help = (
        "Make USER a staff member with ROLE (city_admin, district_staff, property_company, "
        "viewer), replacing any other role. District staff need --district; a property company "
        "needs --company (the provider name of its property service records); a viewer with "
        "districts reads only those."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=Role.values)
        parser.add_argument(
            "--district",
            action="append",
            default=[],
            metavar="CODE",
            help="A district's six-digit code; repeat for several.",
        )
        parser.add_argument("--company", default="", help="The property company's name.")

    def handle(self, *args, username, role, district, company, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        codes = sorted(set(district))
        districts = list(District.objects.filter(code__in=codes))
        unknown = sorted(set(codes) - {d.code for d in districts})
        if unknown:
            raise CommandError(f"No district with code {', '.join(unknown)}.")
        company = company.strip()
        if role == Role.DISTRICT_STAFF and not districts:
            raise CommandError("District staff need at least one --district.")
        if role == Role.PROPERTY_COMPANY and not company:
            raise CommandError("A property company needs --company.")
        if role == Role.CITY_ADMIN and (districts or company):
            raise CommandError("A city administrator acts for the whole city: no scope.")
        if company and role != Role.PROPERTY_COMPANY:
            raise CommandError("--company applies to the property_company role only.")

        group = Group.objects.filter(name=role).first()
        if group is None:
            raise CommandError(f"The group {role!r} is missing; run migrate.")
        with transaction.atomic():
            user.is_staff = True
            user.save(update_fields=["is_staff"])
            user.groups.remove(*Group.objects.filter(name__in=Role.values))
            user.groups.add(group)
            scope, _ = StaffScope.objects.get_or_create(user=user)
            scope.company = company
            scope.save(update_fields=["company"])
            scope.districts.set(districts)
        where = ", ".join(d.code for d in districts) or company or "the whole city"
        self.stdout.write(self.style.SUCCESS(f"{username}: {role} ({where})."))
