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


def test_every_filterset_of_the_api_uses_it():
    from renovation.api_urls import router

    for _prefix, viewset, basename in router.registry:
        filterset = getattr(viewset, "filterset_class", None)
        assert filterset is None or issubclass(filterset, FilterSet), basename


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


# --- One form class per FilterSet class, fields copied one level ------------------------------


def test_the_form_class_is_made_once_and_each_form_has_its_own_fields(monkeypatch):
    first, second = CommunityFilter({"q": "a"}), CommunityFilter({"status": "x"})
    deep_copies = []
    real_deepcopy = copy.deepcopy
    monkeypatch.setattr(
        copy, "deepcopy", lambda *a, **k: deep_copies.append(a) or real_deepcopy(*a, **k)
    )

    assert first.get_form_class() is second.get_form_class()
    one, other = first.form, second.form
    assert len(deep_copies) == 2  # the base fields' mapping, once per form; nothing under it
    for name, field in type(one).base_fields.items():
        assert one.fields[name] is not field and one.fields[name] is not other.fields[name]
    # A field changed on one form is not changed on the other, nor on the class.
    one.fields["q"].required = True
    assert not other.fields["q"].required and not type(one).base_fields["q"].required
    assert not first.is_valid() or first.form.cleaned_data["q"] == "a"
    assert not second.is_valid() and "status" in second.errors  # each validates its own data


def test_a_subclass_has_its_own_form_class():
    import django_filters

    class Wider(CommunityFilter):
        subdistrict = django_filters.CharFilter()

    assert "subdistrict" not in CommunityFilter({}).get_form_class().base_fields
    assert "subdistrict" in Wider({}).get_form_class().base_fields
    assert "subdistrict" not in CommunityFilter({}).get_form_class().base_fields


def test_a_queryset_chosen_per_request_keeps_a_form_class_per_request():
    import django_filters

    from communities.places.models import District

    class PerRequest(FilterSet):
        district = django_filters.ModelChoiceFilter(
            field_name="district", queryset=lambda request: District.objects.all()
        )

        class Meta:
            model = Community
            fields = ["district"]

    assert PerRequest({}).get_form_class() is not PerRequest({}).get_form_class()


@pytest.mark.django_db
def test_the_filter_forms_are_drawn_by_the_browsable_api(client):
    district = f.make_district()
    f.make_community(district=district, name="和平小区")
    for _ in range(2):  # the second draw reuses the form class the first one made
        response = client.get(
            "/api/v1/communities/", {"district": district.code}, HTTP_ACCEPT="text/html"
        )
        assert response.status_code == 200
        assert f'value="{district.code}"' in response.content.decode()


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


# --- Only the fields a request gives are cleaned (core.filters._GivenFieldsCleaned) -----------


def _as_django_filter_cleans_them(filterset_class):
    """The FilterSet with django-filter's own form: every field cleaned, given or not."""
    import django_filters

    class EveryFieldCleaned(filterset_class):
        def get_form_class(self):
            return django_filters.FilterSet.get_form_class(self)

    return EveryFieldCleaned


def _single_parameters(filterset_class):
    """Each filter given alone: empty, a number, a word, a date, yes (every widget's names)."""
    from django.forms import MultiWidget

    form = filterset_class().form
    for name, field in form.fields.items():
        widget = field.widget
        keys = (
            [f"{name}{suffix}" for suffix in widget.widgets_names]
            if isinstance(widget, MultiWidget)
            else [name]
        )
        for value in ("", "1", "x", "2024-03-01", "true"):
            yield dict.fromkeys(keys, value)


@pytest.mark.django_db
@pytest.mark.parametrize("filterset_class", _filtersets())
def test_each_parameter_filters_and_fails_as_when_every_field_is_cleaned(filterset_class, rf):
    from django.http import QueryDict

    f.make_community()  # a district whose code "1" is not, and a community with id 1 or more
    queryset = _list_queryset(filterset_class)
    request = rf.get("/")
    reference_class = _as_django_filter_cleans_them(filterset_class)
    for parameters in _single_parameters(filterset_class):
        data = QueryDict(mutable=True)
        data.update(parameters)
        ours = filterset_class(data, queryset=queryset, request=request)
        reference = reference_class(data, queryset=queryset, request=request)

        assert ours.is_valid() == reference.is_valid(), parameters
        assert ours.errors == reference.errors, parameters
        if ours.is_valid():  # the SQL the same but for "now", taken a moment apart
            assert _sql(ours.qs) == _sql(reference.qs), parameters


def _list_queryset(filterset_class):
    """The queryset the API's list filters with this FilterSet (annotations included)."""
    from renovation.api_urls import router

    for _prefix, viewset, _basename in router.registry:
        if getattr(viewset, "filterset_class", None) is filterset_class:
            queryset = viewset.queryset.all()
            setup = getattr(viewset.serializer_class, "setup_queryset", None)
            return setup(queryset) if setup else queryset
    raise LookupError(filterset_class)


def _sql(queryset) -> str:
    import re

    return re.sub(r"\d\d:\d\d:\d\d(\.\d+)?", "<time>", str(queryset.query))


def test_a_filter_the_request_does_not_give_is_not_cleaned():
    filterset = CommunityFilter({"q": "和平"})
    assert filterset.is_valid()
    assert list(filterset.form.cleaned_data) == ["q"]
    assert set(filterset.form._bound_fields_cache) == {"q"}  # no bound field for the others


@pytest.mark.django_db
def test_a_request_copies_only_the_filters_it_gives():
    district = f.make_district()
    f.make_community(district=district)
    assert CommunityFilter({"q": "x"}).form  # the form class, made once from every filter
    filterset = CommunityFilter({"district": district.code}, queryset=Community.objects.all())
    assert filterset.qs.count() == 1
    assert list(filterset.filters._own) == ["district"]
    assert set(filterset.filters) == set(CommunityFilter.base_filters)
    assert len(filterset.filters) == len(CommunityFilter.base_filters)
    assert filterset.filters["q"].parent is filterset  # any other, bound when read
    with pytest.raises(KeyError):
        filterset.filters["no such filter"]
