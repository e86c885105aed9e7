"""WSGI entry point: ``gunicorn renovation.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renovation.settings")

application = get_wsgi_application()

from communities.core.gc_tuning import tune_for_serving  # noqa: E402 (needs the apps loaded)

tune_for_serving()
