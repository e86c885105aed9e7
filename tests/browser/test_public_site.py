"""The public site as a person sees it: Chromium against the live server, Tai'an's demo data.

Each test also writes screenshots to test-artifacts/screenshots/ for a reviewer to look at.
"""

import re

import pytest
from django.db.models import Q

from communities.elevators.models import ElevatorRetrofit
from communities.places.models import Community
from communities.reporting import selectors
from communities.site.templatetags.site_format import grouped
from communities.works.models.items import RenovationItem
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser

FIGURES = [
    "communities_renovated",
    "renovated_floor_area_m2",
    "households_benefited",
    "elevators_in_service",
    "children_play_area_m2",
    "communities_with_property_service",
]


def result_count(page) -> int:
    return int(re.sub(r"\D", "", page.locator("#results-title").inner_text()))


def wait_for_markers(page, selector: str) -> int:
    page.locator(f'{selector}[data-state="ready"]').wait_for()
    return int(page.locator(selector).get_attribute("data-marker-count"))


def test_home_shows_the_demo_figures(page, screenshot):
    page.goto("/")

    shown = {
        key: page.locator(f'[data-figure="{key}"] .figure__number').inner_text() for key in FIGURES
    }
    # Today's figures (the demo loaded as of 2026-12-05): more than the report's six.
    figures = selectors.headline_figures()
    assert int(shown["communities_renovated"].replace(",", "")) > 367
    assert shown == {key: grouped(figures[key]) for key in FIGURES}
    assert page.locator(".chart").count() >= 5
    screenshot(page, "home-desktop")


def test_a_headline_figure_leads_to_the_communities_it_counts(page):
    page.goto("/")
    page.locator('[data-figure="communities_renovated"] a').click()

    page.wait_for_url(re.compile(r"/communities/\?status=completed"))
    assert result_count(page) == selectors.headline_figures()["communities_renovated"]


def test_a_search_narrows_the_list(page, screenshot):
    page.goto("/communities/")
    everything = result_count(page)

    page.get_by_role("searchbox").fill("乐园")
    page.locator(".filters__actions button[type=submit]").click()
    page.wait_for_url(re.compile(r"q=%E4%B9%90%E5%9B%AD"))

    found = result_count(page)
    assert 0 < found < everything
    assert (
        found
        == Community.objects.filter(Q(name__contains="乐园") | Q(address__contains="乐园")).count()
    )
    rows = page.locator(".results-table tbody tr")
    for index in range(rows.count()):
        assert "乐园" in rows.nth(index).inner_text()
    assert page.get_by_role("searchbox").input_value() == "乐园"

    page.locator("#id_district").select_option("370911")
    page.locator(".filters__actions button[type=submit]").click()
    page.wait_for_url(re.compile(r"district=370911"))
    assert result_count(page) <= found

    page.goto("/communities/?status=under_construction")
    wait_for_markers(page, "#results-map")
    screenshot(page, "communities-desktop")


def test_a_community_page_shows_its_items_and_progress(page, screenshot):
    community = Community.objects.get(name="乐园小区")
    items = list(RenovationItem.objects.filter(community=community).order_by("id"))
    assert items, "the demo community has renovation items"

    page.goto(f"/communities/{community.pk}/")

    assert page.locator("h1").inner_text() == "乐园小区"
    assert page.locator("li.item").count() == len(items)
    for item in items:
        card = page.locator(f"#item-{item.pk}")
        assert item.title in card.locator(".item__title").inner_text()
        bar = card.get_by_role("progressbar")
        assert bar.get_attribute("aria-valuenow") == str(item.progress)
        assert card.locator(".progress__value").inner_text() == f"{item.progress}%"
    assert page.locator(".timeline__event").count() > 0
    assert wait_for_markers(page, "#community-map") == 1
    screenshot(page, "community-desktop")


def test_the_map_draws_markers_from_the_geojson(page, screenshot):
    geojson = page.request.get("/api/v1/communities/geojson/").json()
    located = len(geojson["features"])
    assert located > 300

    page.goto("/map/")
    drawn = wait_for_markers(page, "#city-map")

    assert drawn == located
    # Clusters carry their size; together with the lone markers they account for every one.
    clusters = page.locator("#city-map .marker-cluster")
    clustered = sum(int(clusters.nth(i).inner_text()) for i in range(clusters.count()))
    lone = page.locator("#city-map .leaflet-marker-icon.map-marker").count()
    assert clustered + lone == located
    # No internet here: the tiles fail, the markers stay on a plain background, and the note
    # points to the list below the map.
    assert any("tile.openstreetmap.org" in url for url in page.blocked)
    page.locator("#city-map-note").wait_for(state="visible")
    assert "map--plain" in page.locator("#city-map").get_attribute("class")
    assert page.locator(".results-table tbody tr").count() > 0
    screenshot(page, "map-desktop")


def test_a_map_marker_opens_a_popup_linking_to_its_page(page):
    community = Community.objects.get(name="松园小区")
    page.goto("/map/?q=松园小区")
    assert wait_for_markers(page, "#city-map") == 1

    page.locator("#city-map .leaflet-marker-icon.map-marker").click()
    link = page.locator(".leaflet-popup-content a")
    assert link.inner_text() == "松园小区"
    link.click()
    page.wait_for_url(re.compile(rf"/communities/{community.pk}/$"))


def test_map_filters_change_the_markers(page):
    page.goto("/map/?status=completed")

    assert (
        wait_for_markers(page, "#city-map")
        == Community.objects.filter(renovation_status="completed", latitude__isnull=False).count()
    )


def test_the_language_switch_flips_the_text(page):
    community = Community.objects.get(name="乐园小区")
    page.goto(f"/communities/{community.pk}/?from=search")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    heading = page.locator("#items-title").inner_text()
    completed = page.locator(".facts dd").filter(has_text=re.compile(r"\d{4}")).last
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", completed.inner_text())

    page.get_by_role("button", name="English").click()
    page.wait_for_function("document.documentElement.lang === 'en'")

    assert page.url.endswith(f"/communities/{community.pk}/?from=search"), "it stays on the page"
    assert page.locator("#items-title").inner_text() == "What is being done"
    assert re.fullmatch(r"[A-Z][a-z]+\.? \d{1,2}, \d{4}", completed.inner_text())
    assert re.search(r"[\u4e00-\u9fff]", heading), f"the Chinese page is translated: {heading}"
    assert page.get_by_role("button", name="English").get_attribute("aria-pressed") == "true"

    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "en", "the choice is remembered"
    page.get_by_role("button", name="中文").click()
    page.wait_for_function("document.documentElement.lang === 'zh-Hans'")


def test_the_skip_link_is_the_first_stop_for_the_keyboard(page):
    page.goto("/")
    page.keyboard.press("Tab")

    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_phone_viewport_has_no_horizontal_scroll(new_page, demo_site, screenshot, language):
    page = new_page(PHONE)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": demo_site}])
    community = Community.objects.get(name="乐园小区")
    # A community whose elevator cost shares are public: the widest table of the site.
    shares = next(
        retrofit.building.community_id
        for retrofit in ElevatorRetrofit.objects.select_related("building").order_by("pk")
        if retrofit.shares_published
    )
    pages = {
        "home": "/",
        "communities": "/communities/?q=花园",
        "all-communities": "/communities/",
        "community": f"/communities/{community.pk}/",
        "community-elevator-shares": f"/communities/{shares}/",
        "map": "/map/",
        "district": "/districts/370902/",
        "satisfaction": "/satisfaction/",
        "satisfaction-page-2": "/satisfaction/?page=2",
        "not-found": "/communities/0/",
    }
    for name, url in pages.items():
        page.goto(url)
        if name == "map":
            wait_for_markers(page, "#city-map")
        if name == "community":
            wait_for_markers(page, "#community-map")
        widths = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], f"{url} scrolls sideways at 360 px: {widths}"
        # No table scrolls sideways either: on a phone they stack, totals included.
        scrolling = page.evaluate(
            "[...document.querySelectorAll('.table-scroll')]"
            ".filter(e => e.checkVisibility() && e.scrollWidth > e.clientWidth + 1)"
            ".map(e => e.querySelector('table') && e.querySelector('table').id)"
        )
        assert scrolling == [], f"{url}: tables scroll sideways at 360 px: {scrolling}"
        if language == "zh-hans" and name in {
            "home",
            "communities",
            "community",
            "community-elevator-shares",
            "map",
            "satisfaction",
        }:
            screenshot(page, f"{name}-phone")


def test_the_before_after_slider_moves_with_the_keyboard(page, screenshot):
    """Issue 17: the range clips the photo before over the photo after (construction/gallery.js),
    announced as it moves; the page has no script error (the CSP allows no inline script)."""
    community = Community.objects.get(name="乐园小区")
    page.goto(f"/communities/{community.pk}/#photos")
    pair = page.locator("[data-compare].is-enhanced").first
    slider = pair.get_by_role("slider")
    before = pair.locator(".compare__side--before img")

    slider.focus()
    page.keyboard.press("End")
    assert before.evaluate("node => getComputedStyle(node).clipPath") == "inset(0px 0% 0px 0px)"
    assert slider.get_attribute("aria-valuetext").count("%") == 2
    assert "100%" in slider.get_attribute("aria-valuetext")
    page.keyboard.press("Home")
    assert before.evaluate("node => getComputedStyle(node).clipPath") == "inset(0px 100% 0px 0px)"
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert slider.input_value() == "3"
    screenshot(page, "community-photos")
