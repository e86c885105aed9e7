"""Data built once for a module (tests/support/ci.py) is the same for every test of it: a test's
writes, in the database and on the Python objects, are gone before the next test starts.

The tests run in file order (one module runs whole on one worker): the first changes what the
second then checks is back as it was built.
"""

import copy

import pytest

from communities.places.models import District
from tests.support.ci import built_once
from tests.support.factories import make_district

pytestmark = pytest.mark.django_db


def _build():
    return {"district": make_district(code="379901", name="泰山区")}


@pytest.fixture(scope="module")
def _shared(django_db_setup, django_db_blocker):
    yield from built_once(django_db_blocker, _build)


@pytest.fixture
def shared(_shared, db):
    return copy.deepcopy(_shared)


def test_a_test_may_change_the_shared_records(shared):
    district = shared["district"]
    district.name = "改过的名字"
    district.save()
    make_district(code="379902", name="岱岳区")

    assert District.objects.get(code="379901").name == "改过的名字"
    assert District.objects.filter(code="379902").exists()


def test_the_next_test_finds_them_as_they_were_built(shared):
    assert shared["district"].name == "泰山区"
    assert District.objects.get(code="379901").name == "泰山区"
    assert not District.objects.filter(code="379902").exists()


def test_nothing_is_built_twice(shared, _shared):
    assert shared["district"].pk == _shared["district"].pk
    assert District.objects.filter(code="379901").count() == 1
