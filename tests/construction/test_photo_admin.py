"""The photo admin: several files uploaded at once, all or nothing, thumbnails in the list."""

import pytest
from django.urls import reverse

from communities.construction.photo_models import Photo
from tests.support.participation import make_finished_item
from tests.support.pho import image_bytes, make_photo, upload

pytestmark = pytest.mark.django_db

ADD = reverse("admin:communities_photo_add")
CHANGELIST = reverse("admin:communities_photo_changelist")


def _form(item, files, **fields):
    return {
        "community": item.community.pk,
        "item": item.pk,
        "inspection": "",
        "phase": "before",
        "taken_on": "2022-03-01",
        "caption": "改造前",
        "images": files,
        **fields,
    }


def test_the_add_page_offers_a_multiple_file_input(staff_client):
    content = staff_client.get(ADD).content.decode()

    assert 'type="file" name="images"' in content
    assert "multiple" in content.split('name="images"')[1].split(">")[0]


def test_several_files_make_several_photos_sharing_what_was_chosen(staff_client):
    item = make_finished_item()
    files = [upload(f"IMG_{n}.jpg", image_bytes(600 + n, 400)) for n in range(3)]

    response = staff_client.post(ADD, _form(item, files))

    assert response.status_code == 302
    assert response.url == CHANGELIST
    photos = list(Photo.objects.order_by("id"))
    assert len(photos) == 3
    assert {(p.community_id, p.item_id, p.phase, p.caption) for p in photos} == {
        (item.community_id, item.pk, "before", "改造前")
    }
    assert [p.width for p in photos] == [600, 601, 602]
    assert all(p.history.count() == 1 for p in photos)


def test_one_bad_file_saves_none_and_is_named(staff_client, admin_errors):
    item = make_finished_item()
    files = [
        upload("good.jpg"),
        upload("scan.jpg", b"%PDF-1.4 not a photo"),
        upload("also-good.jpg"),
    ]

    response = staff_client.post(ADD, _form(item, files))

    errors = admin_errors(response)
    assert list(errors) == ["images"]
    assert len(errors["images"]) == 1 and errors["images"][0].startswith("scan.jpg")
    assert Photo.objects.count() == 0


def test_an_empty_file_is_named_too(staff_client, admin_errors):
    item = make_finished_item()

    response = staff_client.post(ADD, _form(item, [upload("good.jpg"), upload("zero.jpg", b"")]))

    assert admin_errors(response)["images"][0].startswith("zero.jpg")
    assert Photo.objects.count() == 0


def test_the_shared_fields_are_checked_once_for_all_files(staff_client, admin_errors):
    item = make_finished_item()
    other = make_finished_item()  # another community's item

    response = staff_client.post(
        ADD, _form(item, [upload(), upload()], community=other.community.pk)
    )

    assert list(admin_errors(response)) == ["item"]
    assert Photo.objects.count() == 0


def test_no_file_is_a_required_field(staff_client, admin_errors):
    item = make_finished_item()

    assert list(admin_errors(staff_client.post(ADD, _form(item, [])))) == ["images"]


def test_the_list_shows_thumbnails_in_a_fixed_number_of_queries(
    staff_client, django_assert_max_num_queries
):
    item = make_finished_item()
    counted = []
    for count in (3, 30):
        while Photo.objects.count() < count:
            make_photo(item=item, caption="照片", image=upload(data=image_bytes(40, 30)))
        # session, user, districts (the filter), count (or, on PostgreSQL, its estimate), the
        # page of photos with community, item and inspection, the date hierarchy's two.
        with django_assert_max_num_queries(9) as queries:
            response = staff_client.get(CHANGELIST)
        assert response.status_code == 200
        assert response.content.decode().count('loading="lazy"') == count
        counted.append(len(queries.captured_queries))

    assert counted[0] == counted[1]


def test_the_change_page_shows_the_stored_photo(staff_client):
    photo = make_photo()

    content = staff_client.get(
        reverse("admin:communities_photo_change", args=[photo.pk])
    ).content.decode()

    assert photo.thumbnail.url in content
