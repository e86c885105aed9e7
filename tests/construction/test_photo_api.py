"""/api/v1/photos/: public lists with filters, multipart upload by staff of the community's
district, odd files refused with a 400 and nothing stored, lists of constant cost."""

import pytest
from django.contrib.auth import get_user_model

from communities.access.choices import Role
from communities.construction.photo_models import Photo
from tests.support.api import API, api_client, assert_matches_schema, openapi_document, writer
from tests.support.factories import make_community, make_district
from tests.support.participation import make_finished_item
from tests.support.pho import image_bytes, make_photo, upload
from tests.support.roles import grant

pytestmark = pytest.mark.django_db

PHOTOS = f"{API}/photos/"


def _payload(item, **fields):
    return {
        "community": item.community.pk,
        "item": item.pk,
        "phase": "after",
        "taken_on": "2022-10-02",
        "caption": "改造后的外立面",
        "image": upload("IMG_2001.jpg", image_bytes(2000, 1000, gps=True)),
        **fields,
    }


def test_anyone_reads_the_photos_with_their_web_sizes():
    photo = make_photo(image=upload(data=image_bytes(1000, 500)))

    response = api_client().get(PHOTOS)

    assert response.status_code == 200
    row = response.json()["results"][0]
    assert row["id"] == photo.pk
    assert row["image"].endswith(photo.image.url)
    assert row["thumbnail"].endswith(photo.thumbnail.url)
    assert (row["width"], row["height"], row["thumbnail_width"]) == (1000, 500, 400)
    assert_matches_schema(response.json(), "/api/v1/photos/")


def test_the_filters_by_community_item_and_phase():
    item = make_finished_item()
    before = make_photo(item=item, phase="before")
    after = make_photo(item=item, phase="after")
    elsewhere = make_photo(phase="after")

    def ids(**params):
        response = api_client().get(PHOTOS, params)
        assert response.status_code == 200
        return sorted(row["id"] for row in response.json()["results"])

    assert ids(community=item.community_id) == sorted([before.pk, after.pk])
    assert ids(item=item.pk, phase="after") == [after.pk]
    assert ids(phase="after") == sorted([after.pk, elsewhere.pk])
    assert api_client().get(PHOTOS, {"phase": "sideways"}).status_code == 400
    assert api_client().get(PHOTOS, {"community": "1.5"}).status_code == 400


def test_staff_upload_a_photo_as_multipart_and_get_its_web_sizes():
    item = make_finished_item()

    response = writer("photo").post(PHOTOS, _payload(item), format="multipart")

    assert response.status_code == 201, response.json()
    photo = Photo.objects.get()
    assert (photo.width, photo.height, photo.thumbnail_width) == (1600, 800, 400)
    assert response.json()["image"].endswith(photo.image.url)
    assert_matches_schema(response.json(), "/api/v1/photos/", "post", 201)


@pytest.mark.parametrize(
    ("name", "data"),
    [("zero.jpg", b""), ("page.jpg", b"<html></html>"), ("photo.gif", b"GIF89a")],
)
def test_an_odd_file_is_a_400_and_nothing_is_stored(name, data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = make_finished_item()

    response = writer("photo").post(
        PHOTOS, _payload(item, image=upload(name, data)), format="multipart"
    )

    assert response.status_code == 400
    assert "image" in response.json()
    assert Photo.objects.count() == 0
    assert not any(p.is_file() for p in settings.MEDIA_ROOT.rglob("*"))


def test_a_json_body_without_a_file_is_a_400():
    item = make_finished_item()
    payload = _payload(item)
    del payload["image"]

    response = writer("photo").post(PHOTOS, payload, format="json")

    assert response.status_code == 400
    assert "image" in response.json()


def test_a_clerk_uploads_only_for_the_communities_of_the_district(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ours, theirs = make_district(code="370902"), make_district(code="370911")
    mine = make_finished_item(community=make_community(district=ours, name="本区"))
    other = make_finished_item(community=make_community(district=theirs, name="外区"))
    get_user_model().objects.create_user("clerk", password="pw-clerk-9x!")
    grant("clerk", Role.DISTRICT_STAFF, "--district", ours.code)
    client = api_client(get_user_model().objects.get(username="clerk"))

    refused = client.post(PHOTOS, _payload(other), format="multipart")
    assert refused.status_code == 403
    assert Photo.objects.count() == 0
    assert not any(p.is_file() for p in settings.MEDIA_ROOT.rglob("*"))

    assert client.post(PHOTOS, _payload(mine), format="multipart").status_code == 201
    photo = Photo.objects.get()
    moved = client.patch(
        f"{PHOTOS}{photo.pk}/", {"community": other.community_id, "item": other.pk}, format="json"
    )
    assert moved.status_code == 403
    photo.refresh_from_db()
    assert photo.community_id == mine.community_id
    names = (photo.image.name, photo.thumbnail.name)
    edited = client.patch(f"{PHOTOS}{photo.pk}/", {"caption": "北立面"}, format="json")
    assert edited.status_code == 200
    photo.refresh_from_db()
    assert (photo.caption, photo.image.name, photo.thumbnail.name) == ("北立面", *names)


def test_the_public_cannot_upload():
    item = make_finished_item()

    assert api_client().post(PHOTOS, _payload(item), format="multipart").status_code in {401, 403}
    assert Photo.objects.count() == 0


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_runs_the_same_queries_however_many_photos(django_assert_num_queries, count):
    item = make_finished_item()
    for number in range(count):
        make_photo(item=item, caption=f"照片{number}", image=upload(data=image_bytes(40, 30)))
    client = api_client()

    # 1 count, 1 page of photos with their items.
    with django_assert_num_queries(2):
        response = client.get(PHOTOS)

    assert len(response.json()["results"]) == count


def test_the_schema_documents_the_multipart_upload_and_the_filters():
    document = openapi_document()
    operations = document["paths"]["/api/v1/photos/"]
    body = operations["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    request = document["components"]["schemas"][body["$ref"].rsplit("/", 1)[-1]]

    assert request["properties"]["image"] == {
        "type": "string",
        "format": "binary",
        "description": request["properties"]["image"]["description"],
    }
    assert {"community", "phase", "taken_on", "image"} <= set(request["required"])
    parameters = {parameter["name"] for parameter in operations["get"]["parameters"]}
    assert {"community", "item", "inspection", "district", "phase"} <= parameters
