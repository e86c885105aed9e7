"""``core.filters.FilterSet``: each instance has its own filters without a deep copy of them."""

import copy

import pytest

from communities.core.filters import FilterSet
from communities.dossier.filters import CommunityFilter
from communities.places.models import Community
from communities.works.filters import RenovationItemFilter
from tests.support import factories as f


def test_the_lists_filtersets_use_it():
    assert issubclass(CommunityFilter, FilterSet)
    assert issubclass(RenovationItemFilter, FilterSet)


def test_each_instance_has_its_own_filters_bound_to_it(monkeypatch):
    deep_copies = []
    monkeypatch.setattr(copy, "deepcopy", lambda *a, **k: deep_copies.append(a) or a[0])
    first, second = CommunityFilter({"q": "a"}), CommunityFilter({"q": "b"})
    assert deep_copies == []  # the filters were not deep-copied
    for name, base in CommunityFilter.base_filters.items():
        mine, theirs = first.filters[name], second.filters[name]
        assert mine is not base and mine is not theirs
        assert mine.parent is first and theirs.parent is second
        assert mine.extra == base.extra and mine.extra is not base.extra
    # A filter with a method calls it on its own FilterSet, not on the class's filter.
    assert first.filters["q"].filter.f is first.filters["q"]
    assert CommunityFilter.base_filters["q"].filter.f is CommunityFilter.base_filters["q"]


@pytest.mark.django_db
def test_filtering_is_unchanged():
    district = f.make_district()
    wanted = f.make_community(district=district, name="和平小区")
    f.make_community(district=district, name="幸福小区")
    by_name = CommunityFilter({"q": "和平"}, queryset=Community.objects.all())
    by_district = CommunityFilter({"district": district.code}, queryset=Community.objects.all())
    unknown = CommunityFilter({"district": "999999"}, queryset=Community.objects.all())
    assert by_name.is_valid() and list(by_name.qs) == [wanted]
    assert by_district.is_valid() and by_district.qs.count() == 2
    assert not unknown.is_valid() and "district" in unknown.errors


# --- No query parameters, no FilterSet (core.api.base.DjangoFilterBackend) ---------------------


def _filtersets():
    from renovation.api_urls import router

    seen = {}
    for _prefix, viewset, basename in router.registry:
        filterset = getattr(viewset, "filterset_class", None)
        if filterset is not None:
            seen.setdefault(filterset, basename)
    return [pytest.param(filterset, id=basename) for filterset, basename in seen.items()]


@pytest.mark.django_db
@pytest.mark.parametrize("filterset_class", _filtersets())
def test_without_parameters_every_filterset_leaves_the_queryset_as_it_is(filterset_class):
    """What lets the backend skip the FilterSet when a request has no query parameters."""
    from django.http import QueryDict
    from django.test import RequestFactory

    queryset = filterset_class._meta.model._default_manager.all()
    request = RequestFactory().get("/")
    filterset = filterset_class(QueryDict(), queryset=queryset, request=request)

    assert filterset.is_valid(), filterset.errors
    assert str(filterset.qs.query) == str(queryset.query)


@pytest.mark.django_db
def test_a_request_without_parameters_builds_no_filterset(monkeypatch, anonymous_client):
    built = []
    original = CommunityFilter.__init__
    monkeypatch.setattr(
        CommunityFilter,
        "__init__",
        lambda self, *a, **k: built.append(k) or original(self, *a, **k),
    )
    community = f.make_community()

    assert anonymous_client.get(f"/api/v1/communities/{community.pk}/").status_code == 200
    assert anonymous_client.get("/api/v1/communities/").status_code == 200
    assert built == []
    assert anonymous_client.get("/api/v1/communities/", {"q": community.name}).json()["count"] == 1
    assert len(built) == 1
