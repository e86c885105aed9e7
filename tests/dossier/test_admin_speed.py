"""Issue 19 in the community admin: the *items* column sorts by its own figure (not by the
community's reverse relation of the same name), and the list does not read the search grams."""

from decimal import Decimal

import pytest
from django.urls import reverse

from communities.dossier import admin as dossier_admin
from tests.support.factories import make_community, make_district, make_item

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:communities_community_changelist")


def _sorted_by(client, column: str, descending: bool = True):
    columns = client.get(CHANGELIST).context["cl"].list_display
    sign = "-" if descending else ""
    return client.get(CHANGELIST, {"o": f"{sign}{columns.index(column)}"})


def test_sorting_by_items_sorts_each_community_once_by_its_count(staff_client, monkeypatch):
    monkeypatch.setattr(dossier_admin, "COMPUTED_SORT_MAX", 10)
    district = make_district()
    few, many, none = (make_community(name=n, district=district) for n in ("甲", "乙", "丙"))
    make_item(community=few, budget=Decimal("100.00"))
    for _ in range(3):
        make_item(community=many, budget=Decimal("100.00"))

    response = _sorted_by(staff_client, "items")

    # Sorting by the relation would list "many" three times and order by item ids.
    rows = list(response.context["cl"].result_list)
    assert rows[:2] == [many, few] and set(rows) == {few, many, none} and len(rows) == 3


def test_sorting_by_items_past_the_bound_is_refused_like_the_other_figures(
    staff_client, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(dossier_admin, "COMPUTED_SORT_MAX", 1)
    for name in ("甲", "乙"):
        make_item(community=make_community(name=name), budget=Decimal("100.00"))
    columns = staff_client.get(CHANGELIST).context["cl"].list_display
    params = {"o": f"-{columns.index('items')}"}
    staff_client.get(CHANGELIST, params)
    # As for budget (test_admin_national): the capped count is the one query more.
    with django_assert_num_queries(9):
        response = staff_client.get(CHANGELIST, params)
    assert response.status_code == 200


def test_the_changelist_leaves_the_search_grams_unread(staff_client):
    make_community(name="和平小区")
    response = staff_client.get(CHANGELIST)
    community = response.context["cl"].result_list[0]
    assert "search_grams" in community.get_deferred_fields()


@pytest.mark.parametrize("cap", [1_000, 2])
def test_a_search_finds_the_same_communities_whether_its_ids_are_taken_or_not(
    staff_client, monkeypatch, cap
):
    monkeypatch.setattr(dossier_admin, "SEARCH_IDS_MAX", cap)
    district = make_district(name="幸福区")
    wanted = {make_community(name=f"幸福小区{n}", district=district) for n in range(3)}
    make_community(name="和平小区")

    by_name = staff_client.get(CHANGELIST, {"q": "幸福小区"})
    by_district = staff_client.get(CHANGELIST, {"q": "幸福区"})
    nothing = staff_client.get(CHANGELIST, {"q": "没有这个"})

    for response in (by_name, by_district):
        assert response.context["cl"].result_count == 3
        assert set(response.context["cl"].result_list) == wanted
    assert nothing.context["cl"].result_count == 0


def test_the_community_autocomplete_searches_and_pages_the_same_way(staff_client):
    """The autocomplete (a grid assignment's community) goes through the same search, and its
    paginator takes the count from the ids found."""
    for n in range(3):
        make_community(name=f"幸福小区{n}")
    make_community(name="和平小区")
    params = {
        "term": "幸福小区",
        "app_label": "communities",
        "model_name": "gridassignment",
        "field_name": "community",
    }
    response = staff_client.get(reverse("admin:autocomplete"), params)
    assert response.status_code == 200
    data = response.json()
    assert len(data["results"]) == 3 and data["pagination"]["more"] is False
