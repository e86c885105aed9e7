"""A process that serves requests freezes what start-up made and collects garbage less often
(communities/core/gc_tuning.py): GC_THRESHOLDS, the WSGI entry point gunicorn loads, and the
benchmark, which measures under the same collector and leaves its process as it found it."""

import gc
import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from communities.core.gc_tuning import as_served, tune_for_serving
from renovation.settings import env_gc_thresholds
from tests.support.processes import ROOT, production_env

SERVE = """
import gc, importlib, json, sys
before = gc.get_threshold()
importlib.import_module(sys.argv[1])
print(json.dumps({
    "before": before,
    "after": gc.get_threshold(),
    "frozen": gc.get_freeze_count(),
    "views_loaded": "communities.dossier.api.views" in sys.modules,
}))
"""


def _served(tmp_path, entry_point: str = "renovation.wsgi", **env: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", SERVE, entry_point],
        cwd=ROOT,
        env=production_env(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def python_collector():
    """The test process's collector as it was, whatever a test does to it."""
    thresholds = gc.get_threshold()
    yield thresholds
    gc.unfreeze()
    gc.set_threshold(*thresholds)


@pytest.mark.own_database
@pytest.mark.parametrize("entry_point", ["renovation.wsgi", "renovation.asgi"])
def test_the_entry_points_freeze_start_up_with_the_urls_loaded_and_raise_the_thresholds(
    tmp_path, entry_point
):
    served = _served(tmp_path, entry_point)

    assert served["before"] == [700, 10, 10]  # Python's own
    assert served["after"] == [50_000, 20, 10]
    # Django, every app and the URL configuration's views: hundreds of thousands of objects.
    assert served["frozen"] > 100_000
    assert served["views_loaded"] is True


@pytest.mark.own_database
def test_gc_thresholds_off_leaves_pythons_collector_alone(tmp_path):
    served = _served(tmp_path, GC_THRESHOLDS="off")

    assert served["after"] == served["before"] == [700, 10, 10]
    assert served["frozen"] == 0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", (50_000, 20, 10)),
        ("off", ()),
        (" OFF ", ()),
        ("1000,10,10", (1000, 10, 10)),
        (" 2000 , 5 , 0 ", (2000, 5, 0)),
    ],
)
def test_gc_thresholds_are_read_from_the_environment(monkeypatch, value, expected):
    monkeypatch.setenv("GC_THRESHOLDS", value)

    assert env_gc_thresholds("GC_THRESHOLDS", (50_000, 20, 10)) == expected


@pytest.mark.parametrize(
    "value",
    [
        "a,b,c",
        "1000,10",
        "1000,10,10,10",
        "-1,10,10",
        "0,10,10",
        "１０００,10,10",
        "1e4,1,1",
        "50000;20;10",
    ],
)
def test_gc_thresholds_that_python_could_not_use_are_refused_by_name(monkeypatch, value):
    monkeypatch.setenv("GC_THRESHOLDS", value)

    with pytest.raises(ImproperlyConfigured, match="GC_THRESHOLDS"):
        env_gc_thresholds("GC_THRESHOLDS", (50_000, 20, 10))


def test_tuning_freezes_what_is_alive_and_sets_the_configured_thresholds(
    settings, python_collector
):
    settings.GC_THRESHOLDS = (1234, 5, 6)

    tune_for_serving()

    assert gc.get_threshold() == (1234, 5, 6)
    assert gc.get_freeze_count() > 0


def test_no_thresholds_leave_the_collector_as_it_is(settings, python_collector):
    settings.GC_THRESHOLDS = ()

    tune_for_serving()

    assert gc.get_threshold() == python_collector
    assert gc.get_freeze_count() == 0


def test_as_served_tunes_within_the_block_and_restores_after_it(settings, python_collector):
    settings.GC_THRESHOLDS = (4321, 7, 8)

    with as_served():
        inside = gc.get_threshold(), gc.get_freeze_count()

    assert inside[0] == (4321, 7, 8) and inside[1] > 0
    assert gc.get_threshold() == python_collector
    assert gc.get_freeze_count() == 0


@pytest.mark.django_db
def test_the_benchmark_measures_under_the_served_collector_and_restores_it(
    settings, python_collector, tmp_path, monkeypatch
):
    from communities.scale.management.commands import benchmark
    from tests.support import factories as f

    f.make_community()
    settings.GC_THRESHOLDS = (9876, 5, 5)
    seen = []
    measure = benchmark._measure

    def measure_and_look(fetch, repeat, warmup):
        seen.append(gc.get_threshold())
        return measure(fetch, repeat, warmup)

    monkeypatch.setattr(benchmark, "_measure", measure_and_look)

    call_command(
        "benchmark",
        repeat=1,
        warmup=0,
        only=["detail"],
        output=str(tmp_path),
        stdout=StringIO(),
        stderr=StringIO(),
    )

    assert seen and set(seen) == {(9876, 5, 5)}
    assert gc.get_threshold() == python_collector
    assert gc.get_freeze_count() == 0
