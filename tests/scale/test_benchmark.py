"""``manage.py benchmark`` runs on a tiny database and writes its table as JSON."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from communities.places.choices import RenovationStatus
from tests.support import factories as f

pytestmark = [
    pytest.mark.django_db,
    # The naive baseline's ModelSerializer builds latitude/longitude from the model's float
    # validators, which DRF warns about: part of what "naive" means.
    pytest.mark.filterwarnings("ignore:m.._value should be an integer or Decimal:UserWarning"),
]

PAGES = {
    "community list (district)",
    "community list (all)",
    "naive baseline (district)",
    "naive baseline (all)",
    "community detail",
    "items of a community",
    "stats (city)",
    "stats (district)",
    "geojson (district)",
    "admin changelist",
    "admin changelist (search)",
    "admin search, name with digits",
    "admin search, district name",
    "admin search, 2 characters",
    "admin sorted by items",
    "admin sorted by budget",
    "admin sorted by progress",
    "admin repair measures",
    "list search, 2 characters",
    "public home",
    "public list",
    "public list, 2 characters",
    "public community",
    "floor (district)",
    "floor (all)",
    "floor via HTTP (district)",
    "floor via HTTP (all)",
    "monthly return (district)",
    "monthly return (city)",
    "monthly return (province)",
    # The returns' and construction's rows (communities.scale.bench_rows).
    "monthly return (nation)",
    "stats (province, cold)",
    "stats (province)",
    "stats (city, cold)",
    "stats (as of, cold)",
    "stats (as of)",
    "oc4ids (province)",
    "oc4ids (city)",
    "party scorecard (overdue)",
}


def test_it_measures_every_page_and_writes_the_table_as_json(tmp_path):
    district = f.make_district(code="370902")  # in a seeded city (3709) and province (37)
    for status in (RenovationStatus.COMPLETED, RenovationStatus.PLANNED):
        f.make_busy_community(district=district, renovation_status=status)
    out = StringIO()

    call_command(
        "benchmark",
        repeat=2,
        ratio_rounds=3,
        warmup=0,
        output=str(tmp_path),
        stdout=out,
        stderr=StringIO(),
    )

    report = json.loads((tmp_path / "latest.json").read_text())
    assert {row["page"] for row in report["pages"]} == PAGES
    # The list and its references for --ratio-rounds, the rest --repeat (the slow rows less).
    references = {"community list", "naive baseline", "floor", "floor via HTTP"}
    for row in report["pages"]:
        if row["page"].rpartition(" (")[0] in references:
            assert row["timed"] == 3, row["page"]
        else:
            assert row["timed"] <= 2, row["page"]
    assert report["ratio_rounds"] == 3 and report["repeat"] == 2
    assert "(3 of the community list and its references)" in out.getvalue()
    for row in report["pages"]:
        assert row["median_ms"] > 0 and row["p95_ms"] >= row["median_ms"]
    # The city's statistics (and the nation's on a past day) come from the cache once warm;
    # every other page reads the database (the district's statistics look the district up by
    # its code first, a province's its region); the cold rows compute afresh every time.
    no_queries = {row["page"] for row in report["pages"] if row["queries"] == 0}
    assert no_queries == {"stats (city)", "stats (as of)"}
    by_page = {row["page"]: row for row in report["pages"]}
    assert by_page["stats (province, cold)"]["queries"] > by_page["stats (province)"]["queries"]
    assert by_page["party scorecard (overdue)"]["goal_p95_ms"] == 200
    assert by_page["monthly return (province)"]["goal_p95_ms"] == 1_000
    by_page = {row["page"]: row for row in report["pages"]}
    # The naive baseline runs a query per row for its district; the real list does not.
    assert (
        by_page["naive baseline (district)"]["queries"]
        > by_page["community list (district)"]["queries"]
    )
    assert by_page["floor (district)"]["queries"] == 2  # the page and its count
    assert by_page["floor via HTTP (district)"]["queries"] == 2  # the same, answered by a view
    assert set(report["community_list_ratios"]) == {"district", "all"}
    assert set(report["community_list_ratios"]["district"]) == {
        "list_over_floor",
        "naive_over_list",
        "list_over_http_floor",
        "list_over_floor_median",
        "meets_goal",
    }
    district = report["community_list_ratios"]["district"]
    list_row, floor_row = by_page["community list (district)"], by_page["floor (district)"]
    assert district["list_over_floor_median"] == round(
        list_row["median_ms"] / floor_row["median_ms"], 2
    )
    assert "the floor's" in out.getvalue()
    assert report["load_average"]  # the timings are read with the machine's load
    assert report["communities"] == 2
    assert "community list (district)" in out.getvalue()


def _bench_one_community(tmp_path, **options) -> dict:
    """Run the benchmark over one busy community with ``options``; its JSON report."""
    f.make_busy_community(
        district=f.make_district(code="370902"), renovation_status=RenovationStatus.COMPLETED
    )
    options.setdefault("ratio_rounds", 2)
    call_command(
        "benchmark", warmup=0, output=str(tmp_path), stdout=StringIO(), stderr=StringIO(), **options
    )
    return json.loads((tmp_path / "latest.json").read_text())


def test_it_refuses_an_empty_database(tmp_path):
    with pytest.raises(CommandError):
        call_command("benchmark", repeat=1, warmup=0, output=str(tmp_path), stdout=StringIO())


@pytest.mark.parametrize("option", ["repeat", "ratio_rounds"])
def test_it_refuses_no_rounds(tmp_path, option):
    with pytest.raises(CommandError, match="must be 1 or more"):
        call_command("benchmark", warmup=0, output=str(tmp_path), **{option: 0})


def test_with_the_public_cache_anonymous_pages_come_from_it(tmp_path):
    report = _bench_one_community(tmp_path, repeat=2, public_cache=True)
    assert report["public_cache"] is True
    by_page = {row["page"]: row["queries"] for row in report["pages"]}
    for page in ("public home", "public community", "community detail", "geojson (district)"):
        assert by_page[page] == 0
    assert by_page["admin changelist"] > 0  # staff pages are never cached


def test_only_measures_the_pages_named(tmp_path):
    f.make_busy_community(
        district=f.make_district(code="370902"), renovation_status=RenovationStatus.COMPLETED
    )
    out = StringIO()
    call_command(
        "benchmark",
        repeat=1,
        warmup=0,
        output=str(tmp_path),
        only=["party scorecard", "monthly return (nation)", "detail,admin sorted"],
        stdout=out,
        stderr=StringIO(),
    )
    report = json.loads((tmp_path / "latest.json").read_text())
    assert {row["page"] for row in report["pages"]} == {
        "party scorecard (overdue)",
        "monthly return (nation)",
        "community detail",
        "admin sorted by items",
        "admin sorted by budget",
        "admin sorted by progress",
    }
    assert report["community_list_ratios"] == {}  # the list and its references were left out
    assert "✓" in out.getvalue() or "✗" in out.getvalue()


def test_the_slow_rows_are_timed_at_most_ten_times():
    from communities.scale import bench_rows

    assert bench_rows.slow("stats (province, cold)")
    assert bench_rows.slow("monthly return (nation)")
    assert not bench_rows.slow("party scorecard (overdue)")
    assert bench_rows.SLOW_REPEAT == 10


def test_the_list_and_its_references_are_fetched_in_turn():
    from communities.scale.management.commands.benchmark import _measure_together

    fetched = []
    fetches = {name: (lambda name=name: fetched.append(name)) for name in ("list", "floor")}
    measured = _measure_together(fetches, repeat=3, warmup=1)

    # One warm-up round, three timed rounds, then one more fetch each for the query count:
    # never two of the same page in a row.
    assert fetched == ["list", "floor"] * (1 + 3 + 1)
    assert set(measured) == {"list", "floor"}
    assert measured["list"]["queries"] == 0


def test_naming_one_reference_measures_the_four_of_each_scope(tmp_path):
    report = _bench_one_community(tmp_path, repeat=1, only=["naive"])
    assert {row["page"] for row in report["pages"]} == {
        f"{kind} ({scope})"
        for kind in ("community list", "naive baseline", "floor", "floor via HTTP")
        for scope in ("district", "all")
    }
    assert set(report["community_list_ratios"]) == {"district", "all"}
