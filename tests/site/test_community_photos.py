"""The community page's photos: before/after pairs with a slider that works without script,
a grid of thumbnails, responsive images with their sizes and text alternatives, a constant
number of queries; and the web sizes served with a long cache."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from communities.construction.choices import PhotoPhase
from tests.support.construction import make_inspection
from tests.support.participation import make_finished_item
from tests.support.pho import image_bytes, make_photo, upload

pytestmark = pytest.mark.django_db


def page(client, community) -> str:
    response = client.get(reverse("site:community", args=[community.pk]))
    assert response.status_code == 200
    return response.content.decode()


def gallery_of(html: str) -> str:
    match = re.search(r'<section class="section gallery".*?</section>', html, re.DOTALL)
    assert match, "no gallery on the page"
    return match.group(0)


def test_a_community_without_photos_shows_no_gallery(client):
    item = make_finished_item()

    html = page(client, item.community)

    assert 'id="photos"' not in html
    assert "construction/gallery.js" not in html


def test_a_before_and_after_pair_is_compared_with_a_range_both_photos_in_the_html(client):
    item = make_finished_item(title="外墙保温")
    before = make_photo(item=item, phase=PhotoPhase.BEFORE, caption="改造前：墙皮脱落")
    after = make_photo(
        item=item, phase=PhotoPhase.AFTER, taken_on=date(2022, 10, 2), caption="改造后：新外墙"
    )

    html = gallery_of(page(client, item.community))

    # Both photos are plain <img> in the HTML: without script they show side by side.
    assert html.count('class="compare"') == 1
    for photo in (before, after):
        assert f'src="{photo.image.url}"' in html
        assert f"{photo.thumbnail.url} {photo.thumbnail_width}w" in html
        assert f"{photo.image.url} {photo.width}w" in html
        assert f'width="{photo.width}" height="{photo.height}"' in html
        assert f'alt="{photo.caption}"' in html
    assert 'type="range"' in html and 'min="0" max="100"' in html
    # The range is hidden until the script enhances the pair.
    assert re.search(r'<label class="compare__control" hidden>', html)
    assert html.count('loading="lazy"') == 2
    assert "外墙保温" in html


def test_other_photos_are_thumbnails_linking_to_the_large_size(client):
    item = make_finished_item()
    during = make_photo(item=item, phase=PhotoPhase.DURING, caption="施工中")
    inspected = make_photo(
        item=item, phase=PhotoPhase.AFTER, inspection=make_inspection(item=item), caption="验收"
    )

    html = gallery_of(page(client, item.community))

    assert 'class="compare"' not in html
    for photo in (during, inspected):
        assert f'<a href="{photo.image.url}"><img src="{photo.thumbnail.url}"' in html
        assert f'width="{photo.thumbnail_width}" height="{photo.thumbnail_height}"' in html
    assert html.count('loading="lazy"') == 2


def test_the_slider_script_is_a_static_file_and_no_script_is_inline(client):
    item = make_finished_item()
    make_photo(item=item, phase=PhotoPhase.BEFORE)
    make_photo(item=item, phase=PhotoPhase.AFTER)

    html = page(client, item.community)

    assert re.search(r'<script src="[^"]*construction/gallery\.js" defer></script>', html)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    script = finders.find("construction/gallery.js")
    assert script is not None and finders.find("construction/gallery.css") is not None
    source = Path(script).read_text(encoding="utf-8")
    assert "http" not in source  # nothing fetched from elsewhere


@pytest.mark.parametrize("count", [3, 30])
def test_the_page_runs_the_same_queries_however_many_photos(
    client, django_assert_num_queries, count
):
    item = make_finished_item()
    other = make_finished_item(community=item.community, title="雨污分流")
    inspection = make_inspection(item=item)
    start = date(2022, 1, 1)
    for number in range(count):
        subject = (item, other)[number % 2]
        make_photo(
            item=subject,
            phase=PhotoPhase.values[number % 3],
            taken_on=start + timedelta(days=number),
            inspection=inspection if subject is item and number % 5 == 0 else None,
            image=upload(data=image_bytes(40, 30)),
        )

    # community with district, items with kind and building, their funding lines, elevators,
    # facilities, property service, proposals, plans (none: no documents), ratings per
    # subject, latest comments; 1 photos with their items and inspections; the construction
    # record's inspections by kind, orders and acceptances (the items carry their settlement).
    with django_assert_num_queries(14):
        response = client.get(reverse("site:community", args=[item.community.pk]))

    assert len(response.context["gallery"]) == count


def test_the_web_sizes_are_served_with_a_long_cache_and_nosniff(client, settings):
    settings.MEDIA_SERVE = True
    photo = make_photo()

    response = client.get(photo.thumbnail.url)

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/jpeg"
    assert "attachment" not in response.get("Content-Disposition", "")


def test_other_uploads_keep_their_default_cache(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MEDIA_SERVE = True
    folder = settings.MEDIA_ROOT / "construction-photos"
    folder.mkdir()
    (folder / "finding.jpg").write_bytes(image_bytes())

    response = client.get("/media/construction-photos/finding.jpg")

    assert response.status_code == 200
    assert "immutable" not in response.get("Cache-Control", "")
