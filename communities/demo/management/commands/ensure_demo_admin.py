"""Make sure the demo superuser ``admin`` exists, so `make run` opens onto a usable admin."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create the demo superuser 'admin' (password from DEMO_ADMIN_PASSWORD, or generated and "
        "printed). An existing user keeps its password unless DEMO_ADMIN_PASSWORD is set."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        password = os.environ.get("DEMO_ADMIN_PASSWORD", "")
        user = User.objects.filter(username="admin").first()
        if user is not None and not password:
            self.stdout.write("Demo superuser 'admin' exists; its password is unchanged.")
            return
        generated = not password
        password = password or secrets.token_urlsafe(12)
        if user is None:
            user = User(username="admin", email="admin@example.com")
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
        shown = password if generated else "(from DEMO_ADMIN_PASSWORD)"
        self.stdout.write(self.style.SUCCESS(f"Demo superuser: admin / {shown}"))
