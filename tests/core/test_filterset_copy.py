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
