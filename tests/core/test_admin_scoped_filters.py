"""Every admin page offers a district clerk only their districts' records: the changelist's
related filters, the selects of the add and change pages (inlines included) and autocomplete.
Generated over every registered admin; a city administrator is offered both districts."""

import json

import pytest
from django.contrib import admin
from django.contrib.admin.filters import RelatedFieldListFilter
from django.contrib.auth import get_user_model
from django.forms import ModelChoiceField
from django.test import Client
from django.urls import reverse

from communities.core.scoping import district_path, is_district_scoped
from communities.elevators.choices import VoteChoice
from communities.places.choices import RenovationStatus
from communities.places.models import Community
from tests.support.ci import built_once
from tests.support.elevators import add_households, cast, new_retrofit
from tests.support.factories import make_building, make_busy_community, make_district
from tests.support.participation import make_plan, make_proposal, make_rating
from tests.support.repairs import make_request
from tests.support.roles import grant

pytestmark = pytest.mark.django_db

TAISHAN, DAIYUE = "370902", "370911"
ADMINS = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.model_name)


def fill(code: str, name: str) -> None:
    """A district with a record under every admin that has one there."""
    district = make_district(code=code, name=name)
    community = make_busy_community(
        district=district,
        name=f"{name}小区",
        renovation_status=RenovationStatus.COMPLETED,
    )
    building = make_building(community=community, storeys=6)
    retrofit = new_retrofit(building=building)
    households = add_households(building, [(3, "301", "80.00"), (4, "401", "80.00")])
    cast(retrofit, households, [VoteChoice.AGREE, VoteChoice.AGREE])
    make_request(community=community)
    make_proposal(community=community)
    make_plan(community=community)
    make_rating(community=community)


@pytest.fixture(scope="module")
def _districts(django_db_setup, django_db_blocker):
    """Built once for the module; each test's changes are rolled back (tests/support/ci.py)."""

    def build() -> None:
        fill(TAISHAN, "泰山区")
        fill(DAIYUE, "岱岳区")

    yield from built_once(django_db_blocker, build)


@pytest.fixture
def districts(_districts, db):
    return _districts


def user_with(role: str, *options: str):
    user = get_user_model().objects.create_user(f"u-{role}", password="pw-scope-9x!")
    grant(user.username, role, *options)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def clerk(districts) -> Client:
    return user_with("district_staff", "--district", TAISHAN)


@pytest.fixture
def city(districts) -> Client:
    return user_with("city_admin")


def daiyue_keys(model) -> set[str]:
    """The keys of ``model``'s records in 岱岳区 (empty for a city-wide model)."""
    if not is_district_scoped(model):
        return set()
    path = district_path(model)
    lookup = f"{path}__code" if path else "code"
    return {
        str(pk)
        for pk in model._default_manager.filter(**{lookup: DAIYUE}).values_list("pk", flat=True)
    }


def related_filters(response):
    for spec in response.context["cl"].filter_specs:
        if isinstance(spec, RelatedFieldListFilter):
            yield spec, {str(pk) for pk, _label in spec.lookup_choices}


def form_selects(response):
    """(name, model, offered keys) of every record select on the page, inlines included."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [*inline.formset.forms, inline.formset.empty_form]
    for form in forms:
        for name, field in form.fields.items():
            # An inline row's own key (a hidden input) is not a choice offered.
            if isinstance(field, ModelChoiceField) and not field.widget.is_hidden:
                keys = {str(pk) for pk in field.queryset.values_list("pk", flat=True)}
                yield form.add_prefix(name), field.queryset.model, keys


def url_of(model, view: str, *args) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


@pytest.mark.parametrize(
    ("model", "model_admin"), ADMINS, ids=[m._meta.model_name for m, _a in ADMINS]
)
def test_a_clerk_is_offered_no_record_of_another_district(clerk, model, model_admin):
    response = clerk.get(url_of(model, "changelist"))
    if response.status_code == 403:  # not the clerk's to see (users, groups)
        return
    assert response.status_code == 200
    for spec, offered in related_filters(response):
        assert not offered & daiyue_keys(spec.field.related_model), spec.title

    pages = [url_of(model, "add")]
    mine = response.context["cl"].queryset.order_by("pk").first()
    if mine is not None:
        pages.append(url_of(model, "change", mine.pk))
    for url in pages:
        page = clerk.get(url)
        if page.status_code in {302, 403}:  # no add permission, or added elsewhere
            continue
        assert page.status_code == 200, url
        for name, related, offered in form_selects(page):
            assert not offered & daiyue_keys(related), f"{url} {name}"


@pytest.mark.parametrize(
    ("model", "model_admin"), ADMINS, ids=[m._meta.model_name for m, _a in ADMINS]
)
def test_a_city_admin_is_offered_both_districts(city, model, model_admin):
    response = city.get(url_of(model, "changelist"))
    if response.status_code == 403:  # sign-in records and accounts: the superuser's
        return
    assert response.status_code == 200
    for spec, offered in related_filters(response):
        other = daiyue_keys(spec.field.related_model)
        if other:
            assert offered & other, spec.title
            assert offered - other, spec.title
    page = city.get(url_of(model, "add"))
    if page.status_code != 200:
        return
    for name, related, offered in form_selects(page):
        if "-" in name:
            continue  # an inline's selects are narrowed to the parent record
        other = daiyue_keys(related)
        if other:
            assert offered & other, name


def test_the_district_filter_of_the_community_list_shows_only_the_clerks_district(clerk):
    response = clerk.get(url_of(Community, "changelist"))

    html = response.content.decode()
    assert "泰山区" in html
    assert "岱岳区" not in html


def test_autocomplete_offers_a_clerk_only_their_communities(clerk):
    url = reverse("admin:autocomplete")
    params = {"app_label": "communities", "model_name": "building", "field_name": "community"}

    response = clerk.get(url, {**params, "term": ""})

    assert response.status_code == 200
    names = [row["text"] for row in json.loads(response.content)["results"]]
    assert names and all("岱岳" not in name for name in names)


def test_another_districts_key_typed_by_hand_shows_no_record_of_it(clerk):
    other = make_district(code=DAIYUE)
    response = clerk.get(url_of(Community, "changelist"), {"district__id__exact": other.pk})
    assert response.status_code == 200
    assert {c.district.code for c in response.context["cl"].result_list} <= {TAISHAN}
