"""The garbage collector of a process that serves requests.

Python's cyclic collector runs a young collection whenever 700 more container objects are alive
than at the last one, an older one every tenth, and a full one, over every object the process
holds, every hundredth. A Django request leaves objects in reference cycles behind, which only
the collector frees, so that the benchmark's list ran a collection about once a request (250
young, 23 older and one full collection over some 280 requests), each walking the objects made
since start-up that had not yet reached the oldest generation; the slowest requests were those
a collection landed in (``docs/national-scale.md``, "The collector").

``tune_for_serving`` loads what the first request would (the URL configuration and with it
the views, serializers and admin), moves everything alive into the collector's permanent
generation (``gc.freeze``), which no collection scans again, and raises the thresholds
(``settings.GC_THRESHOLDS``). The WSGI and ASGI entry points call it once per process (in
each gunicorn worker, which imports the application after its fork); ``manage.py benchmark``
runs its measurements inside ``as_served``, to measure what the workers run and leave its own
process as it found it (its tests run in the test process).
"""

import gc
from contextlib import contextmanager

from django.conf import settings
from django.urls import get_resolver


def tune_for_serving() -> None:
    """Freeze what start-up made and apply ``settings.GC_THRESHOLDS`` (empty: Python's own
    collector is left as it is)."""
    thresholds = settings.GC_THRESHOLDS
    if not thresholds:
        return
    get_resolver().url_patterns  # noqa: B018 (imports every view, as the first request would)
    gc.collect()
    gc.freeze()
    gc.set_threshold(*thresholds)


@contextmanager
def as_served():
    """Within the block, the collector as ``tune_for_serving`` leaves it; after it, Python's
    thresholds as they were and nothing frozen."""
    thresholds = gc.get_threshold()
    tune_for_serving()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
