"""What a person reads on every public page, in both languages: no template syntax, no
``None`` or ``nan``, and on a Chinese page no English text of the catalogue left untranslated.

The text is the page's visible text (no tags, scripts or styles) and the attributes read out or
shown (alt, title, aria-label, placeholder, the stacked tables' data-label). Tai'an's demo data
is loaded once for the module and rolled back after it.
"""

import gettext
import re
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from communities.elevators.models import ElevatorRetrofit
from communities.places.models import Community
from communities.works.models.plans import DesignPlan
from tests.support.ci import built_once

# The module's demo data lives in the test database, which pytest-django sets up only for a
# module that asks for it.
pytestmark = pytest.mark.django_db

CATALOGUE = Path(__file__).resolve().parents[2] / "communities/locale/zh_Hans/LC_MESSAGES/django.mo"
READ_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder", "data-label"}
HIDDEN_ELEMENTS = {"script", "style", "template", "noscript"}
TEMPLATE_SYNTAX = re.compile(r"\{[#%{]|[#%}]\}")
EMPTY_VALUES = re.compile(r"(?<![A-Za-z])(None|nan|NaN|undefined)(?![A-Za-z])")
# English that may stand on a Chinese page: names, units and formats, not sentences.
# m² is written so in Chinese text too (7.53 万 m²); its msgid translates to 平方米 for the
# survey's unit columns.
ALLOWED_ON_CHINESE_PAGES = {"CSV", "GeoJSON", "API", "OpenStreetMap", "Leaflet", "English", "m²"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sdf]|\{\w*\}")


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN_ELEMENTS:
            self.hidden += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.parts.append(value)

    def handle_startendtag(self, tag, attrs):
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in HIDDEN_ELEMENTS and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts)


def catalogue_phrases() -> list[tuple[str, re.Pattern]]:
    """The English of every translated msgid (the literal parts of those with placeholders,
    when they are at least two words), as patterns that match whole words only."""
    with CATALOGUE.open("rb") as file:
        catalogue = gettext.GNUTranslations(file)._catalog
    phrases = set()
    for key, translation in catalogue.items():
        msgid = key[0] if isinstance(key, tuple) else key
        if not msgid or not re.search(r"[A-Za-z]", msgid) or translation == msgid:
            continue
        if "\x04" in msgid:  # a context: pgettext's "context\x04msgid"
            msgid = msgid.split("\x04", 1)[1]
        fragments = PLACEHOLDER.split(msgid)
        if len(fragments) == 1:
            phrases.add(msgid.strip())
        else:
            phrases.update(
                fragment.strip()
                for fragment in fragments
                if len(re.findall(r"[A-Za-z]{2,}", fragment)) >= 2
            )
    return [
        (phrase, re.compile(rf"(?<![A-Za-z]){re.escape(phrase)}(?![A-Za-z])"))
        for phrase in sorted(phrases)
        if phrase and phrase not in ALLOWED_ON_CHINESE_PAGES
    ]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Tai'an's demo data for the module; everything is rolled back afterwards."""
    yield from built_once(
        django_db_blocker,
        lambda: call_command("load_demo_data", "--today", "2026-12-05", stdout=StringIO()),
    )


@pytest.fixture(scope="module")
def public_pages(demo, django_db_blocker) -> dict[str, str]:
    """Every kind of public page, each community page the demo's richest of its kind."""
    with django_db_blocker.unblock():
        leyuan = Community.objects.get(name="乐园小区")
        shares = next(
            retrofit.building.community_id
            for retrofit in ElevatorRetrofit.objects.select_related("building").order_by("pk")
            if retrofit.shares_published
        )
        plan = DesignPlan.objects.order_by("pk").values_list("community_id", flat=True).first()
    return {
        "home": "/",
        "communities": "/communities/",
        "search": "/communities/?q=花园&sort=name",
        "community": f"/communities/{leyuan.pk}/",
        "community-elevator-shares": f"/communities/{shares}/",
        "community-design-plan": f"/communities/{plan}/",
        "map": "/map/",
        "district": "/districts/370902/",
        "regions": "/regions/",
        "region-province": "/regions/37/",
        "region-city": "/regions/3709/",
        "region-district-as-of": "/regions/370902/?as_of=2023-03-25",
        "satisfaction": "/satisfaction/",
        "satisfaction-page-2": "/satisfaction/?page=2",
        "not-found": "/communities/0/",
    }


def read(url: str, language: str) -> str:
    client = Client()
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == (404 if url.endswith("/0/") else 200), url
    html = response.content.decode()
    expected_lang = "zh-Hans" if language == "zh-hans" else "en"
    assert f'<html lang="{expected_lang}"' in html, url
    return visible_text(html)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_page_shows_template_syntax_or_empty_values(public_pages, language):
    problems = {}
    for name, url in public_pages.items():
        text = read(url, language)
        found = TEMPLATE_SYNTAX.findall(text) + EMPTY_VALUES.findall(text)
        if found:
            lines = [line for line in text.splitlines() if TEMPLATE_SYNTAX.search(line)]
            lines += [line for line in text.splitlines() if EMPTY_VALUES.search(line)]
            problems[name] = lines[:5]
    assert problems == {}


def test_no_chinese_page_shows_an_untranslated_phrase_of_the_catalogue(public_pages):
    phrases = catalogue_phrases()
    assert len(phrases) > 500  # the catalogue was read
    problems = {}
    for name, url in public_pages.items():
        text = read(url, "zh-hans")
        found = sorted({phrase for phrase, pattern in phrases if pattern.search(text)})
        if found:
            problems[name] = found
    assert problems == {}


def test_the_checks_catch_what_they_look_for():
    """The reader is not blind: a stray comment, a None and an English label are all seen."""
    html = (
        '<p>{# a comment #}</p><td data-label="Households">None</td>'
        "<script>var x = '{{ y }}';</script><p>Find a community</p>"
    )
    text = visible_text(html)
    assert TEMPLATE_SYNTAX.search(text)
    assert EMPTY_VALUES.search(text)
    assert "{{ y }}" not in text
    phrases = dict(catalogue_phrases())
    assert phrases["Households"].search(text)
    assert phrases["Find a community"].search(text)
