"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renovation.settings")

application = get_asgi_application()

from communities.core.gc_tuning import tune_for_serving  # noqa: E402 (needs the apps loaded)

tune_for_serving()
