"""Read replicas: reads to a replica, writes and what follows them to the primary.

The replica here is a second connection to the test database (as ``TEST: MIRROR`` gives in
settings), so which connection ran a query tells where the router sent it. Tests over HTTP are
transactional: a second connection sees only what is committed, as a real replica would.
"""

from contextlib import ExitStack, contextmanager

import pytest
from django.contrib.sessions.models import Session
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import include, path

from communities.places.models import Community, District
from renovation import db_router
from renovation.db_router import (
    STICKY_COOKIE,
    PrimaryReplicaRouter,
    is_pinned,
    pin_to_primary,
)
from tests.support.database import TRANSACTIONAL, restore_seeded_rows
from tests.support.factories import make_district

REPLICA = "replica_1"
BOTH = [DEFAULT_DB_ALIAS, REPLICA]


@pytest.fixture(scope="module", autouse=True)
def _seeded_rows_restored(django_db_blocker):
    """After the flush that ends the last transactional test (see test_resilience.py)."""
    yield
    with django_db_blocker.unblock():
        restore_seeded_rows()


@pytest.fixture(scope="module", autouse=True)
def _replica_alias():
    """A ``replica_1`` alias mirroring the test database, for this module only. Module scope:
    the alias must exist before pytest-django checks the aliases a test may use."""
    default = connections.settings[DEFAULT_DB_ALIAS]
    connections.settings[REPLICA] = {**default, "TEST": {**default["TEST"], "MIRROR": "default"}}
    yield
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


@pytest.fixture
def replica_router(settings):
    """Route with one replica; the test database's name is the primary's (a test mirror)."""
    connections[REPLICA].settings_dict["NAME"] = connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]
    settings.DATABASE_ROUTERS = [PrimaryReplicaRouter(replicas=[REPLICA])]
    yield router.routers[0]


@contextmanager
def queries_by_alias():
    """Records the queries each connection runs: ``{"default": [...], "replica_1": [...]}``."""
    with ExitStack() as stack:
        captured = {
            alias: stack.enter_context(CaptureQueriesContext(connections[alias])) for alias in BOTH
        }
        seen: dict[str, list[str]] = {alias: [] for alias in BOTH}
        yield seen
    for alias, context in captured.items():
        seen[alias] = [query["sql"] for query in context.captured_queries]


@pytest.fixture(autouse=True)
def _unpinned():
    """Each test starts as ReplicaPinningMiddleware starts a request: not pinned."""
    token = db_router._pinned.set(False)
    yield
    db_router._pinned.reset(token)


# --- The router's decisions --------------------------------------------------------------------


def test_without_replicas_the_router_has_no_opinion():
    plain = PrimaryReplicaRouter(replicas=[])

    assert plain.db_for_read(Community) is None
    assert plain.db_for_write(Community) is None
    assert plain.allow_migrate(DEFAULT_DB_ALIAS, "communities") is None
    assert not is_pinned()  # a write without replicas pins nothing


def test_the_router_follows_the_configured_aliases():
    """Found when asked, not when the router was made: the test alias added by this module is
    seen, and forgotten when the module removes it."""
    assert PrimaryReplicaRouter().replicas == [REPLICA]
    assert PrimaryReplicaRouter(replicas=[]).replicas == []


def test_reads_go_to_a_replica_and_writes_to_the_primary():
    replicas = PrimaryReplicaRouter(replicas=["replica_1", "replica_2"])

    reads = {replicas.db_for_read(Community) for _ in range(200)}
    write = replicas.db_for_write(Community)

    assert reads == {"replica_1", "replica_2"}  # random: both are used
    assert write == DEFAULT_DB_ALIAS


def test_reads_after_a_write_go_to_the_primary():
    replicas = PrimaryReplicaRouter(replicas=[REPLICA])

    before = replicas.db_for_read(District)
    replicas.db_for_write(District)
    after = replicas.db_for_read(District)

    assert (before, after) == (REPLICA, DEFAULT_DB_ALIAS)


def test_a_pinned_request_reads_from_the_primary():
    replicas = PrimaryReplicaRouter(replicas=[REPLICA])

    pin_to_primary()

    assert replicas.db_for_read(Community) == DEFAULT_DB_ALIAS


def test_sessions_and_login_lockouts_are_always_read_from_the_primary():
    from axes.models import AccessAttempt

    replicas = PrimaryReplicaRouter(replicas=[REPLICA])

    assert replicas.db_for_read(Session) == DEFAULT_DB_ALIAS
    assert replicas.db_for_read(AccessAttempt) == DEFAULT_DB_ALIAS
    assert replicas.db_for_read(Community) == REPLICA


@pytest.mark.django_db(**TRANSACTIONAL)
def test_reads_inside_an_atomic_block_on_the_primary_go_to_the_primary():
    replicas = PrimaryReplicaRouter(replicas=[REPLICA])

    outside = replicas.db_for_read(Community)
    with transaction.atomic():
        inside = replicas.db_for_read(Community)

    assert (outside, inside) == (REPLICA, DEFAULT_DB_ALIAS)


def test_migrations_run_on_the_primary_only():
    replicas = PrimaryReplicaRouter(replicas=[REPLICA])

    assert replicas.allow_migrate(REPLICA, "communities") is False
    assert replicas.allow_migrate(DEFAULT_DB_ALIAS, "communities") is None


@pytest.mark.django_db(databases=BOTH, **TRANSACTIONAL)
def test_objects_from_a_replica_and_the_primary_may_be_related(replica_router):
    district = make_district(code="370902")
    from_replica = District.objects.using(REPLICA).get(pk=district.pk)

    community = Community(district=from_replica)

    assert from_replica._state.db == REPLICA
    assert community.district_id == district.pk
    assert replica_router.allow_relation(from_replica, district) is True


# --- Through HTTP ------------------------------------------------------------------------------


@pytest.mark.django_db(databases=BOTH, **TRANSACTIONAL)
def test_an_api_read_is_served_by_the_replica(replica_router, anonymous_client):
    make_district(code="370902", name="泰山区")

    with queries_by_alias() as seen:
        response = anonymous_client.get("/api/v1/districts/")

    assert response.status_code == 200
    assert [row["code"] for row in response.json()["results"]] == ["370902"]
    assert seen[DEFAULT_DB_ALIAS] == []
    assert any("communities_district" in sql for sql in seen[REPLICA])


@pytest.mark.django_db(databases=BOTH, **TRANSACTIONAL)
def test_a_write_request_runs_on_the_primary_from_its_first_query(replica_router, city_admin):
    client = Client()
    client.force_login(city_admin)

    with queries_by_alias() as seen:
        response = client.post(
            "/api/v1/districts/",
            {"code": "370911", "name": "岱岳区"},
            content_type="application/json",
        )

    assert response.status_code == 201
    assert seen[REPLICA] == []
    assert any("INSERT" in sql for sql in seen[DEFAULT_DB_ALIAS])


def _read_write_read(request):
    """A GET that writes in the middle (as a view recording a visit would)."""
    before = District.objects.count()
    District.objects.create(code="370921", name="新泰市")
    after = District.objects.count()
    return HttpResponse(f"{before} {after}")


handler404 = "renovation.errors.page_not_found"
handler500 = "renovation.resilience.server_error"
urlpatterns = [
    path("read-write-read/", _read_write_read),
    path("", include("renovation.urls")),
]


@pytest.mark.django_db(databases=BOTH, **TRANSACTIONAL)
def test_reads_after_a_write_in_the_same_request_go_to_the_primary(replica_router, settings):
    settings.ROOT_URLCONF = __name__

    with queries_by_alias() as seen:
        response = Client().get("/read-write-read/")

    assert response.content == b"0 1"  # the second count saw the write
    assert len(seen[REPLICA]) == 1 and "COUNT" in seen[REPLICA][0]
    assert "INSERT" in seen[DEFAULT_DB_ALIAS][0] and "COUNT" in seen[DEFAULT_DB_ALIAS][-1]


@pytest.mark.django_db(databases=BOTH, **TRANSACTIONAL)
def test_the_pin_ends_with_the_request(replica_router, settings):
    settings.ROOT_URLCONF = __name__
    settings.DATABASE_REPLICA_STICKY_SECONDS = 0
    Client().get("/read-write-read/")

    with queries_by_alias() as seen:
        response = Client().get("/api/v1/districts/")

    assert response.status_code == 200
    assert seen[DEFAULT_DB_ALIAS] == []
    assert seen[REPLICA]
    assert not is_pinned()


@pytest.mark.django_db(databases=BOTH, **TRANSACTIONAL)
def test_a_client_that_just_wrote_keeps_reading_from_the_primary(replica_router, settings):
    settings.ROOT_URLCONF = __name__
    client = Client()

    wrote = client.get("/read-write-read/")
    with queries_by_alias() as seen:
        client.get("/api/v1/districts/")

    cookie = wrote.cookies[STICKY_COOKIE]
    assert cookie["max-age"] == 5 and cookie["httponly"]
    assert seen[REPLICA] == []
    assert seen[DEFAULT_DB_ALIAS]


@pytest.mark.django_db(databases=BOTH, **TRANSACTIONAL)
def test_a_read_only_request_sets_no_sticky_cookie(replica_router, anonymous_client):
    response = anonymous_client.get("/api/v1/districts/")

    assert STICKY_COOKIE not in response.cookies


@pytest.mark.django_db(databases=BOTH, **TRANSACTIONAL)
def test_healthz_reports_the_replica(replica_router, anonymous_client):
    response = anonymous_client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["checks"] == {
        "database": "ok",
        "database.replica_1": "ok",
        "cache": "ok",
    }


@pytest.mark.django_db(databases=BOTH, **TRANSACTIONAL)
def test_healthz_is_degraded_but_up_when_a_replica_is_away(
    replica_router, anonymous_client, monkeypatch
):
    from django.db import OperationalError

    def refuse():
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(connections[REPLICA], "cursor", refuse)

    response = anonymous_client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "checks": {
            "database": "ok",
            "database.replica_1": "error: OperationalError",
            "cache": "ok",
        },
    }
