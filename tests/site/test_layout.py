"""What every public page shares: landmarks, skip link, labels, language switch, error pages."""

from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from communities.places.choices import RenovationStatus
from tests.support import factories as f

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


class Page(HTMLParser):
    """The parts of a page the accessibility checks read."""

    CONTROLS = {"input", "select", "textarea"}
    UNLABELLED_INPUTS = {"hidden", "submit", "button", "reset", "image"}

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.label_for: set[str] = set()
        self.focusable: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attributes))
        if tag == "label" and attributes.get("for"):
            self.label_for.add(attributes["for"])
        if tag in {"a", "button", *self.CONTROLS} and attributes.get("type") != "hidden":
            self.focusable.append((tag, attributes))

    def all(self, tag: str) -> list[dict]:
        return [attributes for name, attributes in self.tags if name == tag]

    def unlabelled_controls(self) -> list[dict]:
        return [
            attributes
            for name, attributes in self.tags
            if name in self.CONTROLS
            and attributes.get("type") not in self.UNLABELLED_INPUTS
            and attributes.get("id") not in self.label_for
            and not attributes.get("aria-label")
        ]


@pytest.fixture
def site():
    district = f.make_district(code="370902", name="泰山区")
    community = f.make_community(
        district=district, name="乐园小区", renovation_status=RenovationStatus.COMPLETED
    )
    f.make_item(community=community)
    f.make_facility(community=community)
    return {"district": district, "community": community}


def public_pages(site) -> list[str]:
    return [
        reverse("site:home"),
        reverse("site:community-list"),
        reverse("site:community-list") + "?" + urlencode({"q": "乐园", "status": "completed"}),
        reverse("site:map"),
        reverse("site:community", args=[site["community"].pk]),
        reverse("site:district", args=["370902"]),
        reverse("site:satisfaction"),
    ]


def test_every_page_has_the_landmarks_and_a_skip_link_first(client, site):
    for url in public_pages(site):
        page = Page(client.get(url, **EN).content.decode())

        assert len(page.all("header")) >= 1, url
        assert len(page.all("nav")) >= 1, url
        assert len(page.all("footer")) == 1, url
        mains = page.all("main")
        assert len(mains) == 1 and mains[0]["id"] == "main", url
        first_tag, first = page.focusable[0]
        assert (first_tag, first["href"]) == ("a", "#main"), url
        assert first["class"] == "skip-link", url


def test_every_page_has_one_h1_and_a_language(client, site):
    for url in public_pages(site):
        response = client.get(url, **EN)
        page = Page(response.content.decode())

        assert len(page.all("h1")) == 1, url
        assert page.all("html")[0]["lang"] == "en", url
        assert response.status_code == 200


def test_every_form_control_has_a_label(client, site):
    for url in public_pages(site):
        page = Page(client.get(url, **EN).content.decode())

        assert page.unlabelled_controls() == [], url


def test_every_image_has_alt_text_and_every_nav_a_name(client, site):
    for url in public_pages(site):
        page = Page(client.get(url, **EN).content.decode())

        assert all("alt" in image for image in page.all("img")), url
        assert all(nav.get("aria-label") for nav in page.all("nav")), url


def test_the_current_page_is_marked_in_the_navigation(client, site):
    content = client.get(reverse("site:map")).content.decode()

    assert f'<a href="{reverse("site:map")}" aria-current="page">' in content


def test_the_language_switch_is_on_every_page_and_returns_to_it(client, site):
    for url in public_pages(site):
        page = Page(client.get(url).content.decode())

        forms = [form for form in page.all("form") if form["action"] == reverse("set_language")]
        assert len(forms) == 1, url
        buttons = {button["value"]: button for button in page.all("button") if button.get("name")}
        assert buttons["zh-hans"]["aria-pressed"] == "true"
        assert buttons["en"]["aria-pressed"] == "false"
        nexts = [i["value"] for i in page.all("input") if i.get("name") == "next"]
        assert nexts == [url], url


def test_chinese_is_the_default_and_the_switch_flips_to_english_and_back(client, site):
    chinese = client.get("/")
    assert '<html lang="zh-Hans">' in chinese.content.decode()

    response = client.post(reverse("set_language"), {"language": "en", "next": "/map/"})
    assert response.status_code == 302
    assert response["Location"] == "/map/"
    english = client.get("/").content.decode()
    assert '<html lang="en">' in english
    assert "Communities renovated" in english

    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert '<html lang="zh-Hans">' in client.get("/").content.decode()


def test_the_404_page_is_in_the_sites_style(client, site):
    response = client.get("/communities/999999/", **EN)
    content = response.content.decode()

    assert response.status_code == 404
    assert 'class="skip-link"' in content
    assert "We could not find that page" in content
    assert Page(content).unlabelled_controls() == []


def test_the_500_page_needs_no_context_and_no_database(django_assert_num_queries):
    request = RequestFactory().get("/")

    with django_assert_num_queries(0):
        response = server_error(request)

    assert response.status_code == 500
    content = response.content.decode()
    assert "500" in content
    assert "<main>" in content
    assert "/static/" not in content, "the 500 page must not depend on static files"


def test_the_500_template_renders_without_a_request():
    content = render_to_string("500.html")

    assert 'href="/"' in content


def test_pages_never_show_resident_names_or_personal_phones(client, site):
    f.make_service(community=site["community"], contact_name="李秀珍", contact_phone="0538-8888888")
    for url in public_pages(site):
        content = client.get(url).content.decode()

        assert "李秀珍" not in content, url
