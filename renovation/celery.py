"""The worker's Celery app: ``celery -A renovation worker`` (docs/deployment.md, Worker).

Configured from Django's settings under the ``CELERY_`` prefix: the broker is
``CELERY_BROKER_URL`` or else ``REDIS_URL``; with neither (the embedded default) every task runs
in the process that sends it (``task_always_eager``), so nothing waits for a worker that is not
there. The tasks live with their parts (``communities/*/tasks.py``, ``shared_task``), found here
by autodiscovery.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renovation.settings")

app = Celery("renovation")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
