"""The public site's small things a visitor notices: the icon, the satisfaction ranking's pages,
the tables that stack on a phone, the item dates' label and the API's root in their language."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from communities.site import views
from tests.support.factories import make_community, make_district, make_item
from tests.support.participation import make_completed_community, make_rating

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_every_page_links_the_icon_and_favicon_ico_leads_to_it(client):
    html = client.get(reverse("site:home")).content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html)
    assert icon, "no icon linked"

    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == icon.group(1)
    assert "max-age=86400" in response["Cache-Control"]
    # The icon is a static file (served by whitenoise, or the server in front).
    assert icon.group(1) == static("communities/favicon.svg")
    assert "<svg" in Path(finders.find("communities/favicon.svg")).read_text()


def test_the_header_shows_no_template_comment(client):
    for headers in ({}, EN):
        html = client.get(reverse("site:home"), **headers).content.decode()
        assert "{#" not in html and "#}" not in html
        assert "No CSRF token" not in html


@pytest.fixture
def ranked(settings, monkeypatch):
    """Five communities ranked from one rating each, two to a page of the ranking."""
    settings.RENOVATION = {**settings.RENOVATION, "SATISFACTION_MIN_RATINGS": 1}
    monkeypatch.setattr(views, "SATISFACTION_PAGE_SIZE", 2)
    district = make_district(code="370902", name="泰山区")
    for score in (5, 4, 3, 2, 1):
        community = make_completed_community(district=district, name=f"评分{score}小区")
        make_rating(community=community, scores=(score, score, score))
    return district


def ranked_names(html: str) -> list[str]:
    table = html.split('id="community-ranking"')[1].split("</table>")[0]
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>', table)


def test_the_satisfaction_ranking_is_paged_and_the_pages_keep_the_filters(client, ranked):
    url = reverse("site:satisfaction")
    first = client.get(url, {"district": ranked.code}).content.decode()
    assert ranked_names(first) == ["评分5小区", "评分4小区"]
    assert f'href="?district={ranked.code}&amp;page=2#communities-title"' in first

    third = client.get(url, {"district": ranked.code, "page": 3}).content.decode()
    assert ranked_names(third) == ["评分1小区"]
    assert f'href="?district={ranked.code}&amp;page=2#communities-title"' in third
    assert 'rel="next"' not in third
    # A page past the end shows the last one, a page that is not a number the first.
    assert ranked_names(client.get(url, {"page": 99}).content.decode()) == ["评分1小区"]
    assert ranked_names(client.get(url, {"page": "x"}).content.decode())[0] == "评分5小区"


def test_the_ranking_tables_stack_with_a_label_for_every_value(client, ranked):
    html = client.get(reverse("site:satisfaction")).content.decode()
    for table_id in ("community-ranking", "satisfaction-by-district", "satisfaction-by-year"):
        table = html.split(f'id="{table_id}"')[1].split("</table>")[0]
        assert table.startswith(' class="table-stack"'), table_id
        cells = re.findall(r"<td[^>]*>", table)
        assert cells and all("data-label=" in cell for cell in cells), table_id


def test_the_stylesheet_stacks_the_tables_on_a_phone(client):
    css = (views.settings.BASE_DIR / "communities/site/static/communities/site.css").read_text()
    phone = css.split("@media (max-width: 48rem)")[1]
    assert ".table-stack td::before" in phone and "attr(data-label)" in phone
    assert ".table-stack tfoot" in phone


def test_the_api_root_is_in_the_visitors_language(client):
    with translation.override("zh-hans"):
        title = gettext("Renovation Tracker API")
    chinese = client.get("/api/v1/", HTTP_ACCEPT="text/html").content.decode()
    assert title in chinese
    assert "Api Root" not in chinese
    assert "The default basic root view" not in chinese

    english = client.get("/api/v1/", HTTP_ACCEPT="text/html", **EN).content.decode()
    assert "Renovation Tracker API" in english
    assert "/api/schema/" in english
    # The JSON root is unchanged: the resources by name.
    assert "communities" in client.get("/api/v1/", HTTP_ACCEPT="application/json").json()


def test_an_items_planned_dates_are_labelled_as_dates_not_as_a_status(client):
    community = make_community()
    make_item(community=community, planned_start=date(2024, 3, 1), planned_end=date(2024, 9, 30))
    html = client.get(community.get_absolute_url()).content.decode()
    assert f"<dt>{gettext('Planned dates')}</dt>" in html
    assert f"<dt>{gettext('Actual dates')}</dt>" in html
    assert f"<dt>{gettext('Planned')}</dt>" not in html
