"""Optimistic concurrency over the API: ETag on reads and writes, If-Match refused when stale."""

import pytest

from tests.support.api import API, api_client
from tests.support.factories import make_community

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(city_admin):
    return api_client(city_admin)


def test_a_detail_read_carries_an_etag_that_changes_with_the_record(client):
    community = make_community()
    url = f"{API}/communities/{community.pk}/"

    first = client.get(url)["ETag"]
    again = client.get(url)["ETag"]
    community.name = "改过的名字"
    community.save()

    assert first == again
    assert first.startswith('"')
    assert client.get(url)["ETag"] != first


def test_a_write_with_the_current_etag_succeeds_and_answers_the_new_one(client):
    community = make_community()
    url = f"{API}/communities/{community.pk}/"
    tag = client.get(url)["ETag"]

    response = client.patch(url, {"name": "新名字"}, format="json", HTTP_IF_MATCH=tag)

    assert response.status_code == 200, response.content
    assert response["ETag"] not in {"", tag}
    assert response["ETag"] == client.get(url)["ETag"]


@pytest.mark.parametrize("method", ["patch", "put"])
def test_a_stale_if_match_is_refused_with_412_and_changes_nothing(client, method):
    community = make_community(name="甲")
    url = f"{API}/communities/{community.pk}/"
    stale = client.get(url)["ETag"]
    body = client.get(url).json()
    client.patch(url, {"name": "乙"}, format="json")  # the other clerk's change
    writable = {"name": "丙"}
    if method == "put":
        writable = {
            key: body[key]
            for key in ("district", "address", "year_built", "households")
            if key in body
        } | writable

    response = getattr(client, method)(url, writable, format="json", HTTP_IF_MATCH=stale)

    assert response.status_code == 412
    community.refresh_from_db()
    assert community.name == "乙"


def test_a_stale_if_match_refuses_a_delete(client):
    community = make_community()
    url = f"{API}/communities/{community.pk}/"
    stale = client.get(url)["ETag"]
    community.name = "改过"
    community.save()

    assert client.delete(url, HTTP_IF_MATCH=stale).status_code == 412
    assert client.get(url).status_code == 200


def test_if_match_star_or_a_weak_tag_of_the_current_version_is_accepted(client):
    community = make_community()
    url = f"{API}/communities/{community.pk}/"
    tag = client.get(url)["ETag"]

    star = client.patch(url, {"households": 300}, format="json", HTTP_IF_MATCH="*")
    weak = client.patch(
        url, {"households": 301}, format="json", HTTP_IF_MATCH=f'"nope", W/{star["ETag"]}'
    )

    assert star.status_code == 200
    assert weak.status_code == 200
    assert tag != star["ETag"]


def test_a_write_without_if_match_still_works(client):
    community = make_community()

    response = client.patch(f"{API}/communities/{community.pk}/", {"name": "无条件"}, format="json")

    assert response.status_code == 200


def test_the_schema_documents_412_on_writes_to_one_record(client):
    schema = client.get("/api/schema/?format=json").json()

    operation = schema["paths"]["/api/v1/communities/{id}/"]["patch"]

    assert "412" in operation["responses"]
    assert "412" not in schema["paths"]["/api/v1/communities/"]["post"]["responses"]
